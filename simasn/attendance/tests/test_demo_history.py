"""The demo history derives its daily records in memory from the events it draws and inserts them in bulk.
Those records must be exactly what `recompute_days` makes of the stored sources: recomputing the window
right after the generator writes nothing, deletes nothing and finds every record unchanged — with day
schedules, night shifts (check-out the next morning, also after the window), weekend shifts, a holiday,
leave, an izin of a few hours, employees on tugas belajar or CLTN, and stale records from an earlier run."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.attendance.demo import generate_history
from simasn.attendance.models import ArrivalBaseline, CheckInEvent, DailyRecord, EventKind
from simasn.attendance.recompute import recompute_days
from simasn.employees.models import Employee, EmployeeStatus
from simasn.employees.selectors import DEPARTED_STATUSES
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave.models import RequestKind
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.workcalendar.models import ShiftRoster
from simasn.workcalendar.schedule_services import assignment_create
from simasn.workcalendar.tests.factories import HolidayFactory
from simasn.workcalendar.tests.schedule_helpers import SYSTEM, standard_schedules

from .records_helpers import MONDAY, at, make_record, store_event

DAYS = 10
LAST = MONDAY + dt.timedelta(days=11)  # Friday of the second week
HOLIDAY = MONDAY + dt.timedelta(days=3)
FIRST = MONDAY - dt.timedelta(days=3)  # ten working days back from LAST, the holiday skipped: a Friday
SATURDAY = MONDAY + dt.timedelta(days=5)
SHIFTS = ("pagi", "siang", "malam")


@pytest.fixture
def city(org):
    """30 employees on the standard schedules, with the sources that make derivation interesting."""
    std = standard_schedules()
    for unit in (org.opd_a, org.opd_b):
        assignment_create(actor=SYSTEM, schedule=std.five_day, unit=unit, effective_from=dt.date(2026, 1, 1))
    people = [EmployeeFactory(unit=org.opd_a if i % 2 else org.bidang_a) for i in range(30)]
    nurses, six_day = people[:6], people[6:9]
    for e in six_day:
        assignment_create(actor=SYSTEM, schedule=std.six_day, employee=e, effective_from=dt.date(2026, 1, 1))
    for n, e in enumerate(nurses):
        assignment_create(actor=SYSTEM, schedule=std.shift, employee=e, effective_from=dt.date(2026, 1, 1))
        # Every calendar day from the Sunday before the window to the day after it, weekends included.
        for i in range(-1, (LAST - FIRST).days + 2):
            ShiftRoster.objects.create(employee=e, date=FIRST + dt.timedelta(days=i),
                                       shift=std.shift_of(SHIFTS[(i + n) % 3]))
    HolidayFactory(date=HOLIDAY, name="Libur uji")
    AbsenceRequestFactory(employee=people[10], kind=RequestKind.CUTI, leave_type="tahunan",
                          start_date=MONDAY + dt.timedelta(days=1), end_date=MONDAY + dt.timedelta(days=8),
                          working_days=5)
    AbsenceRequestFactory(employee=people[11], kind=RequestKind.IZIN, leave_type="sakit", start_date=FIRST,
                          end_date=FIRST + dt.timedelta(days=1), working_days=2)
    AbsenceRequestFactory(employee=people[12], kind=RequestKind.DINAS_LUAR, leave_type="",
                          start_date=LAST - dt.timedelta(days=2), end_date=LAST, working_days=3)
    AbsenceRequestFactory(employee=people[13], kind=RequestKind.IZIN, leave_type="keperluan_penting",
                          start_date=MONDAY + dt.timedelta(days=2), end_date=MONDAY + dt.timedelta(days=2),
                          working_days=1, start_time=dt.time(7, 0), end_time=dt.time(10, 0))
    Employee.objects.filter(pk=people[14].pk).update(status=EmployeeStatus.TUGAS_BELAJAR)
    Employee.objects.filter(pk=people[15].pk).update(status=EmployeeStatus.CLTN)
    Employee.objects.filter(pk=people[16].pk).update(status=EmployeeStatus.PENSIUN)
    # An earlier run's leftovers: a record the sources no longer give (a Saturday without events), and the
    # departed employee's records, which neither the generator nor a recompute touches.
    make_record(people[20], SATURDAY, ["H"])
    make_record(people[16], FIRST, ["H"])
    return people


def assert_recompute_changes_nothing(counts: dict[str, int], now: dt.datetime) -> None:
    serving = Employee.objects.exclude(status__in=DEPARTED_STATUSES).values_list("pk", flat=True)
    stats = recompute_days(serving, FIRST, LAST, now=now)
    assert stats == {"employees": len(serving), "written": 0, "deleted": 0, "unchanged": counts["attendance_days"]}


def test_records_are_what_recompute_derives_while_the_last_day_is_open(city):
    now = at(LAST, "12:00")
    counts = generate_history(days=DAYS, today=LAST, seed=11, now=now)
    assert counts["attendance_events"] == CheckInEvent.objects.count() > 300
    assert min(CheckInEvent.objects.values_list("work_date", flat=True)) == FIRST
    serving = Employee.objects.exclude(status__in=DEPARTED_STATUSES)
    assert counts["attendance_days"] == DailyRecord.objects.filter(employee__in=serving).count()
    assert_recompute_changes_nothing(counts, now)
    # What the nightly close would have left for the last day's check-ins: every serving employee's baseline.
    assert counts["attendance_baselines"] == ArrivalBaseline.objects.filter(as_of=LAST).count() == serving.count()

    records = DailyRecord.objects.filter(employee__in=serving)
    statuses = set(records.values_list("status", flat=True))
    assert {"H", "TL", "PSW", "TK", "C", "S", "DL", "TB", ""} <= statuses
    nurses = city[:6]
    # Night shifts' check-outs the next morning count for the shift's date; weekend shifts have records.
    nights = records.filter(employee__in=nurses, schedule_name__isnull=False, first_in__isnull=False,
                            last_out__isnull=False).exclude(date=LAST)
    assert any(r.last_out.date() > r.first_in.date() for r in nights)
    assert records.filter(employee__in=nurses, date=SATURDAY).exclude(status="L").exists()
    assert not records.filter(employee=city[20], date=SATURDAY).exists()  # stale one gone
    assert DailyRecord.objects.filter(employee=city[16], date=FIRST).exists()  # departed: kept
    assert not records.filter(date=HOLIDAY).exclude(employee__in=nurses).exists()  # no period, no events
    assert not records.filter(date=LAST, is_closed=True).exclude(employee__in=nurses).exists()

    # A second run replaces the window and still agrees with recompute.
    again = generate_history(days=DAYS, today=LAST, seed=11, now=now)
    assert again == counts
    assert_recompute_changes_nothing(again, now)


def test_records_are_what_recompute_derives_for_a_past_window(city):
    """`today` in the past: the generator closes the window at 23:59 of its last day, and a night shift's
    check-out stored after the window (the next morning, not replaced) still counts for that night."""
    nurse = next(e for e in city[:6] if ShiftRoster.objects.get(employee=e, date=LAST).shift.code == "malam")
    store_event(nurse, EventKind.OUT, at(LAST + dt.timedelta(days=1), "08:04"))
    counts = generate_history(days=DAYS, today=LAST, seed=5)
    now = at(LAST, "23:59")
    assert_recompute_changes_nothing(counts, now)
    night = DailyRecord.objects.get(employee=nurse, date=LAST)
    assert night.last_out == at(LAST + dt.timedelta(days=1), "08:04")
    assert DailyRecord.objects.filter(date__lt=LAST).exclude(status="").count() == DailyRecord.objects.filter(
        date__lt=LAST).count()  # every earlier day is over
