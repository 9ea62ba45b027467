"""Django's PostgreSQL backend, with cursors that bind their parameters on the server when asked.

Django's default psycopg cursor binds parameters on the client: every statement reaches PostgreSQL as new
text, which it parses and plans again. For the check-in's three statements (core.sql, attendance.capture_sql)
planning cost more than running them: ~0.8 ms each against ~0.3 ms, about half of the 4.5 ms of PostgreSQL's
CPU per check-in on this machine. `prepared_cursor()` gives a Django cursor (same error wrapping, same query
logging and execute_wrappers) over psycopg's server-binding cursor, so psycopg keeps the statements a
connection repeats prepared (after OPTIONS["prepare_threshold"] runs, see config/settings.py) and PostgreSQL
plans them once per connection.

Only those cursors bind on the server: switching the whole connection (OPTIONS["server_side_binding"]) breaks
ORM queries whose parameters PostgreSQL must see as equal expressions (`QuerySet.dates()`: "for SELECT
DISTINCT, ORDER BY expressions must appear in select list"). The client-binding cursors the ORM uses never
prepare, whatever the threshold. Set as the ENGINE of PostgreSQL databases in config/settings.py.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    _binds_on_server = False

    def prepared_cursor(self) -> Any:
        """A cursor whose statements psycopg prepares once the connection has run them often enough."""
        self._binds_on_server = True
        try:
            return self.cursor()
        finally:
            self._binds_on_server = False

    def create_cursor(self, name: Any = None) -> Any:
        if name or not self._binds_on_server:
            return super().create_cursor(name)
        # Django's own cursor set-up (its time zone loader) around psycopg's server-binding cursor class.
        connection = self.connection
        factory = connection.cursor_factory
        connection.cursor_factory = base.ServerBindingCursor
        try:
            return super().create_cursor(name)
        finally:
            connection.cursor_factory = factory
