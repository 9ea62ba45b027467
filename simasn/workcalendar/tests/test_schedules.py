"""Working time as DOMAIN §2 states it (Perpres 21/2023; SE Wali Kota Kendari 800/1949/2021), and the
resolver that tells attendance what each employee is expected to work on each date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.tests.factories import UnitFactory
from simasn.workcalendar import rules_data, schedule_services
from simasn.workcalendar.models import Holiday, RamadanPeriod, ShiftRoster, UnitHolidayException
from simasn.workcalendar.schedules import expected_day, expected_days, schedule_on

from .schedule_helpers import SYSTEM, assign, standard_schedules

D = dt.date
WITA = ZoneInfo("Asia/Makassar")
T = rules_data.SCHEDULE_TEMPLATES
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=WITA)


# ── the regulation as data ──────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize(("template", "weekday", "start", "end", "break_minutes", "hours"), [
    # Normal 5-day week: Mon–Thu 07:30–16:00 with a 60-minute break → 7.5 h
    ("five_day", MON, "07:30", "16:00", 60, 7.5),
    ("five_day", THU, "07:30", "16:00", 60, 7.5),
    # Friday 07:30–16:30 with a 90-minute break (Jumatan) → 7.5 h
    ("five_day", FRI, "07:30", "16:30", 90, 7.5),
    # 6-day week: 6.25 h a day
    ("six_day", MON, "07:30", "14:00", 15, 6.25),
    ("six_day", FRI, "07:30", "15:00", 75, 6.25),
    ("six_day", SAT, "07:30", "14:00", 15, 6.25),
])
def test_daily_hours(template, weekday, start, end, break_minutes, hours):
    block = T[template].days[weekday]
    assert (block.start, block.end, block.break_minutes) == (start, end, break_minutes)
    assert block.working_minutes() / 60 == hours


@pytest.mark.parametrize(("template", "ramadan", "weekly_hours"), [
    ("five_day", False, 37.5),  # Perpres 21/2023: 37.5 h a week, breaks excluded (5 × 7.5)
    ("five_day", True, 32.5),   # Ramadan: 32.5 h a week
    ("six_day", False, 37.5),   # 6 × 6.25
])
def test_weekly_hours(template, ramadan, weekly_hours):
    assert T[template].weekly_minutes(ramadan=ramadan) / 60 == weekly_hours
    assert weekly_hours == (rules_data.WEEKLY_HOURS_RAMADAN if ramadan else rules_data.WEEKLY_HOURS)


@pytest.mark.parametrize(("weekday", "start", "end"), [
    (MON, "08:00", "15:00"), (THU, "08:00", "15:00"), (FRI, "08:00", "15:30"),
])
def test_ramadan_times(weekday, start, end):
    block = T["five_day"].ramadan_days[weekday]
    assert (block.start, block.end) == (start, end)


@pytest.mark.parametrize(("template", "key", "checkin", "checkout", "next_day"), [
    ("five_day", MON, ("07:00", "08:00"), ("16:00", "18:00"), False),  # 5-day OPD masuk 07–08, pulang 16–18
    ("five_day", FRI, ("07:00", "08:00"), ("16:00", "18:00"), False),
    ("six_day", SAT, ("07:00", "08:00"), ("14:00", "16:00"), False),   # 6-day OPD masuk 07–08, pulang 14–16
    ("shift", "pagi", ("07:00", "08:00"), ("14:00", "16:00"), False),  # morning shift as the 6-day OPD
    ("shift", "siang", ("13:00", "14:00"), ("21:00", "23:00"), False),  # afternoon 13–14 / 21–23
    ("shift", "malam", ("20:00", "21:00"), ("08:00", "10:00"), True),   # night 20–21 / 08–10 next day
])
def test_kendari_windows(template, key, checkin, checkout, next_day):
    shifts = {s.code: s.block for s in T["shift"].shifts}
    block = shifts[key] if template == "shift" else T[template].days[key]
    assert (block.checkin, block.checkout, block.ends_next_day) == (checkin, checkout, next_day)


def test_weekends_of_the_templates():
    assert set(T["five_day"].days) == {MON, TUE, WED, THU, FRI}
    assert set(T["six_day"].days) == {MON, TUE, WED, THU, FRI, SAT}
    assert [s.code for s in T["shift"].shifts] == list(rules_data.SHIFT_CODES)


# ── the resolver ────────────────────────────────────────────────────────────────────────────────────────

@pytest.fixture
def std(db):
    return standard_schedules()


WEEK = [D(2026, 6, 8) + dt.timedelta(days=i) for i in range(7)]  # Monday 8 … Sunday 14 June 2026


@pytest.mark.parametrize(("index", "start", "end", "checkin", "checkout", "minutes"), [
    (0, "07:30", "16:00", ("07:00", "08:00"), ("16:00", "18:00"), 450),
    (3, "07:30", "16:00", ("07:00", "08:00"), ("16:00", "18:00"), 450),
    (4, "07:30", "16:30", ("07:00", "08:00"), ("16:00", "18:00"), 450),
    (5, None, None, None, None, None),
    (6, None, None, None, None, None),
])
def test_five_day_expected_days(std, org, index, start, end, checkin, checkout, minutes):
    assign(std.five_day, unit=org.opd_a)
    day = WEEK[index]
    found = expected_day(org.staff_a, day)
    if start is None:
        assert found is None
        return
    assert (found.start, found.end) == (at(day, start), at(day, end))
    assert (found.checkin_open, found.checkin_close) == (at(day, checkin[0]), at(day, checkin[1]))
    assert (found.checkout_open, found.checkout_close) == (at(day, checkout[0]), at(day, checkout[1]))
    assert found.working_minutes == minutes
    assert (found.schedule_name, found.shift_code, found.is_ramadan) == (std.five_day.name, "", False)
    assert found.start.utcoffset() == dt.timedelta(hours=8)  # WITA


def test_a_week_of_the_five_day_schedule_is_37_5_hours(std, org):
    assign(std.five_day, unit=org.opd_a)
    week = expected_days([org.staff_a], WEEK[0], WEEK[-1])
    assert sum(e.working_minutes for e in week.values()) / 60 == 37.5
    assert {d.weekday() for _e, d in week} == {MON, TUE, WED, THU, FRI}


def test_six_day_schedule_works_on_saturday(std, org):
    assign(std.six_day, unit=org.opd_a)
    week = expected_days([org.staff_a], WEEK[0], WEEK[-1])
    assert len(week) == 6 and (org.staff_a.pk, WEEK[5]) in week and (org.staff_a.pk, WEEK[6]) not in week
    assert sum(e.working_minutes for e in week.values()) / 60 == 37.5


def test_ramadan_period_overrides_the_times(std, org):
    assign(std.five_day, unit=org.opd_a)
    RamadanPeriod.objects.create(name="Ramadan uji", start_date=WEEK[0], end_date=WEEK[-1])
    week = expected_days([org.staff_a], WEEK[0], WEEK[-1])
    assert sum(e.working_minutes for e in week.values()) / 60 == 32.5
    friday = week[(org.staff_a.pk, WEEK[4])]
    assert (friday.start, friday.end, friday.is_ramadan) == (at(WEEK[4], "08:00"), at(WEEK[4], "15:30"), True)
    after = expected_day(org.staff_a, WEEK[-1] + dt.timedelta(days=1))
    assert (after.start, after.is_ramadan) == (at(after.date, "07:30"), False)


def test_ramadan_leaves_a_schedule_without_ramadan_times_alone(std, org):
    assign(std.six_day, unit=org.opd_a)
    RamadanPeriod.objects.create(name="Ramadan uji", start_date=WEEK[0], end_date=WEEK[-1])
    found = expected_day(org.staff_a, WEEK[0])
    assert (found.start, found.is_ramadan) == (at(WEEK[0], "07:30"), False)


def test_night_shift_ends_the_next_day(std, org):
    assign(std.shift, unit=org.opd_b)
    ShiftRoster.objects.create(employee=org.staff_b, date=WEEK[2], shift=std.shift_of("malam"))
    found = expected_day(org.staff_b, WEEK[2])
    thursday = WEEK[3]
    assert (found.start, found.end) == (at(WEEK[2], "21:00"), at(thursday, "08:00"))
    assert (found.checkin_open, found.checkin_close) == (at(WEEK[2], "20:00"), at(WEEK[2], "21:00"))
    assert (found.checkout_open, found.checkout_close) == (at(thursday, "08:00"), at(thursday, "10:00"))
    assert (found.shift_code, found.working_minutes) == ("malam", 11 * 60)
    assert found.end - found.start == dt.timedelta(hours=11)
    # The night belongs to its start date: Thursday itself is off unless rostered.
    assert expected_day(org.staff_b, thursday) is None


def test_shift_worker_works_only_rostered_days_and_on_holidays(std, org):
    assign(std.shift, unit=org.opd_b)
    Holiday.objects.create(date=WEEK[0], name="Libur uji", category="libur_nasional")
    ShiftRoster.objects.create(employee=org.staff_b, date=WEEK[0], shift=std.shift_of("pagi"))
    ShiftRoster.objects.create(employee=org.staff_b, date=WEEK[6], shift=std.shift_of("siang"))
    week = expected_days([org.staff_b], WEEK[0], WEEK[-1])
    assert {d: e.shift_code for (_e, d), e in week.items()} == {WEEK[0]: "pagi", WEEK[6]: "siang"}
    assert week[(org.staff_b.pk, WEEK[6])].start == at(WEEK[6], "14:00")


def test_precedence_employee_over_deeper_unit_over_shallower_unit(std, org):
    assign(std.five_day, unit=org.opd_a)
    saturday = WEEK[5]
    assert expected_day(org.staff_a, saturday) is None  # 5-day from OPD A
    assign(std.six_day, unit=org.bidang_a)
    assert expected_day(org.staff_a, saturday).schedule_name == std.six_day.name  # deeper unit wins
    assert expected_day(org.head_a, saturday) is None  # the OPD itself keeps the 5-day week
    assign(std.shift, employee=org.staff_a)
    assert expected_day(org.staff_a, saturday) is None  # own shift schedule, not rostered
    assert schedule_on(org.staff_a, saturday) == std.shift
    assert schedule_on(org.staff_a2, saturday) == std.six_day


def test_effective_dates_decide_which_schedule_applies(std, org):
    assign(std.five_day, unit=org.opd_a, start=D(2026, 1, 1))
    assign(std.six_day, unit=org.opd_a, start=WEEK[5])  # closes the 5-day assignment on Friday
    assign(std.six_day, employee=org.staff_a, start=D(2026, 5, 1), end=D(2026, 5, 31))
    found = expected_days([org.staff_a, org.head_a], D(2026, 5, 30), WEEK[6])
    assert (org.staff_a.pk, D(2026, 5, 30)) in found  # a Saturday in the employee's own 6-day May
    assert (org.head_a.pk, D(2026, 5, 30)) not in found
    assert (org.staff_a.pk, D(2026, 6, 6)) not in found  # June: back to the unit's 5-day week
    assert (org.staff_a.pk, WEEK[5]) in found and (org.head_a.pk, WEEK[5]) in found  # 6-day from 13 June


def test_no_assignment_means_no_working_day(std, org):
    assign(std.five_day, unit=org.opd_a, start=WEEK[2])
    assert expected_day(org.staff_b, WEEK[0]) is None
    assert expected_day(org.staff_a, WEEK[1]) is None
    assert expected_day(org.staff_a, WEEK[2]) is not None


def test_holiday_is_off_unless_the_unit_works_on_it(std, org):
    assign(std.five_day, unit=org.opd_a)
    assign(std.five_day, unit=org.opd_b)
    Holiday.objects.create(date=WEEK[1], name="Libur uji", category="libur_nasional")
    Holiday.objects.create(date=WEEK[2], name="Libur nonaktif", category="libur_nasional", is_active=False)
    UnitHolidayException.objects.create(unit=org.opd_a, date=WEEK[1])
    assert expected_day(org.staff_b, WEEK[1]) is None
    assert expected_day(org.staff_a, WEEK[1]) is not None  # the exception of OPD A covers its bidang
    assert expected_day(org.staff_b, WEEK[2]) is not None  # a deactivated holiday is a working day


def test_bulk_resolver_matches_the_single_one(std, org):
    assign(std.five_day, unit=org.opd_a)
    assign(std.shift, unit=org.opd_b)
    assign(std.six_day, employee=org.staff_a2)
    for i, code in enumerate(["pagi", "siang", "malam"]):
        ShiftRoster.objects.create(employee=org.staff_b, date=WEEK[i], shift=std.shift_of(code))
    people = [org.head_a, org.kabid, org.staff_a, org.staff_a2, org.staff_b]
    bulk = expected_days(people, WEEK[0], WEEK[-1])
    for person in people:
        for day in WEEK:
            assert bulk.get((person.pk, day)) == expected_day(person, day)
    from simasn.employees.models import Employee

    assert expected_days(Employee.objects.filter(pk__in=[p.pk for p in people]), WEEK[0], WEEK[-1]) == bulk


def _crowd(std, units: int, per_unit: int):
    root = UnitFactory(name="Pemda Uji")
    assign(std.five_day, unit=root)
    people = []
    for u in range(units):
        opd = UnitFactory(parent=root)
        sub = UnitFactory(parent=opd)
        if u % 3 == 1:
            assign(std.six_day, unit=sub)
        if u % 3 == 2:
            assign(std.shift, unit=opd)
        for _i in range(per_unit):
            people.append(EmployeeFactory(unit=sub if _i % 2 else opd))
        UnitHolidayException.objects.create(unit=opd, date=WEEK[1])
    assign(std.six_day, employee=people[0])
    ShiftRoster.objects.bulk_create(
        ShiftRoster(employee=p, date=d, shift=std.shift_of("malam")) for p in people for d in WEEK[:3]
    )
    return root, people


def test_bulk_resolver_uses_a_constant_number_of_queries(std, org, django_assert_max_num_queries):
    Holiday.objects.create(date=WEEK[1], name="Libur uji", category="libur_nasional")
    RamadanPeriod.objects.create(name="Ramadan uji", start_date=WEEK[3], end_date=WEEK[-1])
    from simasn.employees.models import Employee

    root, people = _crowd(std, units=2, per_unit=2)
    with django_assert_max_num_queries(8):
        small = expected_days(Employee.objects.filter(unit__path__startswith=root.path), WEEK[0], WEEK[-1])
    _root, more = _crowd(std, units=9, per_unit=6)
    with django_assert_max_num_queries(8):
        big = expected_days(Employee.objects.all(), D(2026, 6, 1), D(2026, 6, 30))
    with django_assert_max_num_queries(8):
        as_list = expected_days(list(Employee.objects.all()), D(2026, 6, 1), D(2026, 6, 30))
    assert big == as_list
    assert len(big) > len(small) > 0
    # The last unit follows the shift schedule (assigned to its OPD, inherited by the sub-unit).
    night = big[(more[-1].pk, WEEK[0])]
    assert (night.shift_code, night.end.date()) == ("malam", WEEK[1])
    assert (more[-1].pk, WEEK[3]) not in big  # not rostered


def test_assignment_overlap_rules(std, org):
    first = assign(std.five_day, unit=org.opd_a, start=D(2026, 1, 1))
    second = assign(std.six_day, unit=org.opd_a, start=D(2026, 7, 1))
    first.refresh_from_db()
    assert first.effective_to == D(2026, 6, 30) and second.effective_to is None
    from simasn.core.errors import DomainError

    with pytest.raises(DomainError) as bounded:
        assign(std.five_day, unit=org.opd_a, start=D(2026, 8, 1), end=D(2026, 8, 31))
    assert bounded.value.code == "overlap"
    with pytest.raises(DomainError):
        assign(std.five_day, unit=org.opd_a, start=D(2026, 3, 1))  # starts inside the closed first period
    schedule_services.assignment_end(actor=SYSTEM, assignment=second, effective_to=D(2026, 7, 31))
    assert assign(std.five_day, unit=org.opd_a, start=D(2026, 8, 1), end=D(2026, 8, 31)).pk
