"""DOMAIN §2: a 5-day week (Saturday and Sunday off); libur nasional and cuti bersama are not working days,
except for a unit recorded as working on that holiday (and the units below it)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simasn.workcalendar import days, services
from simasn.workcalendar.models import Holiday, UnitHolidayException

from .factories import HolidayFactory

D = dt.date


@pytest.fixture
def national_2026(db):
    services.sync_holidays(years=[2026])


def test_the_nyepi_idul_fitri_fortnight_of_2026_has_five_working_days(national_2026):
    start, end = D(2026, 3, 16), D(2026, 3, 27)
    assert days.working_days_between(start, end) == 5
    assert [(h.date.isoformat(), h.name) for h in days.holidays_between(start, end)] == [
        ("2026-03-18", "Cuti Bersama Hari Suci Nyepi"),
        ("2026-03-19", "Hari Suci Nyepi"),
        ("2026-03-20", "Cuti Bersama Hari Raya Idul Fitri"),
        ("2026-03-23", "Cuti Bersama Hari Raya Idul Fitri"),
        ("2026-03-24", "Cuti Bersama Hari Raya Idul Fitri"),
    ]


def test_idul_fitri_on_a_saturday_takes_no_working_day(national_2026):
    assert days.holidays_between(D(2026, 3, 21), D(2026, 3, 22)) == []
    names = [h.name for h in days.holidays_between(D(2026, 3, 21), D(2026, 3, 22), working_weekdays_only=False)]
    assert names == ["Hari Raya Idul Fitri", "Hari kedua dari Hari Raya Idul Fitri"]


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D(2026, 3, 7), D(2026, 3, 8), D(2026, 12, 26), D(2027, 1, 3)])
def test_saturday_and_sunday_are_never_working_days(day):
    assert not days.is_working_day(day)
    assert days.working_days_between(day, day) == 0


@pytest.mark.django_db
def test_a_plain_week_has_five_working_days_and_end_before_start_has_none():
    assert days.working_days_between(D(2026, 7, 6), D(2026, 7, 12)) == 5
    assert days.working_days_between(D(2026, 7, 10), D(2026, 7, 6)) == 0


def test_add_working_days_skips_weekends_and_holidays(national_2026):
    assert days.add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)  # Tue → past Nyepi and Lebaran
    assert days.add_working_days(D(2026, 3, 25), -1) == D(2026, 3, 17)
    assert days.add_working_days(D(2026, 3, 17), 0) == D(2026, 3, 17)


def test_a_hospital_works_on_a_holiday_and_so_does_its_ward_but_not_another_unit(org, national_2026):
    lebaran_cuti = D(2026, 3, 23)
    UnitHolidayException.objects.create(unit=org.opd_a, date=lebaran_cuti, note="RSUD tetap melayani")
    days.invalidate()
    assert days.is_working_day(lebaran_cuti, org.opd_a)
    assert days.is_working_day(lebaran_cuti, org.bidang_a)  # a unit below it
    assert not days.is_working_day(lebaran_cuti, org.opd_b)
    assert not days.is_working_day(lebaran_cuti)
    assert days.working_days_between(D(2026, 3, 16), D(2026, 3, 27), org.bidang_a) == 6
    assert D(2026, 3, 23) not in [h.date for h in days.holidays_between(D(2026, 3, 16), D(2026, 3, 27), org.opd_a)]


@pytest.mark.django_db
def test_a_deactivated_holiday_is_a_working_day_again_once_the_service_writes(users):
    holiday = HolidayFactory(date=D(2026, 9, 28), name="Libur uji")
    assert not days.is_working_day(holiday.date)  # table loaded, now cached
    services.holiday_set_active(actor=users.admin_bkpsdm, holiday=holiday, active=False)
    assert days.is_working_day(holiday.date)


@pytest.mark.django_db
def test_the_table_is_cached_until_a_service_bumps_the_version(django_assert_num_queries):
    HolidayFactory(date=D(2026, 9, 28))
    days.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(0):
        days.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
        days.is_working_day(D(2026, 9, 28))


@pytest.mark.django_db
def test_counting_a_year_takes_under_a_millisecond(national_2026):
    services.sync_holidays(years=[2027])
    days.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        days.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    assert (time.perf_counter() - started) / runs < 0.001


def naive_count(start: dt.date, end: dt.date, off: set[dt.date]) -> int:
    count, day = 0, start
    while day <= end:
        count += day.weekday() < 5 and day not in off
        day += dt.timedelta(days=1)
    return count


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(D(2025, 1, 1), D(2027, 12, 31)),
    span=st.integers(0, 400),
    holidays=st.sets(st.dates(D(2025, 1, 1), D(2029, 2, 28)), max_size=40),
    inactive=st.sets(st.integers(0, 39), max_size=5),
)
def test_the_arithmetic_agrees_with_counting_day_by_day(start, span, holidays, inactive):
    Holiday.objects.all().delete()
    ordered = sorted(holidays)
    Holiday.objects.bulk_create(
        Holiday(date=d, name=f"Libur {i}", category="libur_nasional", is_active=i not in inactive)
        for i, d in enumerate(ordered)
    )
    days.invalidate()
    end = start + dt.timedelta(days=span)
    active = {d for i, d in enumerate(ordered) if i not in inactive}
    assert days.working_days_between(start, end) == naive_count(start, end, active)
    assert [h.date for h in days.holidays_between(start, end)] == sorted(
        d for d in active if start <= d <= end and d.weekday() < 5
    )


def test_a_unit_on_a_six_day_schedule_works_on_saturdays_and_so_does_its_subtree(org):
    from simasn.workcalendar.tests.schedule_helpers import assign, standard_schedules

    schedules = standard_schedules()
    assign(schedules.five_day, unit=org.opd_b)
    monday, saturday = dt.date(2026, 6, 8), dt.date(2026, 6, 13)  # no holiday in the table of this test
    assert days.working_days_between(monday, saturday, org.bidang_a) == 5
    assign(schedules.six_day, unit=org.opd_a)
    assert days.is_working_day(saturday, org.bidang_a)
    assert days.working_days_between(monday, saturday, org.bidang_a) == 6
    assert not days.is_working_day(saturday, org.opd_b)
    assert not days.is_working_day(saturday + dt.timedelta(days=1), org.bidang_a)  # Sunday stays off
