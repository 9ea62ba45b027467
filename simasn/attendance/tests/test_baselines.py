"""ARRIVAL_OUTLIER's stored baselines: what the nightly close stores is what the records say, a check-in on
that day reads it instead of the records and decides exactly as it would without it, and any change to an
earlier arrival makes the employee's check-ins read the records again until the next close."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.attendance import baselines, capture_context, capture_sql
from simasn.attendance.checks import LIMITS
from simasn.attendance.models import ArrivalBaseline, CheckInEvent, EventKind
from simasn.attendance.recompute import recompute_days
from simasn.attendance.tasks import close_days_now
from simasn.employees.models import EmployeeStatus
from simasn.workcalendar.schedules import office_timezone

from .capture_helpers import MONDAY, URLCONF, at, body, checkin_history, post

pytestmark = pytest.mark.urls(URLCONF)


def arrival_minutes_read(employee, moment: dt.datetime) -> tuple[tuple[float, ...], bool]:
    """What a check-in at `moment` gives ARRIVAL_OUTLIER, and whether it came from a stored baseline."""
    reads = capture_context.prepare(employee=employee, kind="in", now=moment).reads
    return reads.arrival_minutes(office_timezone()), reads.baseline is not None


def test_the_baseline_holds_the_latest_arrivals_the_records_hold(org, setup):
    checkin_history(org.staff_a, 30)
    written = baselines.refresh_arrival_baselines(MONDAY)
    tz = office_timezone()
    stored = ArrivalBaseline.objects.get(employee=org.staff_a)
    live = capture_sql.earlier_arrivals(org.staff_a.pk, MONDAY, LIMITS.arrival_days)
    assert stored.as_of == MONDAY and len(stored.minutes) == LIMITS.arrival_days == len(live)
    assert stored.minutes == [capture_context.local_minutes(t, tz) for t in live]  # newest first, 07:15 each
    assert ArrivalBaseline.objects.get(employee=org.staff_b).minutes == []  # no arrivals yet: an empty one
    assert written == ArrivalBaseline.objects.count()
    # The next close replaces them: one row per employee, for the new day only.
    baselines.refresh_arrival_baselines(MONDAY + dt.timedelta(days=1))
    assert set(ArrivalBaseline.objects.values_list("as_of", flat=True)) == {MONDAY + dt.timedelta(days=1)}
    assert ArrivalBaseline.objects.count() == written


def test_departed_employees_get_none(org, setup):
    org.staff_b.status = EmployeeStatus.PENSIUN
    org.staff_b.save(update_fields=["status"])
    baselines.refresh_arrival_baselines(MONDAY)
    assert not ArrivalBaseline.objects.filter(employee=org.staff_b).exists()


@pytest.mark.parametrize("hhmm", ["07:10", "07:40", "09:30"])
def test_a_check_in_sees_the_same_history_with_or_without_the_baseline(org, setup, hhmm):
    checkin_history(org.staff_a, 30)
    moment = at(MONDAY, hhmm)
    without, from_baseline = arrival_minutes_read(org.staff_a, moment)
    assert not from_baseline and len(without) == LIMITS.arrival_days
    baselines.refresh_arrival_baselines(MONDAY)
    with_it, from_baseline = arrival_minutes_read(org.staff_a, moment)
    assert from_baseline and with_it == without


def test_the_check_in_decides_on_the_baseline_when_there_is_one(client, staff_token, org, now):
    """A baseline that disagrees with the records (arrivals at 06:00, the records say 07:15) shows which one
    the check-in read: 07:40 is an outlier only against the baseline."""
    checkin_history(org.staff_a, 30)
    baselines.refresh_arrival_baselines(MONDAY)
    ArrivalBaseline.objects.filter(employee=org.staff_a).update(minutes=[360.0 + i % 3 for i in range(20)])
    now.set(at(MONDAY, "07:40"))
    flagged = post(client, body(client_time=now.value), staff_token).json()
    assert "ARRIVAL_OUTLIER" in flagged["flags"]


def test_a_baseline_of_another_day_is_not_used(client, staff_token, org, now):
    checkin_history(org.staff_a, 30)
    baselines.refresh_arrival_baselines(MONDAY - dt.timedelta(days=1))
    ArrivalBaseline.objects.filter(employee=org.staff_a).update(minutes=[360.0] * 20)
    now.set(at(MONDAY, "07:40"))
    assert "ARRIVAL_OUTLIER" not in post(client, body(client_time=now.value), staff_token).json()["flags"]


def test_changing_an_earlier_arrival_forgets_the_baseline_and_nothing_else_does(org, setup):
    checkin_history(org.staff_a, 30)
    checkin_history(org.staff_a2, 30)
    baselines.refresh_arrival_baselines(MONDAY)
    friday = MONDAY - dt.timedelta(days=3)
    # Recomputing without a change, or a change that is not an arrival (a later check-out), keeps it.
    assert recompute_days([org.staff_a.pk], friday, friday, now=at(MONDAY, "06:00"))["written"] == 0
    CheckInEvent.objects.create(employee=org.staff_a, kind=EventKind.OUT, server_time=at(friday, "17:30"),
                                work_date=friday)
    assert recompute_days([org.staff_a.pk], friday, friday, now=at(MONDAY, "06:00"))["written"] == 1
    assert ArrivalBaseline.objects.filter(employee=org.staff_a, as_of=MONDAY).exists()
    # An earlier arrival on Friday (a correction, say) changes the history: the baseline goes, the
    # colleague's stays, and the check-in reads the records, which hold the new arrival.
    CheckInEvent.objects.create(employee=org.staff_a, kind=EventKind.IN, server_time=at(friday, "06:50"),
                                work_date=friday)
    recompute_days([org.staff_a.pk], friday, friday, now=at(MONDAY, "06:00"))
    assert not ArrivalBaseline.objects.filter(employee=org.staff_a).exists()
    assert ArrivalBaseline.objects.filter(employee=org.staff_a2, as_of=MONDAY).exists()
    minutes, from_baseline = arrival_minutes_read(org.staff_a, at(MONDAY, "07:20"))
    assert not from_baseline and 6 * 60 + 50 in minutes


def test_a_change_to_todays_arrival_keeps_todays_baseline(org, setup):
    """A review decision on this morning's check-in recomputes today (and yesterday): today's first arrival is
    not part of today's baseline, which holds the days before it."""
    checkin_history(org.staff_a, 30)
    baselines.refresh_arrival_baselines(MONDAY)
    CheckInEvent.objects.create(employee=org.staff_a, kind=EventKind.IN, server_time=at(MONDAY, "07:05"),
                                work_date=MONDAY)
    stats = recompute_days([org.staff_a.pk], MONDAY - dt.timedelta(days=1), MONDAY, now=at(MONDAY, "09:00"))
    assert stats["written"] == 1
    assert ArrivalBaseline.objects.filter(employee=org.staff_a, as_of=MONDAY).exists()


def test_the_nightly_close_stores_the_baselines_for_the_day(org, setup):
    checkin_history(org.staff_a, 30)
    stats = close_days_now(MONDAY)
    assert stats["baselines"] == ArrivalBaseline.objects.filter(as_of=MONDAY).count() > 0
    assert arrival_minutes_read(org.staff_a, at(MONDAY, "07:20"))[1]


def test_a_late_arrival_to_last_nights_shift_forgets_todays_baseline(client, org, users, now):
    """Tuesday 00:30, the nurse arrives for Monday's night shift: Monday gets its first arrival after the
    close stored Tuesday's baseline, so that baseline no longer holds his history."""
    from simasn.workcalendar.models import ShiftRoster
    from simasn.workcalendar.tests.schedule_helpers import assign, standard_schedules

    from .capture_helpers import office_for, token_for

    schedules = standard_schedules()
    assign(schedules.shift, employee=org.staff_a, start=dt.date(2025, 1, 1))
    ShiftRoster.objects.create(employee=org.staff_a, date=MONDAY, shift=schedules.shift_of("malam"))
    office_for(org.opd_a)
    tuesday = MONDAY + dt.timedelta(days=1)
    baselines.refresh_arrival_baselines(tuesday)
    now.set(at(tuesday, "00:30"))
    answer = post(client, body(client_time=now.value), token_for(users.staff_a)).json()
    assert answer["daily"]["date"] == MONDAY.isoformat()
    assert not ArrivalBaseline.objects.filter(employee=org.staff_a).exists()
    assert ArrivalBaseline.objects.filter(employee=org.staff_b, as_of=tuesday).exists()
