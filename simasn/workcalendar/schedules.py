"""What is expected of an employee on a date: the schedule resolver attendance, recaps and TPP read.

`expected_day(employee, day)` answers one question; `expected_days(employees, start, end)` answers a whole
recap (10,000 employees × a month) in a constant number of queries: assignments, schedule rows, Ramadan
periods, holiday exceptions and rosters are each read once, then everything is resolved in memory.

Rules, in order:
1. The schedule: the employee's own assignment covering the date, else the assignment of the deepest unit
   on the path from the employee's unit up to the root that covers it. None found → not a working day.
2. A shift schedule: the ShiftRoster row of that date decides (no row → off). Holidays do not cancel a
   rostered shift: rosters are drawn up knowing the holidays, and 24-hour services work on them.
3. A day schedule: a holiday (days.py's table) is off unless the unit or one of its ancestors has a holiday
   exception on that date; during a RamadanPeriod a schedule with Ramadan rows uses them; a weekday
   without a row is off.
All times are wall-clock times in the office time zone (settings.TIME_ZONE, WITA for Kendari); the result
carries aware datetimes. A night shift is keyed by its start date and ends on the next calendar day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import days as workdays
from .models import (
    RamadanPeriod,
    ScheduleAssignment,
    ScheduleDay,
    ScheduleKind,
    Shift,
    ShiftRoster,
    TimeBlock,
    UnitHolidayException,
    WorkSchedule,
)


@dataclass(frozen=True)
class ExpectedDay:
    """One working period an employee is expected to work. Shared between employees with the same
    schedule on the same date, hence no employee in it."""

    date: dt.date
    schedule_name: str
    shift_code: str  # "" for a day schedule
    start: dt.datetime
    end: dt.datetime
    checkin_open: dt.datetime
    checkin_close: dt.datetime
    checkout_open: dt.datetime
    checkout_close: dt.datetime
    grace_minutes: int
    break_minutes: int
    is_ramadan: bool  # the Ramadan times apply
    schedule_id: int = 0

    @property
    def working_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60) - self.break_minutes

    @property
    def late_after(self) -> dt.datetime:
        """A check-in after this moment is late."""
        return self.start + dt.timedelta(minutes=self.grace_minutes)


def office_timezone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def build_expected(block: TimeBlock, day: dt.date, *, schedule: WorkSchedule, shift_code: str = "",
                   is_ramadan: bool = False, tz: dt.tzinfo | None = None) -> ExpectedDay:
    tz = tz or office_timezone()
    end_day = day + dt.timedelta(days=1) if block.ends_next_day else day

    def at(on: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(on, time, tzinfo=tz)

    return ExpectedDay(
        date=day, schedule_name=schedule.name, shift_code=shift_code,
        start=at(day, block.start), end=at(end_day, block.end),
        checkin_open=at(day, block.checkin_open), checkin_close=at(day, block.checkin_close),
        checkout_open=at(end_day, block.checkout_open), checkout_close=at(end_day, block.checkout_close),
        grace_minutes=schedule.grace_minutes, break_minutes=block.break_minutes, is_ramadan=is_ramadan,
        schedule_id=schedule.pk,
    )


def _path_ids(path: str, unit_id: int) -> tuple[int, ...]:
    # Unit.path is the chain of ids from the root ("/1/7/42/"), the unit itself included.
    ids = tuple(int(part) for part in path.strip("/").split("/") if part)
    return ids or (unit_id,)


def _employee_rows(employees: Any) -> tuple[list[tuple[int, int, str]], Any]:
    """[(employee id, unit id, unit path)] and what to filter employee-keyed tables by (a subquery for a
    queryset, so 10,000 ids never become 10,000 query parameters)."""
    from simasn.org.models import Unit

    if isinstance(employees, QuerySet) and not employees.query.is_sliced:
        rows = list(employees.order_by().values_list("pk", "unit_id", "unit__path"))
        return rows, employees.order_by().values("pk")
    employees = list(employees)
    unit_field = employees[0]._meta.get_field("unit") if employees else None
    paths: dict[int, str] = {e.unit_id: e.unit.path for e in employees if unit_field.is_cached(e)}
    missing = {e.unit_id for e in employees} - paths.keys()
    if missing:
        paths.update(Unit.objects.filter(pk__in=missing).values_list("pk", "path"))
    rows = [(e.pk, e.unit_id, paths.get(e.unit_id, "/")) for e in employees]
    return rows, [e.pk for e in employees]


class _Resolver:
    def __init__(self, rows: list[tuple[int, int, str]], employee_filter: Any, start: dt.date, end: dt.date,
                 *, details: bool = True):
        self.start, self.end = start, end
        self.tz = office_timezone()
        self.chains = {unit_id: _path_ids(path, unit_id) for _e, unit_id, path in rows}
        unit_ids = {uid for chain in self.chains.values() for uid in chain}

        covering = Q(effective_from__lte=end) & (Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        self.by_unit: dict[int, list[ScheduleAssignment]] = {}
        self.by_employee: dict[int, list[ScheduleAssignment]] = {}
        schedules: dict[int, WorkSchedule] = {}
        for a in (ScheduleAssignment.objects.filter(covering)
                  .filter(Q(unit_id__in=unit_ids) | Q(employee_id__in=employee_filter))
                  .select_related("schedule").order_by("effective_from")):
            target = self.by_employee.setdefault(a.employee_id, []) if a.employee_id else \
                self.by_unit.setdefault(a.unit_id, [])
            target.append(a)
            schedules[a.schedule_id] = a.schedule
        self.unit_days: dict[int, list[WorkSchedule | None]] = {}
        self.dates = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        if details:
            self._load_details(schedules, unit_ids, employee_filter)

    def _load_details(self, schedules: dict[int, WorkSchedule], unit_ids: set[int], employee_filter: Any) -> None:
        start, end = self.start, self.end
        self.rows: dict[tuple[int, bool, int], ScheduleDay] = {}
        self.has_ramadan: set[int] = set()
        day_schedules = [pk for pk, s in schedules.items() if s.kind != ScheduleKind.SHIFT]
        if day_schedules:
            for row in ScheduleDay.objects.filter(schedule_id__in=day_schedules):
                self.rows[(row.schedule_id, row.is_ramadan, row.weekday)] = row
                if row.is_ramadan:
                    self.has_ramadan.add(row.schedule_id)

        self.ramadan: set[dt.date] = set()
        if self.has_ramadan:
            for first, last in RamadanPeriod.objects.filter(start_date__lte=end, end_date__gte=start).values_list(
                "start_date", "end_date"
            ):
                day = max(first, start)
                while day <= min(last, end):
                    self.ramadan.add(day)
                    day += dt.timedelta(days=1)

        self.holidays: set[dt.date] = set()
        self.exceptions: dict[int, set[dt.date]] = {}
        if day_schedules:
            self.holidays = {h.date for h in workdays.holidays_between(start, end, working_weekdays_only=False)}
            if self.holidays:
                for unit_id, day in UnitHolidayException.objects.filter(
                    unit_id__in=unit_ids, date__in=sorted(self.holidays)
                ).values_list("unit_id", "date"):
                    self.exceptions.setdefault(unit_id, set()).add(day)

        self.rosters: dict[tuple[int, dt.date], Shift] = {}
        if any(s.kind == ScheduleKind.SHIFT for s in schedules.values()):
            # Rosters only name shifts of shift schedules (schedule_services keeps it so): those are few, and
            # reading roster rows as plain tuples keeps a month of a hospital's rosters cheap.
            shifts = {s.pk: s for s in Shift.objects.filter(schedule__kind=ScheduleKind.SHIFT
                                                            ).select_related("schedule")}
            for employee_id, day, shift_id in ShiftRoster.objects.filter(
                date__range=(start, end), employee_id__in=employee_filter
            ).values_list("employee_id", "date", "shift_id"):
                if shift_id in shifts:
                    self.rosters[(employee_id, day)] = shifts[shift_id]

        self.built: dict[tuple[int, int, dt.date], ExpectedDay] = {}
        self.unit_expected: dict[int, list[ExpectedDay | WorkSchedule | None]] = {}

    @staticmethod
    def _covering(assignments: list[ScheduleAssignment] | None, day: dt.date) -> ScheduleAssignment | None:
        for a in assignments or ():
            if a.covers(day):
                return a
        return None

    def unit_schedules(self, unit_id: int) -> list[WorkSchedule | None]:
        """The schedule of each date for an employee of this unit without an assignment of his own."""
        found = self.unit_days.get(unit_id)
        if found is None:
            chain = self.chains[unit_id][::-1]  # deepest first
            found = []
            for day in self.dates:
                schedule = None
                for uid in chain:
                    a = self._covering(self.by_unit.get(uid), day)
                    if a is not None:
                        schedule = a.schedule
                        break
                found.append(schedule)
            self.unit_days[unit_id] = found
        return found

    def expectation(self, employee_id: int, unit_id: int, schedule: WorkSchedule, day: dt.date
                    ) -> ExpectedDay | None:
        if schedule.kind == ScheduleKind.SHIFT:
            shift = self.rosters.get((employee_id, day))
            if shift is None:
                return None
            key = (-1, shift.pk, day)
            found = self.built.get(key)
            if found is None:
                found = build_expected(shift, day, schedule=shift.schedule, shift_code=shift.code, tz=self.tz)
                self.built[key] = found
            return found
        if day in self.holidays and not any(day in self.exceptions.get(uid, ()) for uid in self.chains[unit_id]):
            return None
        ramadan = schedule.pk in self.has_ramadan and day in self.ramadan
        row = self.rows.get((schedule.pk, ramadan, day.weekday()))
        if row is None:
            return None
        key = (schedule.pk, int(ramadan), day)
        found = self.built.get(key)
        if found is None:
            found = build_expected(row, day, schedule=schedule, is_ramadan=ramadan, tz=self.tz)
            self.built[key] = found
        return found

    def schedules(self, rows: list[tuple[int, int, str]]) -> dict[tuple[int, dt.date], WorkSchedule]:
        result: dict[tuple[int, dt.date], WorkSchedule] = {}
        for employee_id, unit_id, _path in rows:
            own = self.by_employee.get(employee_id)
            for day, schedule in zip(self.dates, self.unit_schedules(unit_id), strict=True):
                a = self._covering(own, day) if own else None
                if a is not None:
                    schedule = a.schedule
                if schedule is not None:
                    result[(employee_id, day)] = schedule
        return result

    def unit_expectations(self, unit_id: int) -> list[ExpectedDay | WorkSchedule | None]:
        """Per date, what an employee of this unit without his own assignment is expected to work: the same
        ExpectedDay for all of them, or the shift schedule whose roster decides per employee."""
        found = self.unit_expected.get(unit_id)
        if found is None:
            found = [
                schedule if schedule is not None and schedule.kind == ScheduleKind.SHIFT
                else (self.expectation(0, unit_id, schedule, day) if schedule is not None else None)
                for day, schedule in zip(self.dates, self.unit_schedules(unit_id), strict=True)
            ]
            self.unit_expected[unit_id] = found
        return found

    def resolve(self, rows: list[tuple[int, int, str]]) -> dict[tuple[int, dt.date], ExpectedDay]:
        result: dict[tuple[int, dt.date], ExpectedDay] = {}
        rosters = self.rosters
        for employee_id, unit_id, _path in rows:
            own = self.by_employee.get(employee_id)
            for day, expected in zip(self.dates, self.unit_expectations(unit_id), strict=True):
                a = self._covering(own, day) if own else None
                if a is not None:
                    expected = self.expectation(employee_id, unit_id, a.schedule, day)
                elif isinstance(expected, WorkSchedule):
                    expected = self.expectation(employee_id, unit_id, expected, day) \
                        if (employee_id, day) in rosters else None
                if expected is not None:
                    result[(employee_id, day)] = expected
        return result


def unit_expectations(units: Iterable[tuple[int, str]], start: dt.date, end: dt.date
                      ) -> dict[int, tuple[ExpectedDay | WorkSchedule | None, ...]]:
    """For each (unit id, path), per date from start to end, what an employee of the unit without an assignment
    of his own is expected to work: an ExpectedDay, a shift schedule (his roster decides), or None. One
    resolver for all the units (the same handful of queries for one unit or a whole city), for callers that
    cache per unit."""
    rows = [(0, unit_id, path) for unit_id, path in units]
    if not rows or end < start:
        return {}
    resolver = _Resolver(rows, [], start, end)
    return {unit_id: tuple(resolver.unit_expectations(unit_id)) for _e, unit_id, _path in rows}


def expected_days(employees: QuerySet | Iterable[Any], start: dt.date, end: dt.date
                  ) -> dict[tuple[int, dt.date], ExpectedDay]:
    """Every working period of these employees from start to end (both included), keyed by (employee id,
    date); a missing key is a day off. Pass a QuerySet for large sets: it is used as a subquery."""
    if end < start:
        return {}
    rows, employee_filter = _employee_rows(employees)
    if not rows:
        return {}
    return _Resolver(rows, employee_filter, start, end).resolve(rows)


def expected_day(employee: Any, day: dt.date) -> ExpectedDay | None:
    """The working period of one employee on one date, or None when it is not a working day for him."""
    return expected_days([employee], day, day).get((employee.pk, day))


def schedules_between(employees: QuerySet | Iterable[Any], start: dt.date, end: dt.date
                      ) -> dict[tuple[int, dt.date], WorkSchedule]:
    """The schedule each employee follows on each date (days off included); a missing key: none assigned.
    Two queries whatever the number of employees and days."""
    if end < start:
        return {}
    rows, employee_filter = _employee_rows(employees)
    if not rows:
        return {}
    return _Resolver(rows, employee_filter, start, end, details=False).schedules(rows)


def schedule_on(employee: Any, day: dt.date) -> WorkSchedule | None:
    """The schedule an employee follows on a date (also on his days off), or None when none is assigned."""
    return schedules_between([employee], day, day).get((employee.pk, day))
