"""The SQLite backend remembers Django's placeholder rewrite; the rewrite itself must stay Django's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangoCursor

from simasn.core.sqlite.base import SQLiteCursorWrapper, qmark_style


@pytest.mark.parametrize("query", [
    "SELECT 1",
    "SELECT * FROM t WHERE a = %s AND b = %s",
    "SELECT '100%%' || %s",  # a literal percent
    "SELECT strftime('%%Y', d) FROM t WHERE id IN (%s, %s, %s)",
    "SELECT %%s, %s",  # an escaped placeholder stays text
])
def test_the_rewrite_is_djangos(query):
    django_cursor = DjangoCursor.__new__(DjangoCursor)
    assert qmark_style(query) == django_cursor.convert_query(query)
    assert qmark_style(query) == django_cursor.convert_query(query)  # the remembered answer too


@pytest.mark.django_db
def test_sqlite_connections_use_it_and_named_parameters_still_work():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, SQLiteCursorWrapper)
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})
        assert cursor.fetchone()[0] == 5
        cursor.execute("SELECT %s || '%%'", ["7"])
        assert cursor.fetchone()[0] == "7%"
