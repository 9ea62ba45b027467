"""Working-day arithmetic: the one module attendance, leave, discipline and TPP ask "was this a working day?".

The active holidays are read once into an in-process table and reused until a service that writes holidays
or unit exceptions bumps the version in Django's cache. Counting is arithmetic (whole weeks × working days per
week, plus the remainder, minus the holidays that fall on working weekdays, found by bisect in a sorted
tuple), so a year-long range costs microseconds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction

from . import rules_data

if TYPE_CHECKING:
    from simasn.org.models import Unit

VERSION_KEY = "workcalendar:holidays:version"


@dataclass(frozen=True)
class HolidayDay:
    date: dt.date
    name: str
    category: str


@dataclass
class _Table:
    version: str
    names: MappingProxyType  # date → tuple of HolidayDay, active holidays only
    off_weekdays: dict[frozenset[int], tuple[dt.date, ...]] = field(default_factory=dict)
    exceptions: dict[int, tuple[dt.date, ...]] | None = None  # unit id → dates it works despite a holiday
    unit_off: dict[tuple[str, frozenset[int]], tuple[dt.date, ...]] = field(default_factory=dict)
    unit_weeks: dict[int, str] | None = None  # unit id → week (rules_data.WEEKEND_DAYS key) of its schedule
    unit_weeks_on: dt.date | None = None  # the day unit_weeks was read for (assignments are dated)

    def off_days(self, weekend: frozenset[int]) -> tuple[dt.date, ...]:
        """Sorted holiday dates that would otherwise be working days."""
        days = self.off_weekdays.get(weekend)
        if days is None:
            days = tuple(d for d in sorted(self.names) if d.weekday() not in weekend)
            self.off_weekdays[weekend] = days
        return days


_lock = threading.Lock()
_table: _Table | None = None
# The version as this process last read it, and when: the shared cache is asked at most once a second (a
# check-in burst would otherwise read it several times per request), so another process's change shows here
# within VERSION_CHECK_SECONDS; this process's own change shows at once (invalidate sets it).
VERSION_CHECK_SECONDS = 1.0
_seen: tuple[float, str] | None = None


def invalidate() -> None:
    """Make every process reload the holiday table on its next question (called by the writing services,
    right away for this transaction and again on commit for everyone else)."""
    global _seen
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    _seen = (time.monotonic(), version)


def invalidate_on_commit() -> None:
    invalidate()
    transaction.on_commit(invalidate)


def current_version() -> str:
    """The version of the calendar data (holidays, exceptions, unit weeks, schedule assignments): a value that
    changes whenever a service calls invalidate(), for callers keeping their own caches."""
    return _current_version()


def _current_version() -> str:
    global _seen
    seen = _seen
    now = time.monotonic()
    if seen is not None and now - seen[0] < VERSION_CHECK_SECONDS:
        return seen[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    _seen = (now, version)
    return version


def _load(version: str) -> _Table:
    from .models import Holiday

    by_date: dict[dt.date, list[HolidayDay]] = {}
    for day, name, category in Holiday.objects.filter(is_active=True).order_by("date", "name").values_list(
        "date", "name", "category"
    ):
        by_date.setdefault(day, []).append(HolidayDay(day, name, category))
    return _Table(version=version, names=MappingProxyType({d: tuple(v) for d, v in by_date.items()}))


def _get_table() -> _Table:
    global _table
    version = _current_version()
    table = _table
    if table is None or table.version != version:
        with _lock:
            table = _load(version)
            _table = table
    return table


def _exceptions(table: _Table) -> dict[int, tuple[dt.date, ...]]:
    if table.exceptions is None:
        from .models import UnitHolidayException

        found: dict[int, list[dt.date]] = {}
        for unit_id, day in UnitHolidayException.objects.values_list("unit_id", "date"):
            found.setdefault(unit_id, []).append(day)
        table.exceptions = {k: tuple(sorted(v)) for k, v in found.items()}
    return table.exceptions


def _ancestor_ids(unit: Unit) -> list[int]:
    # Unit.path is the chain of ids from the root ("/1/7/42/"), the unit itself included.
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return ids or [unit.pk]


def _unit_weeks(table: _Table) -> dict[int, str]:
    """The week of every unit that has a 5- or 6-day schedule assigned today. A unit follows its nearest
    ancestor's; shift schedules have no weekend and leave their units on the default week (a shift worker's
    days come from the roster, which attendance reads through `schedules.expected_days`)."""
    from django.utils import timezone

    today = timezone.localdate()
    if table.unit_weeks is None or table.unit_weeks_on != today:
        from django.db.models import Q

        from .models import ScheduleAssignment

        weeks = {rules_data.KIND_FIVE_DAY: "5_hari", rules_data.KIND_SIX_DAY: "6_hari"}
        rows = (ScheduleAssignment.objects.filter(unit__isnull=False, effective_from__lte=today,
                                                  schedule__kind__in=list(weeks))
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
                .order_by("effective_from").values_list("unit_id", "schedule__kind"))
        table.unit_weeks = {unit_id: weeks[kind] for unit_id, kind in rows}
        table.unit_weeks_on = today
        table.unit_off.clear()  # keyed by weekend too, but keep it from growing across days
    return table.unit_weeks


def _weekend(unit: Unit | None) -> frozenset[int]:
    week = rules_data.DEFAULT_WEEK
    if unit is not None:
        weeks = _unit_weeks(_get_table())
        week = next((weeks[uid] for uid in reversed(_ancestor_ids(unit)) if uid in weeks), week)
    return rules_data.WEEKEND_DAYS[week]


def _off_days(table: _Table, unit: Unit | None) -> tuple[dt.date, ...]:
    weekend = _weekend(unit)
    off = table.off_days(weekend)
    if unit is None:
        return off
    key = (unit.path, weekend)
    cached = table.unit_off.get(key)
    if cached is None:
        exceptions = _exceptions(table)
        worked = {d for uid in _ancestor_ids(unit) for d in exceptions.get(uid, ())}
        cached = tuple(d for d in off if d not in worked) if worked else off
        table.unit_off[key] = cached
    return cached


def _weekdays_between(start: dt.date, end: dt.date, weekend: frozenset[int]) -> int:
    span = (end - start).days + 1
    weeks, rest = divmod(span, 7)
    first = start.weekday()
    return weeks * (7 - len(weekend)) + sum(1 for i in range(rest) if (first + i) % 7 not in weekend)


def is_working_day(day: dt.date, unit: Unit | None = None) -> bool:
    if day.weekday() in _weekend(unit):
        return False
    off = _off_days(_get_table(), unit)
    i = bisect_left(off, day)
    return not (i < len(off) and off[i] == day)


def working_days_between(start: dt.date, end: dt.date, unit: Unit | None = None) -> int:
    """Working days from start to end, both included (0 when end is before start)."""
    if end < start:
        return 0
    off = _off_days(_get_table(), unit)
    return _weekdays_between(start, end, _weekend(unit)) - (bisect_right(off, end) - bisect_left(off, start))


def holidays_between(start: dt.date, end: dt.date, unit: Unit | None = None, *,
                     working_weekdays_only: bool = True) -> list[HolidayDay]:
    """Active holidays in the range, in date order. By default only those that take away a working day
    (not on a weekend, not a day the unit works anyway)."""
    table = _get_table()
    if working_weekdays_only:
        off = _off_days(table, unit)
        days = off[bisect_left(off, start):bisect_right(off, end)]
    else:
        days = tuple(d for d in sorted(table.names) if start <= d <= end)
    return [h for d in days for h in table.names[d]]


def add_working_days(start: dt.date, n: int, unit: Unit | None = None) -> dt.date:
    """The n-th working day after start (before it when n is negative); start itself when n is 0."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day, unit):
            remaining -= 1
    return day
