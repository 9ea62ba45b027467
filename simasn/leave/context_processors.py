"""`leave_nav` for the navigation bar: whether to show "Cuti & Izin", "Persetujuan" (with the number of
requests waiting for the user) and "Kalender Unit", from the page's single navigation-count query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.core.nav import counts_for


class LeaveNav:
    def __init__(self, user: Any, counts: dict[str, int]) -> None:
        self.has_employee = counts["has_employee"] > 0
        self.pending = counts["leave_pending"]
        self.team = self.has_employee and counts["subordinates"] > 0
        # Every atasan approves his bawahan's requests; anyone else only while a request waits for him.
        self.approver = self.team or self.pending > 0
        self.calendar = is_city_wide(user) or managed_unit_path(user) is not None or self.team
        self.routes = is_city_wide(user)  # Alur Persetujuan: BKPSDM edits, pimpinan/inspektorat read


def leave_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: an HTMX fragment or a page without the navigation bar never runs the query.
    return {"leave_nav": SimpleLazyObject(lambda: LeaveNav(user, counts_for(request)))}
