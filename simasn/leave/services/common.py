"""What every transition shares: the row lock, the audit snapshot and the notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from simasn.core.errors import NotFound
from simasn.employees.models import Employee
from simasn.notifications import services as notifications

from ..display import type_label
from ..models import AbsenceRequest

SNAPSHOT_FIELDS = [
    "employee", "kind", "leave_type", "start_date", "end_date", "start_time", "end_time", "working_days",
    "reason", "address_during", "attachment", "spt_number", "destination", "location_name", "latitude",
    "longitude", "radius_m", "child_order", "status", "current_step", "verification_code", "cut_short_from",
]
OBJECT_TYPE = "leave.absencerequest"

# Notification categories (notifications.Notification.category).
AWAITING = "leave.awaiting_approval"
DECIDED = "leave.decided"
CHANGES = "leave.changes_requested"
CANCELLED = "leave.cancelled"
CUT_SHORT = "leave.cut_short"


def current_date() -> dt.date:
    """Today in Kendari; one function so tests of the API (which cannot pass `today`) can fix it."""
    return timezone.localdate()


def today_or(day: dt.date | None) -> dt.date:
    return day or current_date()


def locked(request: AbsenceRequest) -> AbsenceRequest:
    """The request row locked for this transaction (PostgreSQL: two approvers clicking at once queue here,
    and the second sees the first one's decision). Only the request row: `of=("self",)`."""
    try:
        return (
            AbsenceRequest.objects.select_for_update(of=("self",))
            .select_related("employee", "employee__unit", "employee__position", "employee__user")
            .get(pk=request.pk)
        )
    except AbsenceRequest.DoesNotExist as exc:
        raise NotFound("Permohonan tidak ditemukan.") from exc


def describe(request: AbsenceRequest) -> str:
    label = type_label(request.kind, request.leave_type) or request.get_kind_display()
    if request.start_date == request.end_date:
        return f"{label} {request.start_date:%d-%m-%Y}"
    return f"{label} {request.start_date:%d-%m-%Y} s.d. {request.end_date:%d-%m-%Y}"


def detail_url(request: AbsenceRequest) -> str:
    return reverse("leave:detail", args=[request.pk])


def notify(employee: Employee | None, *, category: str, title: str, request: AbsenceRequest,
           body: str = "") -> None:
    """A message to an employee's login; an employee without an active login is skipped silently (the
    request page still shows the state)."""
    user = getattr(employee, "user", None) if employee is not None else None
    if user is None or not user.is_active:
        return
    notifications.notify(recipient=user, category=category, title=title, body=body, url=detail_url(request),
                         object_type=OBJECT_TYPE, object_id=request.pk)


def close_awaiting(request: AbsenceRequest) -> None:
    """Approvers' "awaiting approval" messages are no longer news once the request moved on."""
    notifications.mark_read_for_object(object_type=OBJECT_TYPE, object_id=request.pk, category=AWAITING)


def actor_employee_id(actor: Any) -> int | None:
    employee = getattr(actor, "employee", None) if getattr(actor, "is_authenticated", False) else None
    return employee.pk if employee is not None else None
