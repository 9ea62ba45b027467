"""`leave_nav` for the navigation bar: whether to show "Cuti & Izin", "Persetujuan" (with the number of
requests waiting for the user) and "Kalender Unit". Each answer is one small query, asked only when the
template reads it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.employees.selectors import has_subordinates, own_employee


class LeaveNav:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def has_employee(self) -> bool:
        return own_employee(self.user) is not None

    @cached_property
    def pending(self) -> int:
        from .selectors import approval_inbox

        return approval_inbox(viewer=self.user).count() if self.has_employee else 0

    @cached_property
    def team(self) -> bool:
        return self.has_employee and has_subordinates(self.user)

    @property
    def approver(self) -> bool:
        """An atasan (every atasan approves his bawahan's requests) or anyone with a request waiting."""
        return self.team or self.pending > 0

    @cached_property
    def calendar(self) -> bool:
        return is_city_wide(self.user) or managed_unit_path(self.user) is not None or self.team


def leave_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: an HTMX fragment or a page without the navigation bar never runs the queries.
    return {"leave_nav": SimpleLazyObject(lambda: LeaveNav(user))}
