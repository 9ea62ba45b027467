"""The demo history generator and the nightly close: bulk events for the last working days, records
derived from them, the same result on a second run; the close task opens today and closes the last days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings

from simasn.attendance.demo import generate_history
from simasn.attendance.models import CheckInEvent, DailyRecord
from simasn.attendance.tasks import close_days, recompute_range
from simasn.employees.tests.factories import EmployeeFactory
from simasn.workcalendar.models import ScheduleAssignment

from .records_helpers import MONDAY, at

FRIDAY = MONDAY + dt.timedelta(days=4)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(org):
    return [EmployeeFactory(unit=org.opd_a if i % 2 else org.bidang_a) for i in range(40)]


def test_history_of_the_last_working_days(org, people):
    counts = generate_history(days=5, today=FRIDAY, seed=3, now=at(FRIDAY, "12:00"))
    assert counts["attendance_schedules"] == 2  # the two top-level OPD got the standard schedule
    assert ScheduleAssignment.objects.count() == 2
    events = CheckInEvent.objects.all()
    assert counts["attendance_events"] == events.count() > 200
    assert not events.filter(server_time__gt=at(FRIDAY, "12:00")).exists()  # today: only what happened
    assert {d for d in events.values_list("work_date", flat=True)} == {MONDAY + dt.timedelta(days=i) for i in range(5)}
    records = DailyRecord.objects.filter(date__range=(MONDAY, FRIDAY))
    assert counts["attendance_days"] == records.count() == 45 * 5  # 40 + the 5 of the org fixture
    statuses = set(records.values_list("status", flat=True))
    assert {"H", "TL"} <= statuses
    assert not records.filter(date=FRIDAY, is_closed=True).exists()  # today is still open at noon

    before = list(DailyRecord.objects.order_by("employee", "date").values_list("employee", "date", "codes"))
    again = generate_history(days=5, today=FRIDAY, seed=3, now=at(FRIDAY, "12:00"))
    assert again["attendance_events"] == counts["attendance_events"]
    after = list(DailyRecord.objects.order_by("employee", "date").values_list("employee", "date", "codes"))
    assert after == before


@override_settings(TASKS=IMMEDIATE)
def test_close_days_task_and_command(org, people):
    from simasn.workcalendar.schedule_services import assignment_create
    from simasn.workcalendar.tests.schedule_helpers import SYSTEM, standard_schedules

    five_day = standard_schedules().five_day
    for unit in (org.opd_a, org.opd_b):
        assignment_create(actor=SYSTEM, schedule=five_day, unit=unit, effective_from=dt.date(2026, 1, 1))
    result = close_days.enqueue(FRIDAY.isoformat())
    assert result.return_value["employees"] == 45
    assert DailyRecord.objects.filter(date=FRIDAY).count() == 45  # today opened for the board
    assert DailyRecord.objects.filter(date=MONDAY + dt.timedelta(days=2), codes=["TK"]).count() == 45
    call_command("attendance_close_days", date=FRIDAY.isoformat(), verbosity=0)
    assert recompute_range.enqueue([people[0].pk], MONDAY.isoformat(), FRIDAY.isoformat()).return_value[
        "employees"] == 1
