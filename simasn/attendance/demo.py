"""Demo attendance history: check-ins of every demo employee for the last N working days, then their daily
records. Synthetic, seeded and repeatable; written in bulk (`core.demo.bulk.insert_rows`: executemany on
SQLite, COPY on PostgreSQL) because 10,000 employees × 22 days is ~440,000 events.

Each employee gets a habit (mostly punctual, sometimes late, often late) that decides the day's draw:
absent now and then, a forgotten check-out, late arrivals and early departures in every TL/PSW band, and a
few check-ins outside the office geofence that are flagged (reviewed on older days, waiting on recent ones).
Today only gets the events that already happened.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from simasn.core.demo.bulk import insert_rows, refresh_planner_statistics
from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES
from simasn.org.models import OfficeLocation

from .baselines import refresh_arrival_baselines
from .daily import EVENT_FACT_FIELDS, EventFact, configured_scheme, derive_day, work_date_of
from .models import CheckInEvent, DailyRecord, EventKind, EventSource, EventStatus, ReviewStatus

CHUNK = 1000
SYSTEM = "seed_demo"
# Habit → (probability of the habit, daily absence, late, early leave, forgotten check-out)
HABITS = {
    "tepat": (0.72, 0.01, 0.04, 0.02, 0.01),
    "kadang": (0.22, 0.03, 0.25, 0.08, 0.03),
    "sering": (0.06, 0.08, 0.60, 0.20, 0.08),
}
FLAGGED_SHARE = 0.01
REVIEWED_AFTER_DAYS = 3


def ensure_default_schedule(today: dt.date) -> int:
    """Give every top-level unit the standard 5-day schedule when the demo has no schedule assignment at
    all (so the history has working days to fill). Returns the number of assignments made."""
    from simasn.org.models import Unit
    from simasn.workcalendar import schedule_services
    from simasn.workcalendar.models import ScheduleAssignment, WorkSchedule

    if ScheduleAssignment.objects.exists():
        return 0
    spec = schedule_services.specs_from_template("five_day")
    schedule = WorkSchedule.objects.filter(name=spec["name"]).first() or schedule_services.schedule_create(
        actor=SYSTEM, **spec)
    made = 0
    for unit in Unit.objects.filter(parent__isnull=True):
        schedule_services.assignment_create(actor=SYSTEM, schedule=schedule, unit=unit,
                                            effective_from=dt.date(today.year - 2, 1, 1))
        made += 1
    return made


def _locations() -> dict[str, OfficeLocation]:
    return {loc.unit.path: loc for loc in OfficeLocation.objects.filter(is_active=True).select_related("unit")
            .order_by("-id")}


def _location_for(path: str, by_path: dict[str, OfficeLocation], cache: dict[str, OfficeLocation | None]
                  ) -> OfficeLocation | None:
    if path not in cache:
        segments = path.strip("/").split("/")
        cache[path] = next((by_path[p] for p in ("/" + "/".join(segments[:d]) + "/"
                                                  for d in range(len(segments), 0, -1)) if p in by_path), None)
    return cache[path]


def _habit(rng: random.Random) -> tuple[float, float, float, float]:
    roll, total = rng.random(), 0.0
    for share, *rates in HABITS.values():
        total += share
        if roll < total:
            return tuple(rates)  # type: ignore[return-value]
    return tuple(HABITS["tepat"][1:])  # type: ignore[return-value]


def _minutes_off(rng: random.Random) -> int:
    """Minutes late or early: mostly a few, sometimes in the higher bands (1–150)."""
    return min(150, 1 + int(rng.expovariate(1 / 22)))


def _event(employee_id: int, day: dt.date, kind: str, when: dt.datetime, loc: OfficeLocation | None, rng: random.Random,
           *, flagged: bool, now: dt.datetime) -> dict[str, Any]:
    # Naive UTC: what the database stores, handed over as such (Django's per-value adapter made half the
    # time of a 10,000-employee history); both SQLite and a UTC PostgreSQL session read it as UTC.
    utc = when.astimezone(dt.UTC).replace(tzinfo=None)
    row: dict[str, Any] = {
        "employee_id": employee_id, "kind": kind, "server_time": utc,
        "client_time": utc - dt.timedelta(seconds=rng.randint(0, 20)),
        "work_date": day, "device_id": f"demo-{employee_id}",
        "source": EventSource.KIOSK if rng.random() < 0.1 else EventSource.MOBILE,
        "accuracy_m": round(rng.uniform(4, 35), 1), "mock_location": False,
        "flags": "[]", "flag_details": "{}", "status": EventStatus.ACCEPTED, "review_status": "",
    }
    if loc is None:
        return row
    if flagged:
        distance = rng.randint(300, 2500)
        bearing = rng.uniform(0, 2 * math.pi)
        row.update(
            latitude=loc.latitude + distance * math.cos(bearing) / 111_320,
            longitude=loc.longitude + distance * math.sin(bearing) / 111_320,
            distance_m=float(distance), location_name="", status=EventStatus.FLAGGED,
            flags=json.dumps(["OUTSIDE_GEOFENCE"]),
            flag_details=json.dumps({"OUTSIDE_GEOFENCE": {"distance_m": distance, "nearest": loc.name}}),
            review_status=ReviewStatus.PENDING,
        )
        if (now - when).days >= REVIEWED_AFTER_DAYS:
            row.update(review_status=ReviewStatus.ACCEPTED if rng.random() < 0.8 else ReviewStatus.REJECTED,
                       reviewed_at=utc + dt.timedelta(days=1), review_note="Ditinjau (data demo).")
        return row
    distance = rng.uniform(0, min(loc.radius_m * 0.8, 60))
    bearing = rng.uniform(0, 2 * math.pi)
    row.update(latitude=loc.latitude + distance * math.cos(bearing) / 111_320,
               longitude=loc.longitude + distance * math.sin(bearing) / 111_320,
               distance_m=round(distance, 1), location_id=loc.pk, location_name=loc.name)
    return row


def _day_events(employee_id: int, period: Any, habit: tuple[float, float, float, float], loc: OfficeLocation | None,
                rng: random.Random, now: dt.datetime) -> list[dict[str, Any]]:
    absent, late, early, forgot = habit
    if rng.random() < absent:
        return []
    flagged = rng.random() < FLAGGED_SHARE
    if rng.random() < late:
        arrive = period.late_after + dt.timedelta(minutes=_minutes_off(rng), seconds=rng.randint(0, 59))
    else:
        arrive = period.checkin_open + dt.timedelta(seconds=rng.randint(0, int(
            (period.late_after - period.checkin_open).total_seconds())))
    events = []
    if arrive <= now:
        events.append(_event(employee_id, period.date, EventKind.IN, arrive, loc, rng, flagged=flagged, now=now))
    if rng.random() < forgot:
        return events
    if rng.random() < early:
        leave = period.end - dt.timedelta(minutes=_minutes_off(rng), seconds=rng.randint(0, 59))
    else:
        leave = period.end + dt.timedelta(seconds=rng.randint(0, 75 * 60))
    if arrive < leave <= now:
        events.append(_event(employee_id, period.date, EventKind.OUT, leave, loc, rng, flagged=False, now=now))
    return events


def _working_days(days: int, today: dt.date) -> list[dt.date]:
    from simasn.workcalendar import days as workdays

    found: list[dt.date] = []
    day = today
    while len(found) < days and (today - day).days < days * 3 + 14:
        if workdays.is_working_day(day):
            found.append(day)
        day -= dt.timedelta(days=1)
    return sorted(found)


def _history_records(employee_id: int, status: str, facts: list[EventFact], own: dict[dt.date, Any],
                     excuses: dict[tuple[int, dt.date], Any], window: tuple[dt.date, dt.date], now: dt.datetime,
                     scheme: Any, tz: dt.tzinfo) -> Iterator[dict[str, Any]]:
    """The daily records `recompute._derive_chunk` would derive from these events, as rows for `insert_rows`
    (same date attribution with `work_date_of`, same days: every working day of the window and any day with
    an event, same `derive_day`)."""
    start, end = window
    computed_at = _naive_utc(now)
    by_day: dict[dt.date, list[EventFact]] = defaultdict(list)
    for fact in facts:
        day = work_date_of(fact, own, tz)
        if start <= day <= end:
            by_day[day].append(fact)
    day = start
    while day <= end:
        period = own.get(day)
        day_events = by_day.get(day, ())
        if period is not None or day_events:
            r = derive_day(day=day, expected=period, excuse=excuses.get((employee_id, day)),
                           employee_status=status, events=day_events, now=now, scheme=scheme, tz=tz)
            yield {
                "employee_id": employee_id, "date": day, "status": r.status, "codes": _codes_json(r.codes),
                "first_in": _naive_utc(r.first_in), "last_out": _naive_utc(r.last_out), "late_minutes": r.late_minutes,
                "early_minutes": r.early_minutes, "worked_minutes": r.worked_minutes,
                "deduction_percent": r.deduction_percent, "late_band": r.late_band, "early_band": r.early_band,
                "schedule_name": r.schedule_name, "excuse_request_id": r.excuse_request_id,
                "has_pending_review": r.has_pending_review, "is_closed": r.is_closed, "computed_at": computed_at,
            }
        day += dt.timedelta(days=1)


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    # As the events' times (see _event): the databases' UTC, without the per-value time-zone conversion.
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None)


_CODES_JSON: dict[tuple[str, ...], str] = {}


def _codes_json(codes: list[str]) -> str:
    # insert_rows passes JSON columns through as they are: text for SQLite, parsed by COPY into jsonb.
    key = tuple(codes)
    found = _CODES_JSON.get(key)
    if found is None:
        found = _CODES_JSON[key] = json.dumps(codes)
    return found


def _fact(row: dict[str, Any]) -> EventFact:
    return EventFact(0, row["kind"], row["server_time"].replace(tzinfo=dt.UTC), row["status"], row["review_status"])


def generate_history(*, days: int, today: dt.date, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Events for the last `days` working days up to `today` (today: only what already happened) for every
    serving demo employee, then their daily records. Replaces demo events and records in that window, so a
    second run with the same seed gives the same history.

    The records are derived here from the events just drawn, exactly as `recompute_days` would derive them
    (the tests run it afterwards and expect nothing to change), and inserted in bulk: reading millions of
    events back, comparing with stored records and upserting took most of a year's history."""
    from simasn.leave.selectors import excused_days
    from simasn.workcalendar.schedules import expected_days, office_timezone

    now = now or timezone.now()
    if today < timezone.localtime(now).date():
        now = dt.datetime.combine(today, dt.time(23, 59), tzinfo=timezone.get_default_timezone())
    counts = {"attendance_schedules": ensure_default_schedule(today), "attendance_events": 0, "attendance_days": 0}
    dates = _working_days(days, today)
    if not dates:
        return counts
    first = dates[0]
    wanted = set(dates)
    by_path = _locations()
    loc_cache: dict[str, OfficeLocation | None] = {}
    rng = random.Random(seed)
    statuses = dict(Employee.objects.exclude(status__in=DEPARTED_STATUSES).order_by("pk").values_list("pk", "status"))
    ids = list(statuses)
    tz = office_timezone()
    scheme = configured_scheme()
    # The records' window is recompute_days' (days after now's date get none); events are read from its first
    # midnight to two days after its end, so a night shift's morning check-out finds its date.
    window = (first, min(today, timezone.localtime(now, tz).date()))
    lower = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    upper = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    beyond = dt.datetime.combine(window[1] + dt.timedelta(days=2), dt.time(0), tzinfo=tz)
    with transaction.atomic():
        # The history is the demo's: replace what a previous run left in the window (raw deletes: nothing
        # refers to events or records by cascade).
        CheckInEvent.objects.filter(server_time__gte=lower, server_time__lt=upper)._raw_delete(connection.alias)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            DailyRecord.objects.filter(employee_id__in=chunk, date__range=window)._raw_delete(connection.alias)
            qs = Employee.objects.filter(pk__in=chunk)
            paths = dict(qs.values_list("pk", "unit__path"))
            # The day before the window too, as in recompute: a night shift then owns the first morning.
            periods = expected_days(qs, first - dt.timedelta(days=1), today)
            expected_by_employee: dict[int, dict[dt.date, Any]] = defaultdict(dict)
            for (employee_id, day), period in periods.items():
                expected_by_employee[employee_id][day] = period
            excuses = excused_days(chunk, *window)
            # Events after the emptied window that recompute would also read (none unless `today` is past).
            later: dict[int, list[EventFact]] = defaultdict(list)
            for employee_id, *values in (CheckInEvent.objects.filter(employee_id__in=chunk, server_time__gte=upper,
                                                                     server_time__lt=beyond)
                                         .order_by().values_list("employee_id", *EVENT_FACT_FIELDS)):
                later[employee_id].append(EventFact(*values))
            rows: list[dict[str, Any]] = []
            records: list[dict[str, Any]] = []
            for employee_id in chunk:
                habit = _habit(rng)
                loc = _location_for(paths[employee_id], by_path, loc_cache)
                own = expected_by_employee.get(employee_id, {})
                drawn = len(rows)
                for day in dates:
                    period = own.get(day)
                    if period is not None and day in wanted:
                        rows.extend(_day_events(employee_id, period, habit, loc, rng, now))
                facts = [f for f in map(_fact, rows[drawn:]) if f.server_time >= lower] + later.get(employee_id, [])
                records.extend(_history_records(employee_id, statuses[employee_id], facts, own, excuses, window,
                                                now, scheme, tz))
            # Day by day within the chunk, as a real history is written (check-ins, the nightly close): drawn
            # employee by employee, a day's 10,000 records lay in 10,000 different table pages and the live
            # board read each of them; sorted, they lie in ~20 runs of a chunk's day.
            rows.sort(key=lambda r: r["server_time"])
            records.sort(key=lambda r: r["date"])
            counts["attendance_events"] += insert_rows(CheckInEvent, rows)
            counts["attendance_days"] += insert_rows(DailyRecord, records)
    # What the nightly close leaves for today's check-ins: the demo morning is like any other.
    counts["attendance_baselines"] = refresh_arrival_baselines(window[1], now=now)
    refresh_planner_statistics()
    return counts
