"""On PostgreSQL the hand-written hot statements (core.sql) are prepared once per connection; the ORM's are not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simasn.core import sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def _prepared(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [text])
        return cursor.fetchone()[0]


def test_a_repeated_core_sql_statement_is_prepared_and_still_logged(postgresql):
    with CaptureQueriesContext(connection) as queries:
        answers = [sql.fetch(connection, "SELECT %s::int + 41 AS answer", [n])[0][0] for n in (1, 2, 3)]
    assert answers == [42, 43, 44]
    assert _prepared("SELECT $1::int + 41 AS answer") == 1
    assert len(queries) == 3  # execute_wrappers and the query log still see every run


def test_the_orms_cursor_binds_on_the_client_and_never_prepares(postgresql):
    for n in (1, 2, 3):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::int + 58", [n])
    assert _prepared("SELECT $1::int + 58") == 0


def test_a_prepared_read_gives_aware_datetimes_in_the_connections_zone(postgresql):
    moment = timezone.now().replace(microsecond=0)
    for _ in range(3):  # the third run is the prepared one
        value = sql.fetch(connection, "SELECT %s::timestamptz", [moment])[0][0]
    assert value == moment
    assert value.utcoffset() == dt.timedelta(0)  # Django's connection runs in UTC
