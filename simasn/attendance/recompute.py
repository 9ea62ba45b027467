"""Rebuild daily records from their sources, in bulk and idempotently.

Per chunk of employees a constant number of queries: the employees (locked, so two recomputes of one
employee run one after the other and the later one sees every committed event), their expected working
periods (`workcalendar.schedules.expected_days`), their approved excuses (`leave.selectors.excused_days`),
their events, and their stored records; then only the records that differ are written (one upsert) and the
ones that should no longer exist are deleted (one statement). A second run finds nothing to change — the
stored `computed_at` stays too — which is the "recompute twice changes nothing" property the tests check.

Which days have a record: every working day up to today, and any other day with an event (a Saturday
check-in is kept as L with its times). Days after today get none: the nightly task opens each day.
Employees who have left the service keep the records they have; they are not recomputed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from simasn.core import sql
from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES

from .baselines import forget_arrival_baselines
from .daily import EVENT_FACT_FIELDS, RECORD_FIELDS, DayResult, EventFact, configured_scheme, derive_day, work_date_of
from .models import CheckInEvent, DailyRecord

CHUNK_SIZE = 500


def _dates(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _derive_chunk(statuses: dict[int, str], start: dt.date, end: dt.date, now: dt.datetime
                  ) -> Iterator[tuple[int, dt.date, DayResult, Any]]:
    """(employee id, date, result, expected day) for every day of these employees that has a record."""
    from simasn.leave.selectors import excused_days
    from simasn.workcalendar.schedules import expected_days, office_timezone

    tz = office_timezone()
    scheme = configured_scheme()
    ids = list(statuses)
    employees = Employee.objects.filter(pk__in=ids)
    # The day before the range too: a night shift starting then owns the range's first morning.
    expected = expected_days(employees, start - dt.timedelta(days=1), end)
    excuses = excused_days(ids, start, end)

    expected_by_employee: dict[int, dict[dt.date, Any]] = defaultdict(dict)
    for (employee_id, day), period in expected.items():
        expected_by_employee[employee_id][day] = period

    lower = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=2), dt.time(0), tzinfo=tz)
    events: dict[tuple[int, dt.date], list[EventFact]] = defaultdict(list)
    rows = (CheckInEvent.objects.filter(employee_id__in=ids, server_time__gte=lower, server_time__lt=upper)
            .order_by().values_list("employee_id", *EVENT_FACT_FIELDS))
    for employee_id, *values in rows.iterator(chunk_size=5000):
        fact = EventFact(*values)
        day = work_date_of(fact, expected_by_employee.get(employee_id, {}), tz)
        if start <= day <= end:
            events[(employee_id, day)].append(fact)

    for employee_id, status in statuses.items():
        own = expected_by_employee.get(employee_id, {})
        for day in _dates(start, end):
            period = own.get(day)
            day_events = events.get((employee_id, day), ())
            if period is None and not day_events:
                continue
            result = derive_day(day=day, expected=period, excuse=excuses.get((employee_id, day)),
                                employee_status=status, events=day_events, now=now, scheme=scheme, tz=tz)
            yield employee_id, day, result, period


def record_rows(rows: list[tuple[int, dt.date, DayResult]], now: dt.datetime, conn: Any) -> list[list[Any]]:
    """The parameters of `upsert_sql` for each (employee id, date, result), built positionally (the order is
    RECORD_FIELDS', checked by a test). Decimals need no conversion: Django registers a Decimal adapter for
    sqlite3, and psycopg takes them as they are."""
    sqlite = conn.vendor == "sqlite"
    json_cache: dict[tuple, Any] = {}
    codes_field = DailyRecord._meta.get_field("codes")

    def as_json(value: list[str]) -> Any:
        key = tuple(value)
        found = json_cache.get(key)
        if found is None:
            found = json_cache[key] = json.dumps(value) if sqlite else codes_field.get_db_prep_save(value, conn)
        return found

    def as_datetime(value: dt.datetime | None) -> Any:
        # SQLite stores naive UTC text (what Django's adapter writes); PostgreSQL takes the aware value.
        if value is None or not sqlite:
            return value
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))

    now_value = as_datetime(now)
    return [
        [employee_id, day, r.status, as_json(r.codes), as_datetime(r.first_in), as_datetime(r.last_out),
         r.late_minutes, r.early_minutes, r.worked_minutes, r.deduction_percent, r.late_band, r.early_band,
         r.schedule_name, r.excuse_request_id, r.has_pending_review, r.is_closed, now_value]
        for employee_id, day, r in rows
    ]


def upsert_records(rows: list[tuple[int, dt.date, DayResult]], now: dt.datetime) -> int:
    """INSERT … ON CONFLICT (employee, date) DO UPDATE, as one executemany (SQLite and PostgreSQL both speak
    it). Measured: `bulk_create(update_conflicts=True)` spent ~90% of a 10,000-employee month preparing
    values field by field (and SQLite's 999-parameter batches meant 3,400 statements)."""
    conn = connections[router.db_for_write(DailyRecord)]
    batch = record_rows(rows, now, conn)
    # Bound on the server (core.sql.cursor): PostgreSQL plans the upsert once for the whole batch instead of
    # parsing and planning each row's statement text again (a month's recompute writes ~215,000 of them).
    with sql.cursor(conn) as cursor:
        if len(batch) == 1:  # a check-in's day
            cursor.execute(upsert_sql(conn.alias), batch[0])
        else:
            cursor.executemany(upsert_sql(conn.alias), batch)
    return len(batch)


@functools.cache
def upsert_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    by_attname = {f.attname: f for f in DailyRecord._meta.concrete_fields}
    columns = [q(by_attname[n].column) for n in ["employee_id", "date", *RECORD_FIELDS, "computed_at"]]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[2:])
    return (f"INSERT INTO {q(DailyRecord._meta.db_table)} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({q('employee_id')}, {q('date')}) DO UPDATE SET {updates}")


def _range(start: dt.date, end: dt.date, now: dt.datetime) -> tuple[dt.date, dt.date]:
    return start, min(end, timezone.localtime(now, timezone.get_default_timezone()).date())


def compute_days(employee_ids: Iterable[int], start: dt.date, end: dt.date, *, now: dt.datetime | None = None
                 ) -> dict[tuple[int, dt.date], tuple[DayResult, Any]]:
    """What the records of these employees and days would be, without writing (the API's "today")."""
    now = now or timezone.now()
    start, end = _range(start, end, now)
    out: dict[tuple[int, dt.date], tuple[DayResult, Any]] = {}
    if end < start:
        return out
    ids = sorted(set(employee_ids))
    for chunk in _chunks(ids, CHUNK_SIZE):
        statuses = dict(Employee.objects.filter(pk__in=chunk).exclude(status__in=DEPARTED_STATUSES)
                        .values_list("pk", "status"))
        for employee_id, day, result, period in _derive_chunk(statuses, start, end, now):
            out[(employee_id, day)] = (result, period)
    return out


_FIRST_IN = 3 + RECORD_FIELDS.index("first_in")  # in the stored rows: pk, employee_id, date, *RECORD_FIELDS


def _stored_key(row: tuple) -> tuple:
    return tuple(row[3:])


def _new_key(result: DayResult) -> tuple:
    return tuple(getattr(result, f) for f in RECORD_FIELDS)


def recompute_days(employee_ids: Iterable[int], start: dt.date, end: dt.date, *, now: dt.datetime | None = None,
                   chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Bring the daily records of these employees from `start` to `end` (both included; days after today
    are skipped) in line with their sources. Returns counts: employees, written, deleted, unchanged.

    Called after any source changes: a check-in, a review decision, an approved correction, a leave
    decision, a schedule change; and nightly for the last days (tasks.close_days)."""
    now = now or timezone.now()
    start, end = _range(start, end, now)
    stats = {"employees": 0, "written": 0, "deleted": 0, "unchanged": 0}
    if end < start:
        return stats
    ids = sorted(set(employee_ids))
    for chunk in _chunks(ids, chunk_size):
        with transaction.atomic():
            # FOR NO KEY UPDATE: serialises recomputes of the same employees without blocking the check-ins
            # that insert events pointing at them (those take KEY SHARE locks).
            statuses = dict(Employee.objects.select_for_update(no_key=True).filter(pk__in=chunk)
                            .exclude(status__in=DEPARTED_STATUSES).order_by("pk").values_list("pk", "status"))
            if not statuses:
                continue
            stats["employees"] += len(statuses)
            stored = {
                (row[1], row[2]): row for row in
                DailyRecord.objects.filter(employee_id__in=list(statuses), date__range=(start, end))
                .order_by().values_list("pk", "employee_id", "date", *RECORD_FIELDS)
            }
            changed: list[tuple[int, dt.date, DayResult]] = []
            arrivals_changed: dict[int, dt.date] = {}  # employee -> earliest day whose first arrival changed
            for employee_id, day, result, _period in _derive_chunk(statuses, start, end, now):
                row = stored.pop((employee_id, day), None)
                if row is not None and _stored_key(row) == _new_key(result):
                    stats["unchanged"] += 1
                    continue
                changed.append((employee_id, day, result))
                if (row[_FIRST_IN] if row is not None else None) != result.first_in:
                    arrivals_changed[employee_id] = min(day, arrivals_changed.get(employee_id, day))
            if changed:
                stats["written"] += upsert_records(changed, now)
            if stored:
                stats["deleted"] += DailyRecord.objects.filter(pk__in=[row[0] for row in stored.values()]).delete()[0]
                for row in stored.values():
                    if row[_FIRST_IN] is not None:
                        arrivals_changed[row[1]] = min(row[2], arrivals_changed.get(row[1], row[2]))
            if arrivals_changed:
                # A baseline holds the days before its as_of: today's arrival changing leaves today's intact.
                forget_arrival_baselines(arrivals_changed.keys(), changed_from=min(arrivals_changed.values()))
    return stats


def recompute_employee_day(employee: Employee, day: dt.date, *, now: dt.datetime | None = None) -> dict[str, int]:
    """One employee's day — and the day before, whose night shift may own this morning's event."""
    return recompute_days([employee.pk], day - dt.timedelta(days=1), day, now=now)
