"""API authentication: Bearer device tokens for phones, the Django session (with CSRF) for the web.

A device token is issued after NIP + password only, never after the second factor, so it stands for
"this employee on this phone": the user it returns answers `is_verified() == False`, and the scopes in
`accounts.scopes` give an admin role its admin powers only when verified. An admin's phone can check in
and read its own data; it cannot list the city's personnel or write to it. Admin pages (the UI) never
accept a Bearer token at all: only the API reads the Authorization header.
"""

from __future__ import annotations

import functools
import hashlib

from django.db import connections
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from simasn.core.sql import Columns, connection_for, fetch, update

from .models import DeviceToken, User

DEVICE_ID_HEADER = "HTTP_X_DEVICE_ID"
# Touch at most once a minute: a check-in burst should not turn every request into a write (last_used_at
# is shown to the user to tell his phones apart and to spot a stale token; minute precision is plenty).
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _not_verified() -> bool:
    return False


@functools.cache
def _token_columns() -> tuple[Columns, Columns, Columns, Columns]:
    from simasn.employees.models import Employee
    from simasn.org.models import Unit

    return (Columns(DeviceToken, alias="t"), Columns(User, alias="u"), Columns(Employee, alias="e"),
            Columns(Unit, alias="eu"))


@functools.cache
def _token_sql(alias: str) -> str:
    """The lookup's SELECT for one database connection, built once: quoting its ~60 column names cost more
    than the database's answer."""
    token_cols, user_cols, employee_cols, unit_cols = _token_columns()
    connection = connections[alias]
    q = connection.ops.quote_name
    employee_table, unit_table = employee_cols.model._meta.db_table, unit_cols.model._meta.db_table
    return (
        f"SELECT {token_cols.sql(connection)}, {user_cols.sql(connection)}, {employee_cols.sql(connection)}, "
        f"{unit_cols.sql(connection)} "
        f"FROM {q(DeviceToken._meta.db_table)} t JOIN {q(User._meta.db_table)} u ON u.{q('id')} = t.{q('user_id')} "
        f"LEFT JOIN {q(employee_table)} e ON e.{q('user_id')} = u.{q('id')} "
        f"LEFT JOIN {q(unit_table)} eu ON eu.{q('id')} = e.{q('unit_id')} "
        f"WHERE t.{q('token_hash')} = %s AND t.{q('revoked_at')} IS NULL AND u.{q('is_active')} = %s"
    )


def device_token_lookup(raw_token: str) -> DeviceToken | None:
    """The live token with its active user, and the user's employee with his unit, in one statement.

    Every phone request starts here, so this is hand-written SQL (core.sql; ~10x cheaper than the same
    select_related through the ORM). The objects come back linked exactly as select_related would leave
    them: `token.user`, `user.employee` (None when the login has no employee) and `employee.unit`."""
    token_cols, user_cols, employee_cols, unit_cols = _token_columns()
    connection = connection_for(DeviceToken)
    rows = fetch(connection, _token_sql(connection.alias), [hash_token(raw_token), True])
    if not rows:
        return None
    row = rows[0]
    cut1 = len(token_cols)
    cut2 = cut1 + len(user_cols)
    cut3 = cut2 + len(employee_cols)
    token = token_cols.instance(row[:cut1], connection)
    user = user_cols.instance(row[cut1:cut2], connection)
    employee = employee_cols.instance(row[cut2:cut3], connection)
    DeviceToken.user.field.set_cached_value(token, user)
    User.employee.related.set_cached_value(user, employee)
    if employee is not None:
        employee_cols.model.user.field.set_cached_value(employee, user)
        employee_cols.model.unit.field.set_cached_value(employee, unit_cols.instance(row[cut3:], connection))
    return token


class BearerDeviceAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = device_token_lookup(token)
        if found is None:
            return None
        # The token is bound to the phone it was issued to: a client that names its device must name
        # that one, so a token copied to another device that sends its own id is refused.
        claimed_device = request.META.get(DEVICE_ID_HEADER)
        if claimed_device is not None and claimed_device != found.device_id:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            update(DeviceToken, found.pk, {"last_used_at": now})
            found.last_used_at = now
        user = found.user
        user.otp_device = None
        user.is_verified = _not_verified
        request.user = user
        request.device_token = found
        return user


class SessionAuth(APIKeyCookie):
    """Django session, CSRF-checked for unsafe methods (ninja does that for cookie auth)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if getattr(user, "requires_otp", False) and not user.is_verified():
                return None
            return user
        return None
