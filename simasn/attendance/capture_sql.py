"""The check-in's own reads and writes as hand-written SQL (core.sql): the statements every check-in runs.

Through the ORM these statements cost ~4 ms of a check-in's CPU, most of it building and compiling the
queries; as cursor calls they cost ~0.5 ms (docs/benchmarks.md, "Check-in API"). Each function answers
exactly what its ORM twin would (tests/test_capture_sql.py runs both side by side); the rarer paths of the
check-in (a replay, a selfie, a full recompute) stay with the ORM.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid

from simasn.core.sql import Columns, connection_for, fetch, insert

from .models import CheckInEvent, DailyRecord

HISTORY_FIELDS = ("id", "kind", "server_time", "work_date", "latitude", "longitude", "body_hash", "status",
                  "review_status", "excuse_request_id")


@functools.cache
def _history_columns() -> Columns:
    return Columns(CheckInEvent, HISTORY_FIELDS)


def recent_events(employee_id: int, since: dt.datetime, limit: int, client_id: uuid.UUID | None = None
                  ) -> list[dict]:
    """The employee's events since `since`, newest first, at most `limit` (index employee, server_time), as
    dicts of HISTORY_FIELDS and `same_client`: whether the event carries `client_id` (compared by the
    database, which spares converting every stored UUID just to find a retry)."""
    columns = _history_columns()
    connection = connection_for(CheckInEvent)
    q = connection.ops.quote_name
    meta = CheckInEvent._meta
    rows = fetch(connection, (
        f"SELECT {columns.sql(connection)}, ({q('client_id')} IS NOT NULL AND {q('client_id')} = %s) "
        f"FROM {q(meta.db_table)} WHERE {q('employee_id')} = %s AND {q('server_time')} >= %s "
        f"ORDER BY {q('server_time')} DESC LIMIT %s"
    ), [meta.get_field("client_id").get_db_prep_value(client_id, connection), employee_id,
        meta.get_field("server_time").get_db_prep_value(since, connection), limit])
    out = []
    for *values, same_client in rows:
        row = columns.as_dict(values, connection)
        row["same_client"] = bool(same_client)
        out.append(row)
    return out


@functools.cache
def _arrival_columns() -> Columns:
    return Columns(DailyRecord, ["first_in"])


def earlier_arrivals(employee_id: int, before: dt.date, limit: int) -> list[dt.datetime]:
    """The first arrival of each of the employee's latest `limit` days before `before` that has one, as the
    daily records keep it (index employee, date)."""
    columns = _arrival_columns()
    connection = connection_for(DailyRecord)
    q = connection.ops.quote_name
    meta = DailyRecord._meta
    rows = fetch(connection, (
        f"SELECT {columns.sql(connection)} FROM {q(meta.db_table)} WHERE {q('employee_id')} = %s "
        f"AND {q('date')} < %s AND {q('first_in')} IS NOT NULL ORDER BY {q('date')} DESC LIMIT %s"
    ), [employee_id, meta.get_field("date").get_db_prep_value(before, connection), limit])
    return [columns.convert(row, connection)[0] for row in rows]


def has_approved_absence(employee_id: int, day: dt.date) -> bool:
    """Whether an approved request (cuti, izin, dinas luar, flexible work) of the employee spans the day."""
    from simasn.leave.models import AbsenceRequest, RequestStatus

    connection = connection_for(AbsenceRequest)
    q = connection.ops.quote_name
    date_field = AbsenceRequest._meta.get_field("start_date")
    day_value = date_field.get_db_prep_value(day, connection)
    return bool(fetch(connection, (
        f"SELECT 1 FROM {q(AbsenceRequest._meta.db_table)} WHERE {q('employee_id')} = %s "
        f"AND {q('start_date')} <= %s AND {q('end_date')} >= %s AND {q('status')} = %s LIMIT 1"
    ), [employee_id, day_value, day_value, RequestStatus.APPROVED.value]))


def employees_on_device(device_id: str, since: dt.datetime, until: dt.datetime, *, excluding: int,
                        limit: int = 20) -> tuple[int, ...]:
    """Other employees whose events came from this device in the window, sorted (index device_id, server_time)."""
    connection = connection_for(CheckInEvent)
    q = connection.ops.quote_name
    time_field = CheckInEvent._meta.get_field("server_time")
    rows = fetch(connection, (
        f"SELECT {q('employee_id')} FROM {q(CheckInEvent._meta.db_table)} WHERE {q('device_id')} = %s "
        f"AND {q('server_time')} >= %s AND {q('server_time')} <= %s AND {q('employee_id')} <> %s LIMIT %s"
    ), [device_id, time_field.get_db_prep_value(since, connection), time_field.get_db_prep_value(until, connection),
        excluding, limit])
    return tuple(sorted({employee_id for (employee_id,) in rows}))


def insert_event(event: CheckInEvent) -> None:
    """INSERT the new event (IntegrityError on a client_id already stored, as save() would raise)."""
    insert(event, connection=connection_for(CheckInEvent, write=True))
