"""`attendance_nav` for the navigation bar, from the page's single navigation-count query (`simasn.core.nav`):
flagged check-ins of the user's bawahan awaiting review, and correction requests awaiting the user."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.accounts.scopes import can_administer_city, is_city_wide, is_personnel_admin, managed_unit_path
from simasn.core.nav import count_of, counts_for, register_count

from .models import CheckInEvent, CorrectionRequest, CorrectionStatus, ReviewStatus

register_count("attendance_reviews", lambda: count_of(
    CheckInEvent.objects.filter(employee__position__parent_id=OuterRef("employee__position_id"),
                                review_status=ReviewStatus.PENDING)), awaits_decision=True)
register_count("attendance_corrections", lambda: count_of(
    CorrectionRequest.objects.filter(approver_id=OuterRef("employee__id"), status=CorrectionStatus.PENDING)),
    awaits_decision=True)


class AttendanceNav:
    def __init__(self, user: Any, counts: dict[str, int]) -> None:
        self.mine = counts["has_employee"] > 0
        self.reviews = counts["attendance_reviews"]
        self.corrections = counts["attendance_corrections"]
        team = self.mine and counts["subordinates"] > 0
        unit_admin = can_administer_city(user) or managed_unit_path(user) is not None
        self.reviewer = team or unit_admin or self.reviews > 0 or self.corrections > 0
        self.board = team or unit_admin or is_city_wide(user)
        self.admin = is_personnel_admin(user)


def attendance_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"attendance_nav": SimpleLazyObject(lambda: AttendanceNav(user, counts_for(request)))}
