"""Reads for the caller's own attendance (the PWA and the mobile app): where he may check in today, his
day so far, and his days of a month."""

from __future__ import annotations

import calendar
import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from simasn.employees.models import Employee
from simasn.workcalendar import days as workdays
from simasn.workcalendar.models import WorkSchedule
from simasn.workcalendar.schedules import ExpectedDay, expected_day, expected_days, office_timezone

from . import capture, capture_context, checks
from .models import CheckInEvent, DailyRecord
from .rules_data import FLAG_LABELS, STATUS_LABELS


def my_locations(employee: Employee, day: dt.date | None = None) -> list[dict]:
    """The geofences valid for the employee on the day: an approved dinas luar / flexible-work place first,
    then the offices of his unit and its ancestors."""
    from simasn.leave.selectors import excused_days

    day = day or timezone.localdate()
    excuse = excused_days([employee.pk], day, day).get((employee.pk, day))
    return [
        {"id": place.location_id, "request_id": place.request_id, "kind": place.kind, "name": place.name,
         "latitude": place.latitude, "longitude": place.longitude, "radius_m": place.radius_m,
         "polygon": place.polygon}
        for place in capture_context.places(employee, excuse)
    ]


def _event_row(event: dict) -> dict:
    return {
        "id": event["id"], "kind": event["kind"], "source": event["source"], "server_time": event["server_time"],
        "status": event["status"], "review_status": event["review_status"], "flags": event["flags"],
        "flag_labels": checks.flag_labels(event["flags"]), "location_name": event["location_name"],
    }


def my_today(employee: Employee, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day = timezone.localdate(now)
    expected = expected_day(employee, day)
    # An event's work date is its local date or the day before (a night shift's morning), so the day's events
    # lie in [day 00:00, day + 2 00:00): a range of the (employee, server_time) index.
    start = dt.datetime.combine(day, dt.time(0), tzinfo=office_timezone())
    events = (CheckInEvent.objects.filter(employee_id=employee.pk, work_date=day, server_time__gte=start,
                                          server_time__lt=start + dt.timedelta(days=2)).order_by("server_time")
              .values("id", "kind", "source", "server_time", "status", "review_status", "flags", "location_name"))
    schedule = None
    if expected is not None:
        schedule = {
            "name": expected.schedule_name, "start": expected.start, "end": expected.end,
            "checkin_open": expected.checkin_open, "checkin_close": expected.checkin_close,
            "checkout_open": expected.checkout_open, "checkout_close": expected.checkout_close,
            "grace_minutes": expected.grace_minutes,
        }
    return {
        "date": day, "server_time": now, "schedule": schedule,
        "events": [_event_row(e) for e in events],
        "daily": capture.daily_answer(employee, day),
    }


def parse_month(text: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    if not text:
        return today.year, today.month
    try:
        year, month = (int(part) for part in text.split("-"))
        if len(text) != 7 or not 2000 <= year <= 2200 or not 1 <= month <= 12:
            raise ValueError
    except ValueError as exc:
        raise capture.CheckInInvalid("Bulan harus berformat YYYY-MM, mis. 2026-03.", code="invalid_month",
                                     field="month") from exc
    return year, month


def my_days(employee: Employee, year: int, month: int) -> list[dict]:
    """The employee's daily records of a month, oldest first (one query)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    rows = (DailyRecord.objects.filter(employee_id=employee.pk, date__range=(first, last)).order_by("date")
            .values("date", "status", "codes", "first_in", "last_out", "late_minutes", "early_minutes",
                    "worked_minutes", "deduction_percent", "has_pending_review", "is_closed"))
    return [
        {**row, "status_label": STATUS_LABELS.get(row["status"], row["status"]),
         "deduction_percent": str(row["deduction_percent"])}
        for row in rows
    ]


def flag_choices() -> list[tuple[str, str]]:
    return list(FLAG_LABELS.items())


# --- per-process caches for the check-in path ----------------------------------------------------------------
#
# A check-in burst asks the same slow-changing questions thousands of times a minute: which offices a unit may
# check in at, and what a unit's schedule (or a shift worker's roster) expects on these days. Each gunicorn
# worker keeps the answers for the whole city, built in one go (a handful of queries, ~15–50 ms for 10,000
# employees) on its first check-in, for at most CACHE_SECONDS, and drops them as soon as the workcalendar
# version changes (the holiday, unit-exception, schedule-assignment and roster services bump it on commit).
# Edits that do not bump it (an office location's geofence, a schedule's times, a transfer) reach check-ins
# within a minute; that delay is accepted for a check-in (the day's record is recomputed from the events
# anyway when the schedule changes). Built per unit instead, a cold worker would pay ~10 ms for each of the
# city's units in the first minutes of the 07:30 burst.

CACHE_SECONDS = 60.0
CACHE_MAX_ENTRIES = 4096


class _Memo:
    def __init__(self) -> None:
        self._data: dict[Any, tuple[str, float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, version: str, load: Callable[[], Any]) -> Any:
        found = self._data.get(key)
        now = time.monotonic()
        if found is not None and found[0] == version and now - found[1] < CACHE_SECONDS:
            return found[2]
        value = load()
        with self._lock:
            if len(self._data) >= CACHE_MAX_ENTRIES:
                self._data.clear()
            self._data[key] = (version, now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_memo = _Memo()


def clear_caches() -> None:
    _memo.clear()


def _version() -> str:
    return workdays.current_version()


def office_places(unit: Any) -> tuple[checks.Place, ...]:
    """The active office locations of the unit and its ancestors as geofences, deepest unit first."""
    from simasn.org import tree
    from simasn.org.models import OfficeLocation

    def load_city() -> dict[int, list[tuple[int, str, int, checks.Place]]]:
        by_unit: dict[int, list[tuple[int, str, int, checks.Place]]] = {}
        for loc in OfficeLocation.objects.filter(is_active=True).select_related("unit").only(
                "id", "name", "latitude", "longitude", "radius_m", "polygon", "unit_id", "unit__depth"):
            place = checks.Place("office", loc.name, loc.latitude, loc.longitude, loc.radius_m, loc.polygon,
                                 location_id=loc.pk)
            by_unit.setdefault(loc.unit_id, []).append((loc.unit.depth, loc.name, loc.pk, place))
        return by_unit

    city = _memo.get("places", _version(), load_city)
    found = [entry for unit_id in tree.ids_of(unit.path) for entry in city.get(unit_id, ())]
    return tuple(place for _depth, _name, _pk, place in sorted(found, key=lambda e: (-e[0], e[1], e[2])))


def _unit_expectations(unit_id: int, path: str, start: dt.date, end: dt.date) -> Sequence[Any] | None:
    """From the worker's table of every active unit; None for a unit created or moved since it was built."""
    from simasn.org.models import Unit
    from simasn.workcalendar.schedules import unit_expectations

    def load_city() -> dict[int, tuple[str, Sequence[Any]]]:
        units = list(Unit.objects.filter(is_active=True).order_by().values_list("pk", "path"))
        days = unit_expectations(units, start, end)
        return {unit_id: (unit_path, days[unit_id]) for unit_id, unit_path in units}

    path_and_days = _memo.get(("unit-days", start, end), _version(), load_city).get(unit_id)
    return path_and_days[1] if path_and_days is not None and path_and_days[0] == path else None


def _individual_expectations(start: dt.date, end: dt.date) -> dict[int, tuple[int, dict[dt.date, ExpectedDay]]]:
    """The days of everyone whose days are not simply his unit's: employees with an assignment of their own and
    the shift workers (their roster decides); employee id → (unit id, days)."""
    from simasn.org.models import Unit
    from simasn.workcalendar.models import ScheduleAssignment

    def load() -> dict[int, tuple[int, dict[dt.date, ExpectedDay]]]:
        units = Unit.objects.filter(is_active=True).order_by().values_list("pk", "path")
        shift_units = [unit_id for unit_id, path in units
                       if any(isinstance(found, WorkSchedule) for found in _unit_expectations(unit_id, path, start, end)
                              or ())]
        own = ScheduleAssignment.objects.filter(employee__isnull=False).values("employee_id")
        employees = Employee.objects.filter(Q(pk__in=own) | Q(unit_id__in=shift_units))
        out: dict[int, tuple[int, dict[dt.date, ExpectedDay]]] = {
            pk: (unit_id, {}) for pk, unit_id in employees.order_by().values_list("pk", "unit_id")}
        for (employee_id, day), expected in expected_days(employees, start, end).items():
            out[employee_id][1][day] = expected
        return out

    return _memo.get(("individual-days", start, end), _version(), load)


def expectations_of(employee: Employee, start: dt.date, end: dt.date) -> dict[dt.date, ExpectedDay]:
    """What schedules.expected_days answers for one employee, from the worker's tables: his unit's days, or his
    own when he has an assignment of his own or works shifts. Someone the tables do not know yet (a new
    employee, a transfer, a new unit) is resolved afresh."""
    individual = _individual_expectations(start, end).get(employee.pk)
    if individual is not None and individual[0] == employee.unit_id:
        return dict(individual[1])
    if individual is None:
        unit_days = _unit_expectations(employee.unit_id, employee.unit.path, start, end)
        if unit_days is not None and not any(isinstance(found, WorkSchedule) for found in unit_days):
            dates = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
            return {day: found for day, found in zip(dates, unit_days, strict=True) if found is not None}
    return {day: exp for (_e, day), exp in expected_days([employee], start, end).items()}
