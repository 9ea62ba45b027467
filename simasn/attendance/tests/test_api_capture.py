"""POST /api/v1/attendance/check-ins and the caller's own reads: the contract of issue 4, the bad-input
catalogue (each a 4xx JSON answer that stores nothing), idempotency and the cost in queries."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import pytest

from simasn.accounts.models import DeviceToken
from simasn.attendance import capture
from simasn.attendance.models import CheckInEvent, DailyRecord, EventSource, ReviewStatus
from simasn.attendance.rules_data import CHECKS

from .capture_helpers import (
    API,
    FAR,
    MONDAY,
    NOW,
    OFFICE,
    URLCONF,
    at,
    bearer,
    body,
    checkin_history,
    face_jpeg,
    five_day_schedule,
    jpeg,
    office_for,
    post,
    token_for,
)

pytestmark = pytest.mark.urls(URLCONF)



def test_check_in_at_the_office_is_accepted(client, staff_token, org):
    response = post(client, body(client_time=NOW - dt.timedelta(seconds=2)), staff_token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "accepted" and data["flags"] == []
    assert data["location"]["name"] == "Kantor Dinas Alpha" and data["location"]["distance_m"] < 150
    assert dt.datetime.fromisoformat(data["server_time"]) == NOW
    assert data["daily"]["date"] == MONDAY.isoformat()
    assert data["daily"]["first_in"].startswith("2026-03-09T07:20")
    event = CheckInEvent.objects.get()
    assert event.employee == org.staff_a and event.source == EventSource.MOBILE and event.work_date == MONDAY
    assert event.device_id == "ponsel-uji-1" and event.review_status == ReviewStatus.NOT_NEEDED
    # The day's record is stored with the event, as the full recompute would write it.
    record = DailyRecord.objects.get(employee=org.staff_a, date=MONDAY)
    assert record.first_in == NOW
    from simasn.attendance.recompute import recompute_days
    assert recompute_days([org.staff_a.pk], MONDAY, MONDAY)["unchanged"] == 1


def test_late_arrival_after_the_window_is_flagged_for_review(client, staff_token, now):
    now.set(at(MONDAY, "09:10"))
    response = post(client, body(client_time=at(MONDAY, "09:10")), staff_token)
    assert response.status_code == 201
    assert response.json()["status"] == "flagged" and response.json()["flags"] == ["OUTSIDE_WINDOW"]
    assert response.json()["daily"]["has_pending_review"] is True
    assert CheckInEvent.objects.get().review_status == ReviewStatus.PENDING


def test_outside_the_geofence_is_flagged_with_the_distance(client, staff_token):
    response = post(client, body(client_time=NOW, point=FAR), staff_token)
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "flagged" and "OUTSIDE_GEOFENCE" in data["flags"] and data["location"] is None
    assert data["flag_labels"][data["flags"].index("OUTSIDE_GEOFENCE")].startswith("Di luar lokasi")
    assert 1000 < CheckInEvent.objects.get().flag_details["OUTSIDE_GEOFENCE"]["distance_m"] < 1300


def test_no_allowed_location_fails_closed(client, users, org, now):
    five_day_schedule(org.opd_a)  # a schedule but no office location anywhere on the unit line
    response = post(client, body(client_time=NOW), token_for(users.staff_a))
    assert response.status_code == 201 and "OUTSIDE_GEOFENCE" in response.json()["flags"]


def test_replay_returns_the_same_answer_and_stores_one_event(client, staff_token):
    data = body(client_time=NOW)
    first = post(client, data, staff_token)
    # The same fields in another order and spacing are the same body.
    again = post(client, json.dumps(dict(reversed(list(data.items()))), indent=2), staff_token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()  # the day's record included: nothing happened in between
    assert CheckInEvent.objects.count() == 1


def test_a_replay_answers_from_the_stored_records_in_a_handful_of_queries(client, staff_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = body(client_time=NOW)
    first = post(client, data, staff_token)
    with CaptureQueriesContext(connection) as queries:
        again = post(client, data, staff_token)
    assert again.status_code == 200 and again.json() == first.json()
    # the token; the combined read that finds the retry; the event; its day's record. Recomputing the day from
    # its sources (schedules, leave, events) took a dozen more.
    assert len(queries) <= 4, "\n".join(q["sql"][:150] for q in queries)


def test_a_replay_shows_the_day_as_it_is_now(client, staff_token, now):
    arrival = body(client_time=NOW)
    post(client, arrival, staff_token)
    now.set(NOW + dt.timedelta(hours=9))
    post(client, body(client_time=now.value, kind="out"), staff_token)
    again = post(client, arrival, staff_token).json()
    assert again["daily"]["last_out"] is not None  # the check-out after it is part of the day's record


def test_same_client_id_with_another_body_is_a_conflict(client, staff_token):
    data = body(client_time=NOW)
    assert post(client, data, staff_token).status_code == 201
    response = post(client, {**data, "accuracy_m": 30.0}, staff_token)
    assert response.status_code == 409 and response.json()["code"] == "client_id_conflict"
    assert CheckInEvent.objects.count() == 1


def test_another_employee_reusing_a_client_id_is_a_conflict(client, staff_token, users):
    data = body(client_time=NOW)
    assert post(client, data, staff_token).status_code == 201
    other = token_for(users.staff_b, "ponsel-b")
    assert post(client, data, other).status_code == 409
    assert CheckInEvent.objects.count() == 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


BAD_BODIES = [
    ("latitude 91", {"latitude": 91}),
    ("latitude -91", {"latitude": -91.0}),
    ("longitude 181", {"longitude": 181}),
    ("NaN", "NaN"),
    ("Infinity", "Infinity"),
    ("1e309", "1e309"),
    ("true as a number", {"latitude": True}),
    ("string as a number", {"latitude": "91"}),
    ("number as a string", {"latitude": "-3.97"}),
    ("accuracy 0", {"accuracy_m": 0}),
    ("accuracy negative", {"accuracy_m": -5}),
    ("mock as a number", {"mock_location": 0}),
    ("kind unknown", {"kind": "masuk"}),
    ("client id not a uuid", {"client_id": "abc"}),
    ("client id uuid1", {"client_id": str(uuid.uuid1())}),
    ("client time without offset", {"client_time": "2026-03-09T07:20:00"}),
    ("client time as epoch", {"client_time": 1773011000}),
    ("client time in the future", {"client_time": (NOW + dt.timedelta(hours=1)).isoformat()}),
    ("client time in 1970", {"client_time": "1970-01-01T00:00:00+00:00"}),
    ("client time older than the offline limit",
     {"client_time": (NOW - dt.timedelta(hours=CHECKS.max_offline_hours + 1)).isoformat()}),
    ("unknown field", {"employee_id": 1}),
    ("missing field", {"mock_location": None}),
    ("0-byte photo", {"photo": ""}),
    ("photo not base64", {"photo": "%%%"}),
    ("truncated jpeg", {"photo": _b64(jpeg()[:700])}),
    ("html posing as jpeg", {"photo": _b64(b"<!doctype html><html><body>x</body></html>")}),
    ("svg posing as jpeg", {"photo": _b64(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')}),
    ("pixel-flood png", {"photo": _b64(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)}),
]


@pytest.mark.parametrize(("label", "change"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_is_a_422_json_and_stores_nothing(client, staff_token, label, change):
    data = body(client_time=NOW - dt.timedelta(seconds=1))
    if isinstance(change, str):  # a JSON literal Python's json module would write for a float
        raw = json.dumps(data).replace(json.dumps(data["latitude"]), change)
    else:
        data.update(change)
        if change.get("mock_location", 1) is None:
            del data["mock_location"]
        raw = json.dumps(data)
    response = post(client, raw, staff_token)
    assert response.status_code == 422, (label, response.content)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert CheckInEvent.objects.count() == 0


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b'"x"', b"\xff\xfe", b'{"a":1,}'])
def test_malformed_json_is_422(client, staff_token, raw):
    response = post(client, raw, staff_token)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert CheckInEvent.objects.count() == 0


def test_a_20_mb_photo_and_a_10_mb_body_are_413_json(client, staff_token):
    big_photo = body(client_time=NOW, photo="A" * (20 * 1024 * 1024))
    for raw in (json.dumps(big_photo), json.dumps({"x": "y" * (10 * 1024 * 1024)})):
        response = post(client, raw, staff_token)
        assert response.status_code == 413 and response.json()["code"] == "body_too_large"
    assert CheckInEvent.objects.count() == 0


def test_a_photo_over_the_limit_but_within_the_body_is_refused(client, staff_token, settings):
    oversized = _b64(b"\xff\xd8\xff" + b"\x00" * (CHECKS.max_photo_bytes + 10))
    response = post(client, body(client_time=NOW, photo=oversized), staff_token)
    assert response.status_code in (413, 422)
    assert CheckInEvent.objects.count() == 0


def test_form_encoded_body_is_415(client, staff_token):
    response = client.post(f"{API}/check-ins", {"kind": "in"}, **bearer(staff_token))
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_revoked_or_unknown_token_is_401_and_stores_nothing(client, staff_token):
    DeviceToken.objects.update(revoked_at=NOW)
    assert post(client, body(client_time=NOW), staff_token).status_code == 401
    assert post(client, body(client_time=NOW), "bukan-token").status_code == 401
    response = client.post(f"{API}/check-ins", json.dumps(body(client_time=NOW)), content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert CheckInEvent.objects.count() == 0


def test_a_token_used_from_another_device_is_refused(client, users, setup):
    token_b = token_for(users.staff_b, "ponsel-b")
    response = post(client, body(client_time=NOW), token_b, HTTP_X_DEVICE_ID="ponsel-uji-1")
    assert response.status_code == 401
    assert CheckInEvent.objects.count() == 0


def test_a_login_without_an_employee_record_cannot_check_in(client, users, setup):
    response = post(client, body(client_time=NOW), token_for(users.pimpinan))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_selfie_with_a_face_is_stored_privately_and_reuse_is_flagged(client, staff_token, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = _b64(face_jpeg())
    response = post(client, body(client_time=NOW, photo=photo), staff_token)
    assert response.status_code == 201 and response.json()["flags"] == []
    event = CheckInEvent.objects.get()
    assert event.photo.name.startswith("selfies/2026/03/") and (tmp_path / event.photo.name).exists()
    assert len(event.photo_hash) == 16 and event.photo_band0 is not None
    # The same photo sent by a colleague: PHOTO_REUSE, pointing at the first event.
    other = post(client, body(client_time=NOW, photo=photo), token_for(users.staff_b, "ponsel-b"))
    assert "PHOTO_REUSE" in other.json()["flags"]
    assert CheckInEvent.objects.get(pk=other.json()["id"]).flag_details["PHOTO_REUSE"]["event_id"] == event.pk


def test_selfie_without_a_face_is_flagged(client, staff_token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = post(client, body(client_time=NOW, photo=_b64(jpeg())), staff_token)
    assert response.status_code == 201 and response.json()["flags"] == ["NO_FACE"]


def test_a_replay_with_a_photo_leaves_one_file(client, staff_token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = body(client_time=NOW, photo=_b64(face_jpeg()))
    assert post(client, data, staff_token).status_code == 201
    assert post(client, data, staff_token).status_code == 200
    assert len(list(tmp_path.rglob("*.jpg"))) == 1


def test_shared_device_and_mock_location_are_flagged(client, users, setup):
    assert post(client, body(client_time=NOW), token_for(users.staff_a, "hp-bersama")).status_code == 201
    response = post(client, body(client_time=NOW, mock=True), token_for(users.staff_b, "hp-bersama"))
    assert {"SHARED_DEVICE", "MOCK_LOCATION"} <= set(response.json()["flags"])


def test_duplicate_and_clock_headers(client, staff_token):
    assert post(client, body(client_time=NOW), staff_token).status_code == 201
    response = post(client, body(client_time=NOW - dt.timedelta(minutes=10)), staff_token,
                    HTTP_X_CLIENT_SENT_AT=(NOW - dt.timedelta(minutes=10)).isoformat())
    assert {"DUPLICATE", "CLOCK_SKEW"} <= set(response.json()["flags"])
    bad = post(client, body(client_time=NOW), staff_token, HTTP_X_CLIENT_SENT_AT="kemarin")
    assert bad.status_code == 422


def test_session_login_can_check_in_with_csrf(client_for, users, setup):
    web = client_for(users.staff_a)
    web.handler.enforce_csrf_checks = True
    data = json.dumps(body(client_time=NOW))
    assert web.post(f"{API}/check-ins", data, content_type="application/json").status_code in (401, 403)
    web.get("/")  # sets the CSRF cookie
    token = web.cookies["csrftoken"].value
    response = web.post(f"{API}/check-ins", data, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_on_leave_is_flagged(client, staff_token, org, users):
    from simasn.leave.models import AbsenceRequest, RequestKind, RequestStatus

    AbsenceRequest.objects.create(employee=org.staff_a, kind=RequestKind.CUTI, leave_type="tahunan",
                                  start_date=MONDAY, end_date=MONDAY, reason="uji", status=RequestStatus.APPROVED,
                                  submitted_by=users.staff_a)
    response = post(client, body(client_time=NOW), staff_token)
    assert "ON_LEAVE" in response.json()["flags"]


def test_dinas_luar_destination_is_an_allowed_place(client, staff_token, org, users):
    from simasn.leave.models import AbsenceRequest, RequestKind, RequestStatus

    request = AbsenceRequest.objects.create(
        employee=org.staff_a, kind=RequestKind.DINAS_LUAR, start_date=MONDAY, end_date=MONDAY, reason="uji",
        status=RequestStatus.APPROVED, submitted_by=users.staff_a, location_name="Hotel Tujuan",
        latitude=FAR[0], longitude=FAR[1], radius_m=200)
    response = post(client, body(client_time=NOW, point=FAR), staff_token)
    data = response.json()
    assert "OUTSIDE_GEOFENCE" not in data["flags"]
    assert data["location"] == {"id": None, "name": "Hotel Tujuan", "distance_m": 0.0}
    assert CheckInEvent.objects.get().excuse_request_id == request.pk
    places = client.get(f"{API}/my-locations", **bearer(staff_token)).json()
    assert [p["kind"] for p in places] == ["dinas_luar", "office"] and places[0]["request_id"] == request.pk


def test_my_locations_lists_the_unit_line_offices(client, staff_token, org):
    office_for(org.bidang_a, point=FAR, name="Kantor Bidang")
    office_for(org.opd_b, name="Kantor Badan Beta")  # another OPD: not his
    response = client.get(f"{API}/my-locations", **bearer(staff_token))
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Kantor Bidang", "Kantor Dinas Alpha"]
    assert response.json()[1]["latitude"] == OFFICE[0] and response.json()[1]["radius_m"] == 150


def test_today_shows_the_schedule_and_the_events(client, staff_token):
    post(client, body(client_time=NOW), staff_token)
    response = client.get(f"{API}/today", **bearer(staff_token))
    assert response.status_code == 200
    data = response.json()
    assert data["date"] == MONDAY.isoformat() and data["schedule"]["name"] == "Jadwal Normal 5 Hari Kerja"
    assert [e["kind"] for e in data["events"]] == ["in"] and data["daily"]["first_in"]


def test_days_of_a_month(client, staff_token):
    post(client, body(client_time=NOW), staff_token)
    response = client.get(f"{API}/days", {"month": "2026-03"}, **bearer(staff_token))
    assert response.status_code == 200
    assert [d["date"] for d in response.json()] == [MONDAY.isoformat()]
    assert client.get(f"{API}/days", {"month": "2026-13"}, **bearer(staff_token)).status_code == 422
    assert client.get(f"{API}/days", {"month": "maret"}, **bearer(staff_token)).status_code == 422
    assert client.get(f"{API}/days", {"month": "2026-04"}, **bearer(staff_token)).json() == []


def test_night_shift_check_out_after_midnight_belongs_to_the_shift_day(client, org, users, now):
    from simasn.workcalendar.models import ShiftRoster
    from simasn.workcalendar.tests.schedule_helpers import assign, standard_schedules

    schedules = standard_schedules()
    assign(schedules.shift, employee=org.staff_a, start=dt.date(2025, 1, 1))
    ShiftRoster.objects.create(employee=org.staff_a, date=MONDAY, shift=schedules.shift_of("malam"))
    office_for(org.opd_a)
    token = token_for(users.staff_a)
    malam = schedules.shift_of("malam")
    now.set(dt.datetime.combine(MONDAY, malam.checkin_open, tzinfo=NOW.tzinfo) + dt.timedelta(minutes=5))
    assert post(client, body(client_time=now.value), token).json()["flags"] == []
    tuesday = MONDAY + dt.timedelta(days=1)
    now.set(dt.datetime.combine(tuesday, malam.checkout_open, tzinfo=NOW.tzinfo) + dt.timedelta(minutes=5))
    response = post(client, body(kind="out", client_time=now.value), token)
    assert response.json()["flags"] == [] and response.json()["daily"]["date"] == MONDAY.isoformat()
    assert set(CheckInEvent.objects.values_list("work_date", flat=True)) == {MONDAY}


@pytest.mark.parametrize("history_days", [0, 300])
def test_a_check_in_costs_the_same_handful_of_queries_with_or_without_history(
        client, staff_token, org, history_days, django_assert_max_num_queries):
    checkin_history(org.staff_a, history_days)
    post(client, body(client_time=NOW - dt.timedelta(minutes=30), kind="out"), staff_token)  # warm the token touch
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = post(client, body(client_time=NOW), staff_token)
    assert response.status_code == 201
    # the token with its user and employee; one read (the last two days' events, earlier arrivals, approved
    # leave, the device's other users); savepoint, insert, day record, release. The schedule, the offices and
    # the token touch are not asked again (per-process tables, the touch at most once a minute)
    assert len(queries) <= 6, "\n".join(q["sql"][:150] for q in queries)
    test_a_check_in_costs_the_same_handful_of_queries_with_or_without_history.counts[history_days] = len(queries)
    if len(test_a_check_in_costs_the_same_handful_of_queries_with_or_without_history.counts) == 2:
        assert len(set(test_a_check_in_costs_the_same_handful_of_queries_with_or_without_history.counts.values())) == 1


test_a_check_in_costs_the_same_handful_of_queries_with_or_without_history.counts = {}


def test_arrival_outlier_against_owncheckin_history(client, staff_token, org, now):
    checkin_history(org.staff_a, 30)
    now.set(at(MONDAY, "07:40"))
    assert "ARRIVAL_OUTLIER" not in post(client, body(client_time=now.value), staff_token).json()["flags"]
    now.set(at(MONDAY, "09:30"))  # more than two hours after his usual 07:15
    assert "ARRIVAL_OUTLIER" in post(client, body(client_time=now.value), staff_token).json()["flags"]


def test_capture_service_refuses_a_missing_position(users, setup, org):
    data = capture.CheckInData(client_id=uuid.uuid4(), kind="in", client_time=NOW)
    with pytest.raises(capture.CheckInInvalid):
        capture.checkin_record(user=users.staff_a, data=data)


def test_openapi_documents_the_strict_check_in_body(client, users):
    response = client.get(f"{API}/openapi.json")
    if response.status_code == 404:  # mounted by the project: one schema for the whole API
        response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    operation = next(v["post"] for k, v in paths.items() if k.endswith("/check-ins"))
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    assert {"client_id", "kind", "client_time", "latitude", "longitude", "accuracy_m", "mock_location"} <= set(
        schema["required"])


def test_the_cached_schedule_answers_what_expected_days_answers(org, users, now):
    """The unit-level cache of the check-in path against the resolver itself: a unit's day schedule, an
    employee's own assignment over it, and a shift unit whose roster decides per employee."""
    from simasn.attendance.selectors_capture import clear_caches, expectations_of
    from simasn.employees.tests.factories import EmployeeFactory
    from simasn.workcalendar.models import ShiftRoster
    from simasn.workcalendar.schedules import expected_days
    from simasn.workcalendar.tests.schedule_helpers import assign

    schedules = five_day_schedule(org.opd_a)
    assign(schedules.six_day, employee=org.kabid, start=MONDAY - dt.timedelta(days=1))
    off_roster = EmployeeFactory(unit=org.opd_b)
    assign(schedules.shift, unit=org.opd_b, start=dt.date(2025, 1, 1))
    ShiftRoster.objects.create(employee=org.staff_b, date=MONDAY, shift=schedules.shift_of("malam"))
    clear_caches()
    start = MONDAY - dt.timedelta(days=2)
    for employee in (org.staff_a, org.kabid, org.staff_b, off_roster):
        for _ in range(2):  # cold, then from the cache
            expected = {day: exp for (_e, day), exp in expected_days([employee], start, MONDAY).items()}
            assert expectations_of(employee, start, MONDAY) == expected, employee
    assert MONDAY in expectations_of(org.staff_b, start, MONDAY)
    assert MONDAY not in expectations_of(off_roster, start, MONDAY)


def test_cached_offices_are_fresh_within_a_minute_and_at_once_after_a_calendar_change(
        client, staff_token, org, monkeypatch):
    """A new office reaches check-ins within CACHE_SECONDS (or at once when the workcalendar version moves)."""
    from simasn.attendance import selectors_capture
    from simasn.workcalendar import days

    assert post(client, body(client_time=NOW, point=FAR), staff_token).json()["flags"][0] == "OUTSIDE_GEOFENCE"
    office_for(org.opd_a, point=FAR, name="Kantor Baru")
    assert post(client, body(client_time=NOW, point=FAR), staff_token).json()["flags"][0] == "OUTSIDE_GEOFENCE"
    clock = selectors_capture.time.monotonic() + selectors_capture.CACHE_SECONDS + 1
    monkeypatch.setattr(selectors_capture.time, "monotonic", lambda: clock)
    assert "OUTSIDE_GEOFENCE" not in post(client, body(client_time=NOW, point=FAR), staff_token).json()["flags"]
    office_for(org.opd_a, point=OFFICE, name="Kantor Cabang")
    days.invalidate()
    assert [p.name for p in selectors_capture.office_places(org.staff_a.unit)] == [
        "Kantor Baru", "Kantor Cabang", "Kantor Dinas Alpha"]
