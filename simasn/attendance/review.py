"""The review queue of flagged check-ins: the atasan (for his bawahan langsung), the admin OPD (for his unit
subtree) and admin BKPSDM accept or reject each flagged event with a note.

A flag never changes pay by itself; the decision does, through the day's recompute. Nobody reviews his own
check-in. Every decision is audit-logged in the same transaction, and reading a selfie is audit-logged too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.audit import audit_record
from simasn.core.errors import Conflict, DomainError, NotFound
from simasn.employees.selectors import DEPARTED_STATUSES, own_employee

from .models import CheckInEvent, ReviewStatus

DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED}
MAX_NOTE = 1000


def reviewable_q(viewer: Any, prefix: str = "employee__") -> Q:
    """Events (prefix "employee__") or employees (prefix "") whose check-ins the viewer may review."""
    if not getattr(viewer, "is_authenticated", False):
        return Q(pk__in=[])
    me = own_employee(viewer)
    if can_administer_city(viewer):
        allowed = Q()
    else:
        allowed = Q(pk__in=[])
        path = managed_unit_path(viewer)
        if path:
            allowed |= Q(**{f"{prefix}unit__path__startswith": path})
        if me is not None and me.position_id and me.status not in DEPARTED_STATUSES:
            allowed |= Q(**{f"{prefix}position__parent_id": me.position_id})
    if me is not None:
        allowed &= ~Q(**{f"{prefix}pk" if prefix else "pk": me.pk})
    return allowed


def can_review(viewer: Any) -> bool:
    """Whether the viewer reviews anyone at all (the navigation shows the queue then)."""
    if can_administer_city(viewer) or managed_unit_path(viewer):
        return True
    from simasn.employees.selectors import has_subordinates

    return has_subordinates(viewer)


def review_queue(*, viewer: Any, include_decided: bool = False) -> QuerySet[CheckInEvent]:
    """Flagged events waiting for the viewer (newest first), with their employee and unit joined."""
    qs = CheckInEvent.objects.filter(reviewable_q(viewer))
    if include_decided:
        qs = qs.exclude(review_status=ReviewStatus.NOT_NEEDED)
    else:
        qs = qs.filter(review_status=ReviewStatus.PENDING)
    return qs.select_related("employee", "employee__unit", "reviewed_by").order_by("-server_time", "-id")


def event_get_for_review(*, viewer: Any, pk: int) -> CheckInEvent:
    event = (CheckInEvent.objects.filter(reviewable_q(viewer), pk=pk)
             .select_related("employee", "employee__unit").first())
    if event is None:
        raise NotFound("Presensi tidak ditemukan.")
    return event


def _recompute(employee_id: int, day: dt.date) -> None:
    try:
        from .recompute import recompute_days  # the daily-records side of issue 4
    except ImportError:
        return
    recompute_days([employee_id], day, day)


@transaction.atomic
def event_review(*, actor: Any, pk: int, decision: str, note: str = "") -> CheckInEvent:
    """Accept or reject one flagged event; the day is recomputed in the same transaction."""
    if decision not in DECISIONS:
        raise DomainError("Keputusan harus 'accept' (terima) atau 'reject' (tolak).", code="invalid_decision",
                          field="decision")
    note = (note or "").strip()
    if decision == "reject" and not note:
        raise DomainError("Alasan penolakan wajib diisi.", code="note_required", field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(f"Catatan paling banyak {MAX_NOTE} karakter.", code="note_too_long", field="note")
    event = event_get_for_review(viewer=actor, pk=pk)
    event = CheckInEvent.objects.select_for_update(of=("self",)).select_related("employee").get(pk=event.pk)
    if event.review_status != ReviewStatus.PENDING:
        raise Conflict("Presensi ini sudah ditinjau atau tidak perlu ditinjau.", code="already_reviewed")
    before = {"review_status": event.review_status}
    event.review_status = DECISIONS[decision]
    event.reviewed_by = actor
    event.reviewed_at = timezone.now()
    event.review_note = note
    event.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        actor=actor, action=f"attendance.checkin_{'accepted' if decision == 'accept' else 'rejected'}", obj=event,
        summary=(f"Presensi {event.get_kind_display()} {event.employee.nip} {event.work_date:%d-%m-%Y} "
                 f"{'diterima' if decision == 'accept' else 'ditolak'}"),
        before=before,
        after={"review_status": event.review_status, "note": note, "flags": event.flags,
               "employee_id": event.employee_id, "work_date": event.work_date},
    )
    _recompute(event.employee_id, event.work_date)
    return event


@transaction.atomic
def selfie_open(*, viewer: Any, pk: int) -> CheckInEvent:
    """The event whose selfie the viewer may see (its reviewers, and the employee himself); the read is
    audit-logged. NotFound for anything else, and for a selfie already deleted by retention."""
    me = own_employee(viewer)
    allowed = reviewable_q(viewer)
    if me is not None:
        allowed |= Q(employee_id=me.pk)
    event = CheckInEvent.objects.filter(allowed, pk=pk).exclude(photo="").select_related("employee").first()
    if event is None:
        raise NotFound("Swafoto tidak ditemukan.")
    audit_record(actor=viewer, action="attendance.selfie_viewed", obj=event,
                 summary=f"Swafoto presensi {event.employee.nip} {event.work_date:%d-%m-%Y} dibuka")
    return event
