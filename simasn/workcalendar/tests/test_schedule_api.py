"""/api/v1/calendar/schedules and /my-schedule: the mobile app's view of the work schedules."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.workcalendar.models import ShiftRoster

from .schedule_helpers import assign, standard_schedules

SCHEDULES = "/api/v1/calendar/schedules"
MINE = "/api/v1/calendar/my-schedule"


@pytest.fixture
def std(db):
    return standard_schedules()


def test_schedules_lists_days_and_shifts(std, client_for, users, django_assert_max_num_queries):
    client = client_for(users.staff_a)
    with django_assert_max_num_queries(8):
        response = client.get(SCHEDULES)
    assert response.status_code == 200
    by_name = {s["name"]: s for s in response.json()}
    five = by_name[std.five_day.name]
    monday = next(d for d in five["days"] if d["weekday"] == 0 and not d["is_ramadan"])
    assert (monday["start"], monday["end"], monday["checkin_open"]) == ("07:30:00", "16:00:00", "07:00:00")
    night = next(s for s in by_name[std.shift.name]["shifts"] if s["code"] == "malam")
    assert night["ends_next_day"] is True and night["checkout_close"] == "10:00:00"


def test_my_schedule_gives_aware_times(std, org, client_for, users):
    assign(std.shift, employee=org.staff_a)
    ShiftRoster.objects.create(employee=org.staff_a, date=dt.date(2026, 6, 9), shift=std.shift_of("malam"))
    response = client_for(users.staff_a).get(MINE, {"start": "2026-06-08", "end": "2026-06-14"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["days"]) == 1
    night = body["days"][0]
    assert (night["date"], night["shift_code"]) == ("2026-06-09", "malam")
    assert night["start"] == "2026-06-09T21:00:00+08:00" and night["end"] == "2026-06-10T08:00:00+08:00"


@pytest.mark.parametrize(("params", "fragment"), [
    ({"start": "2026-06-10", "end": "2026-06-01"}, "sebelum tanggal mulai"),
    ({"start": "2026-01-01", "end": "2026-03-31"}, "paling lama 62 hari"),
    ({"start": "2025-02-29", "end": "2025-03-01"}, "tidak valid"),
    ({"start": "kemarin", "end": "2025-03-01"}, "tidak valid"),
])
def test_my_schedule_bad_dates(std, client_for, users, params, fragment):
    response = client_for(users.staff_a).get(MINE, params)
    assert response.status_code == 422
    assert fragment in response.json()["detail"] and response.json()["code"] == "invalid_input"


def test_my_schedule_needs_a_login_and_an_employee(std, client, client_for, users):
    assert client.get(MINE, {"start": "2026-06-01", "end": "2026-06-02"}).status_code == 401
    response = client_for(users.admin_bkpsdm).get(MINE, {"start": "2026-06-01", "end": "2026-06-02"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client_for(users.staff_a).get(MINE, {"start": "2026-06-01"}).status_code == 422
