"""Hand-written SQL for the few hot paths where the ORM's own cost per query dominates.

Measured on the check-in path (SQLite, this machine): a narrow SELECT by a unique key takes ~500 µs through
the ORM (building the query, compiling it, converting the row) and ~45 µs as a cursor call; an INSERT of one
event ~1 ms against ~0.1 ms. A check-in runs half a dozen such statements, so the ORM alone would cost more
than the rest of the request put together. Only the check-in and the device-token login use this; everything
else stays with the ORM.

The SQL text stays explicit at the caller. What this module adds is Django's own knowledge of the columns:
`Columns` names them (quoted for the connection) and converts what comes back with the very converters the
ORM's compiler uses (SQLite's text datetimes become aware datetimes, UUIDs, JSON, booleans, decimals), and
`insert` prepares values with each field's `get_db_prep_save`, so rows read and written here are exactly
what the ORM would read and write (tests/test_sql.py compares both on SQLite and PostgreSQL).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]


def connection_for(model: type[Model], *, write: bool = False) -> Any:
    return connections[router.db_for_write(model) if write else router.db_for_read(model)]


class Columns:
    """Some (default: all) concrete columns of a model under a table alias, for a hand-written SELECT."""

    def __init__(self, model: type[Model], fields: Sequence[str] | None = None, *, alias: str | None = None):
        meta = model._meta
        self.model = model
        self.alias = alias or meta.db_table
        # In the model's order whatever order they are named in: Model.from_db fills fields in that order.
        wanted = None if fields is None else {meta.get_field(name) for name in fields}
        self.fields: tuple[Field, ...] = tuple(f for f in meta.concrete_fields if wanted is None or f in wanted)
        if wanted is not None and len(self.fields) != len(wanted):
            raise ValueError(f"Not concrete columns of {meta.label}: {sorted(f.name for f in wanted)}")
        self.attnames = tuple(f.attname for f in self.fields)
        self._converters: dict[str, list[tuple[int, list[Converter], Any]]] = {}
        self._sql: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, connection: Any) -> str:
        found = self._sql.get(connection.alias)
        if found is None:
            q = connection.ops.quote_name
            found = self._sql[connection.alias] = ", ".join(f"{q(self.alias)}.{q(f.column)}" for f in self.fields)
        return found

    def _converters_for(self, connection: Any) -> list[tuple[int, list[Converter], Any]]:
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                converters = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
                if converters:
                    found.append((i, converters, col))
            self._converters[connection.alias] = found
        return found

    def convert(self, values: Sequence[Any], connection: Any) -> list[Any]:
        """The row's values as the ORM would return them."""
        out = list(values)
        for i, converters, col in self._converters_for(connection):
            value = out[i]
            for converter in converters:
                value = converter(value, col, connection)
            out[i] = value
        return out

    def as_dict(self, values: Sequence[Any], connection: Any) -> dict[str, Any]:
        return dict(zip(self.attnames, self.convert(values, connection), strict=True))

    def instance(self, values: Sequence[Any], connection: Any) -> Model | None:
        """A model instance from the row (None when its primary key is NULL: the empty side of a LEFT JOIN).
        Columns left out of the SELECT are deferred, as with `.only()`."""
        converted = self.convert(values, connection)
        pk_name = self.model._meta.pk.attname
        if pk_name in self.attnames and converted[self.attnames.index(pk_name)] is None:
            return None
        return self.model.from_db(connection.alias, list(self.attnames), converted)


def cursor(connection: Any) -> Any:
    """A cursor for this module's statements: on PostgreSQL one that binds on the server, so the connection
    keeps them prepared (core/postgresql/base.py); elsewhere Django's usual cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def fetch(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple]:
    with cursor(connection) as found:
        found.execute(sql, params)
        return found.fetchall()


@functools.cache
def _insert_plan(model: type[Model], with_pk: bool, alias: str) -> tuple[str, tuple[Field, ...]]:
    """The INSERT's text and its fields for one model and connection, built once (quoting ~35 column names per
    check-in cost more than the database's answer)."""
    connection = connections[alias]
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if with_pk or f is not meta.pk)
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {q(meta.pk.column)}"
    return sql, fields


def insert_statement(instance: Model, connection: Any) -> tuple[str, list[Any]]:
    """The INSERT of one new row for the instance (every concrete field but an auto primary key, with its
    `pre_save`, so `auto_now_add` and file fields behave as in `save()`), returning the primary key where the
    database can (PostgreSQL, SQLite ≥ 3.35)."""
    model = type(instance)
    sql, fields = _insert_plan(model, getattr(instance, model._meta.pk.attname) is not None, connection.alias)
    return sql, [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]


def inserted(instance: Model, pk_value: Any, connection: Any) -> Any:
    """Mark the instance as the stored row `insert_statement` created (its primary key as returned)."""
    pk = type(instance)._meta.pk
    if getattr(instance, pk.attname) is None:
        setattr(instance, pk.attname, pk_value)
    instance._state.adding = False
    instance._state.db = connection.alias
    return getattr(instance, pk.attname)


def insert(instance: Model, *, connection: Any | None = None) -> Any:
    """INSERT one new row for the instance, set and return its primary key. Raises django.db.IntegrityError
    like `save()` does. No signals are sent: callers use it for models no receiver listens to."""
    connection = connection or connection_for(type(instance), write=True)
    sql, params = insert_statement(instance, connection)
    with cursor(connection) as found:
        found.execute(sql, params)
        value = found.fetchone()[0] if connection.features.can_return_columns_from_insert else found.lastrowid
    return inserted(instance, value, connection)


def update(model: type[Model], pk: Any, values: Mapping[str, Any], *, connection: Any | None = None) -> int:
    """UPDATE one row by primary key (values by field name or attname, a foreign key by its id); the number
    of rows changed."""
    if not values:
        raise ValueError("Nothing to update.")
    meta = model._meta
    connection = connection or connection_for(model, write=True)
    q = connection.ops.quote_name
    fields = [meta.get_field(name) for name in values]
    assignments = ", ".join(f"{q(f.column)} = %s" for f in fields)
    params = [f.get_db_prep_save(values[name], connection) for name, f in zip(values, fields, strict=True)]
    with cursor(connection) as found:
        found.execute(f"UPDATE {q(meta.db_table)} SET {assignments} WHERE {q(meta.pk.column)} = %s",
                      [*params, meta.pk.get_db_prep_value(pk, connection)])
        return found.rowcount
