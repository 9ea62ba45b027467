"""The demo's schedules: 5-day for the pemda, 6-day for schools, shifts with a roster for the RSUD, Ramadan."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import UnitKind
from simasn.org.tests.factories import UnitFactory
from simasn.workcalendar.demo import ramadan_estimate, seed_schedules
from simasn.workcalendar.models import RamadanPeriod, ShiftRoster
from simasn.workcalendar.schedules import expected_day

TODAY = dt.date(2026, 11, 29)  # a Sunday


def test_ramadan_estimate_of_1448_h():
    assert ramadan_estimate(2027) == (dt.date(2027, 2, 8), dt.date(2027, 3, 9))


@pytest.mark.django_db
def test_seed_schedules():
    root = UnitFactory(name="Pemerintah Kota Kendari", kind=UnitKind.PEMDA)
    office = UnitFactory(name="Dinas Pendidikan", parent=root)
    school = UnitFactory(name="SD Negeri 1 Kendari", kind=UnitKind.UPTD, parent=office)
    rsud = UnitFactory(name="Rumah Sakit Umum Daerah Kota Kendari", kind=UnitKind.RSUD, parent=root)
    clerk, teacher = EmployeeFactory(unit=office), EmployeeFactory(unit=school)
    nurses = [EmployeeFactory(unit=rsud) for _ in range(3)]

    counts = seed_schedules(today=TODAY)
    # 3 nurses × 3 weeks × 5 shifts a week (the rotation has two days off)
    assert counts == {"schedules": 3, "assignments": 3, "rosters": 3 * 15, "ramadan_periods": 2}
    assert seed_schedules(today=TODAY) == {"schedules": 0, "assignments": 0, "rosters": 0, "ramadan_periods": 0}

    saturday = dt.date(2026, 12, 5)
    assert expected_day(clerk, saturday) is None
    assert expected_day(teacher, saturday).start.time() == dt.time(7, 30)
    monday = dt.date(2026, 11, 30)
    assert expected_day(clerk, monday).end.time() == dt.time(16, 0)
    on_duty = [expected_day(n, monday) for n in nurses]
    assert {e.shift_code for e in on_duty if e} <= {"pagi", "siang", "malam"} and any(on_duty)
    assert ShiftRoster.objects.filter(date__gte=dt.date(2026, 11, 23), date__lte=dt.date(2026, 12, 13)).count() == 45
    assert RamadanPeriod.objects.filter(start_date=dt.date(2027, 2, 8)).exists()
