"""Django's SQLite backend, with the placeholder conversion of each statement remembered.

Python's sqlite3 takes `?` placeholders and Django writes `%s`, so Django's cursor rewrites every statement
with a regular expression before running it. The same statements come back all day (a check-in runs the same
three), and the rewrite of the check-in's 2 KB read cost more CPU than SQLite took to answer it (~40 µs, a
tenth of a millisecond per check-in in all). Remembering the last few thousand rewrites gives the same text.
Set as the ENGINE of SQLite databases in config/settings.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base


@lru_cache(maxsize=4096)
def qmark_style(query: str) -> str:
    """What Django's SQLiteCursorWrapper.convert_query makes of a "format"-style statement."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return qmark_style(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=SQLiteCursorWrapper)
