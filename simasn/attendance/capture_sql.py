"""The check-in's own reads and writes as hand-written SQL (core.sql): the statements every check-in runs.

Through the ORM these statements cost ~4 ms of a check-in's CPU, most of it building and compiling the
queries; as cursor calls they cost a fraction of that (docs/benchmarks.md, "Check-in API"). On PostgreSQL
each statement is also a round trip (~0.2 ms of CPU between client and server on this machine), so the four
reads go to the database as one statement, `checkin_reads`: a UNION ALL of the four queries, each row tagged
with the part it answers. Each part is also a function of its own that answers exactly what its ORM twin
would (tests/test_capture_sql.py runs them side by side, and the combined read against the parts); the rarer
paths of the check-in (a replay, a selfie, a full recompute) stay with the ORM. In the combined read the
arrivals come as the day's stored baseline when there is one (baselines.py), else as the records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from simasn.core.sql import Columns, connection_for, cursor, fetch, insert, insert_statement, inserted

from .daily import DayResult
from .models import ArrivalBaseline, CheckInEvent, DailyRecord

HISTORY_FIELDS = ("id", "kind", "server_time", "work_date", "latitude", "longitude", "body_hash", "status",
                  "review_status", "excuse_request_id")
# Every part returns rows of this layout: its tag, the history fields and `same_client`; a part fills the
# positions it answers and leaves NULL in the others.
_WIDTH = 1 + len(HISTORY_FIELDS) + 1
_ID = 1  # the primary key comes first in every model's column order


@functools.cache
def _position(field: str) -> int:
    """Where a history field sits in the layout: the columns come in the model's order (core.sql.Columns),
    not in HISTORY_FIELDS'."""
    return 1 + _history_columns().attnames.index(field)


@functools.cache
def _history_columns() -> Columns:
    return Columns(CheckInEvent, HISTORY_FIELDS)


@functools.cache
def _arrival_columns() -> Columns:
    return Columns(DailyRecord, ["first_in"])


@dataclass(frozen=True)
class _Part:
    tag: str
    sql: str  # a SELECT of the shared layout
    params: list


def _wrapped(tag: str, inner: str, filled: dict[int, str]) -> str:
    """A part's SELECT over its subquery `inner`: the tag, the filled positions, NULL elsewhere (NULLs at this
    level take their type from the first part, which fills every position)."""
    columns = ", ".join([f"'{tag}'", *(f"{tag}.{filled[i]}" if i in filled else "NULL" for i in range(1, _WIDTH))])
    return f"SELECT {columns} FROM ({inner}) {tag}"


# Each part's text depends only on the connection: built once per connection (quoting its column names on
# every check-in cost more than SQLite's answer), its parameters per call.


@functools.cache
def _events_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    inner = (f"SELECT {_history_columns().sql(connections[alias])}, "
             f"({q('client_id')} IS NOT NULL AND {q('client_id')} = %s) AS same_client "
             f"FROM {q(CheckInEvent._meta.db_table)} WHERE {q('employee_id')} = %s AND {q('server_time')} >= %s "
             f"ORDER BY {q('server_time')} DESC LIMIT %s")
    names = {i + 1: q(f.column) for i, f in enumerate(_history_columns().fields)} | {_WIDTH - 1: "same_client"}
    return _wrapped("e", inner, names)


def _events_part(connection: Any, employee_id: int, since: dt.datetime, limit: int,
                 client_id: uuid.UUID | None) -> _Part:
    meta = CheckInEvent._meta
    return _Part("e", _events_sql(connection.alias), [
        meta.get_field("client_id").get_db_prep_value(client_id, connection), employee_id,
        meta.get_field("server_time").get_db_prep_value(since, connection), limit])


@functools.cache
def _arrivals_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    inner = (f"SELECT {q('first_in')} FROM {q(DailyRecord._meta.db_table)} WHERE {q('employee_id')} = %s "
             f"AND {q('date')} < %s AND {q('first_in')} IS NOT NULL ORDER BY {q('date')} DESC LIMIT %s")
    return _wrapped("a", inner, {_position("server_time"): q("first_in")})


def _arrivals_part(connection: Any, employee_id: int, before: dt.date, limit: int) -> _Part:
    return _Part("a", _arrivals_sql(connection.alias), [
        employee_id, DailyRecord._meta.get_field("date").get_db_prep_value(before, connection), limit])


@functools.cache
def _baseline_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    table = q(ArrivalBaseline._meta.db_table)
    inner = (f"SELECT CAST({q('minutes')} AS TEXT) AS {q('minutes')} FROM {table} "
             f"WHERE {q('employee_id')} = %s AND {q('as_of')} = %s")
    # The baseline, or else the arrivals themselves; the JSON text travels in a text column of the layout.
    # "Or else" is the LIMIT, 0 when the baseline exists: both databases evaluate it once, before touching a
    # record. As a NOT EXISTS in the WHERE, SQLite tested it on every row and, finding no row to return,
    # walked all of the employee's records (41 µs against 6 µs on 250 days of history).
    arrivals = (f"SELECT {q('first_in')} FROM {q(DailyRecord._meta.db_table)} WHERE {q('employee_id')} = %s "
                f"AND {q('date')} < %s AND {q('first_in')} IS NOT NULL ORDER BY {q('date')} DESC "
                f"LIMIT (CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {q('employee_id')} = %s "
                f"AND {q('as_of')} = %s) THEN 0 ELSE %s END)")
    return (_wrapped("b", inner, {_position("body_hash"): q("minutes")}) + " UNION ALL "
            + _wrapped("a", arrivals, {_position("server_time"): q("first_in")}))


def _baseline_or_arrivals_part(connection: Any, employee_id: int, day: dt.date, limit: int) -> _Part:
    day_value = DailyRecord._meta.get_field("date").get_db_prep_value(day, connection)
    return _Part("b", _baseline_sql(connection.alias), [employee_id, day_value, employee_id, day_value,
                                                         employee_id, day_value, limit])


@functools.cache
def _absence_sql(alias: str) -> str:
    from simasn.leave.models import AbsenceRequest

    q = connections[alias].ops.quote_name
    inner = (f"SELECT {q('id')} FROM {q(AbsenceRequest._meta.db_table)} WHERE {q('employee_id')} = %s "
             f"AND {q('start_date')} <= %s AND {q('end_date')} >= %s AND {q('status')} = %s LIMIT 1")
    return _wrapped("l", inner, {_ID: q("id")})


def _absence_part(connection: Any, employee_id: int, day: dt.date) -> _Part:
    from simasn.leave.models import AbsenceRequest, RequestStatus

    day_value = AbsenceRequest._meta.get_field("start_date").get_db_prep_value(day, connection)
    return _Part("l", _absence_sql(connection.alias), [employee_id, day_value, day_value,
                                                        RequestStatus.APPROVED.value])


@functools.cache
def _device_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    inner = (f"SELECT {q('employee_id')} FROM {q(CheckInEvent._meta.db_table)} WHERE {q('device_id')} = %s "
             f"AND {q('server_time')} >= %s AND {q('server_time')} <= %s AND {q('employee_id')} <> %s LIMIT %s")
    return _wrapped("d", inner, {_ID: q("employee_id")})


def _device_part(connection: Any, device_id: str, since: dt.datetime, until: dt.datetime, excluding: int,
                 limit: int) -> _Part:
    time_field = CheckInEvent._meta.get_field("server_time")
    return _Part("d", _device_sql(connection.alias), [
        device_id, time_field.get_db_prep_value(since, connection), time_field.get_db_prep_value(until, connection),
        excluding, limit])


def _run(connection: Any, parts: list[_Part]) -> dict[str, list[tuple]]:
    """One statement for all the parts; their rows by tag (order within a part is the caller's to restore)."""
    rows = fetch(connection, " UNION ALL ".join(p.sql for p in parts), [v for p in parts for v in p.params])
    found: dict[str, list[tuple]] = defaultdict(list)  # a part may answer under more than one tag
    for row in rows:
        found[row[0]].append(row)
    return found


def _events(connection: Any, rows: list[tuple]) -> list[dict]:
    columns = _history_columns()
    out = []
    for row in rows:
        event = columns.as_dict(row[1:_WIDTH - 1], connection)
        event["same_client"] = bool(row[-1])
        out.append(event)
    out.sort(key=lambda e: e["server_time"], reverse=True)
    return out


def _arrivals(connection: Any, rows: list[tuple]) -> list[dt.datetime]:
    columns = _arrival_columns()
    return sorted((columns.convert([row[_position("server_time")]], connection)[0] for row in rows), reverse=True)


def _device_employees(rows: list[tuple]) -> tuple[int, ...]:
    return tuple(sorted({row[_ID] for row in rows}))


# --- the parts one by one ------------------------------------------------------------------------------------


def recent_events(employee_id: int, since: dt.datetime, limit: int, client_id: uuid.UUID | None = None
                  ) -> list[dict]:
    """The employee's events since `since`, newest first, at most `limit` (index employee, server_time), as
    dicts of HISTORY_FIELDS and `same_client`: whether the event carries `client_id` (compared by the
    database, which spares converting every stored UUID just to find a retry)."""
    connection = connection_for(CheckInEvent)
    part = _events_part(connection, employee_id, since, limit, client_id)
    return _events(connection, _run(connection, [part])["e"])


def earlier_arrivals(employee_id: int, before: dt.date, limit: int) -> list[dt.datetime]:
    """The first arrival of each of the employee's latest `limit` days before `before` that has one, newest
    first, as the daily records keep it (index employee, date)."""
    connection = connection_for(DailyRecord)
    return _arrivals(connection, _run(connection, [_arrivals_part(connection, employee_id, before, limit)])["a"])


def has_approved_absence(employee_id: int, day: dt.date) -> bool:
    """Whether an approved request (cuti, izin, dinas luar, flexible work) of the employee spans the day."""
    connection = connection_for(CheckInEvent)
    return bool(_run(connection, [_absence_part(connection, employee_id, day)])["l"])


def employees_on_device(device_id: str, since: dt.datetime, until: dt.datetime, *, excluding: int,
                        limit: int = 20) -> tuple[int, ...]:
    """Other employees whose events came from this device in the window, sorted (index device_id, server_time)."""
    connection = connection_for(CheckInEvent)
    part = _device_part(connection, device_id, since, until, excluding, limit)
    return _device_employees(_run(connection, [part])["d"])


# --- all of them at once --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInReads:
    events: list[dict]  # recent_events
    arrivals: list[dt.datetime] | None  # earlier_arrivals; None when not asked (a check-out) or baseline found
    on_leave: bool  # has_approved_absence
    device_employees: tuple[int, ...]  # employees_on_device; () without a device id
    baseline: tuple[float, ...] | None = None  # the day's ArrivalBaseline minutes (baselines.py), if stored

    def arrival_minutes(self, tz: dt.tzinfo) -> tuple[float, ...]:
        """The earlier arrivals as minutes after local midnight, newest first, from whichever was read."""
        from .capture_context import local_minutes

        if self.baseline is not None:
            return self.baseline
        return tuple(local_minutes(t, tz) for t in self.arrivals or ())


def checkin_reads(*, employee_id: int, since: dt.datetime, limit: int, client_id: uuid.UUID | None,
                  day: dt.date, arrival_limit: int | None, device_id: str, device_since: dt.datetime,
                  device_until: dt.datetime, device_limit: int = 20) -> CheckInReads:
    """What the four functions above answer, in one statement."""
    connection = connection_for(CheckInEvent)
    parts = [_events_part(connection, employee_id, since, limit, client_id),
             _absence_part(connection, employee_id, day)]
    if arrival_limit:
        parts.append(_baseline_or_arrivals_part(connection, employee_id, day, arrival_limit))
    if device_id:
        parts.append(_device_part(connection, device_id, device_since, device_until, employee_id, device_limit))
    found = _run(connection, parts)
    baseline = tuple(json.loads(found["b"][0][_position("body_hash")])) if found["b"] else None
    return CheckInReads(
        events=_events(connection, found["e"]),
        arrivals=_arrivals(connection, found["a"]) if arrival_limit and baseline is None else None,
        on_leave=bool(found["l"]),
        device_employees=_device_employees(found["d"]) if device_id else (),
        baseline=baseline,
    )


def insert_event(event: CheckInEvent) -> None:
    """INSERT the new event (IntegrityError on a client_id already stored, as save() would raise)."""
    insert(event, connection=connection_for(CheckInEvent, write=True))


def insert_event_with_day(event: CheckInEvent, result: DayResult, now: dt.datetime) -> None:
    """The new event and its day's record (`result`, for the event's employee and work date) stored together:
    both or neither, IntegrityError on a client_id already stored.

    On PostgreSQL this is one statement, an INSERT inside a data-modifying WITH (atomic by itself, so outside
    a transaction it needs no BEGIN and COMMIT: one round trip instead of four). SQLite has no such WITH: there
    the two statements run in one transaction, holding the write lock for nothing else."""
    from .recompute import record_rows, upsert_sql

    connection = connection_for(CheckInEvent, write=True)
    day = record_rows([(event.employee_id, event.work_date, result)], now, connection)[0]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):
            insert(event, connection=connection)
            with cursor(connection) as found:
                found.execute(upsert_sql(connection.alias), day)
        return
    event_sql, event_params = insert_statement(event, connection)
    sql = f"WITH new_event AS ({event_sql}) {upsert_sql(connection.alias)} RETURNING (SELECT id FROM new_event)"
    # Inside a caller's transaction a failure must not abort it: a savepoint then (tests, bulk callers).
    guard = transaction.atomic(using=connection.alias) if connection.in_atomic_block else contextlib.nullcontext()
    with guard, cursor(connection) as found:
        found.execute(sql, [*event_params, *day])
        inserted(event, found.fetchone()[0], connection)
