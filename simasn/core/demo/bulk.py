"""Fast inserts for the demo's large tables.

`bulk_create` spends about half a millisecond per row building model instances and preparing each value;
for 60,000 history rows that alone breaks the 60-second budget on a small machine. Here each column's
converter is chosen once and rows go to the database in one command per table (`executemany` on SQLite,
`COPY` on PostgreSQL). Only for tables
that seed_demo fills on an empty database: no signals, no validation beyond the database's own constraints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models, router
from django.utils import timezone


def _converter(field: models.Field, connection) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows given as {attname: value}; columns not given take the field default (auto_now fields:
    now). Returns the number of rows."""
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    columns = []  # (attname, converter, default already converted)
    for f in fields:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if auto else f.get_default()
        convert = _converter(f, connection)
        columns.append((f.attname, convert, convert(default) if convert and default is not None else default))
    missing = object()
    batch = []
    for row in rows:
        values = []
        for attname, convert, default in columns:
            value = row.get(attname, missing)
            if value is missing:
                value = default
            elif convert is not None and value is not None:
                value = convert(value)
            values.append(value)
        batch.append(values)
    if not batch:
        return 0
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg sends an executemany as one INSERT per row; COPY streams the rows in one command.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in batch:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", batch)
    return len(batch)


def refresh_planner_statistics(using: str = "default") -> None:
    """Tell PostgreSQL's planner what the bulk load just wrote (ANALYZE: ~3 s for a 10,000-employee city with
    a year of attendance). Autovacuum would get there eventually; until then it plans for the empty tables
    and, measured, the live board joined 20,000 index probes instead of one scan (600 ms instead of 60).
    SQLite plans without statistics and is left alone."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
