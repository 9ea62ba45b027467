"""Filing a request, filing it again after "perlu perbaikan", and withdrawing it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.employees.services.common import stored_files_removed_on_error

from .. import ledger, routing, rules, rules_data, validation
from ..models import AbsenceRequest, ApprovalStep, RequestKind, RequestStatus, StepStatus
from . import common

MAX_IDEMPOTENCY_KEY = 64
# What the requester may change when asked for a correction (kind and employee stay).
EDITABLE_FIELDS = frozenset({
    "leave_type", "start_date", "end_date", "start_time", "end_time", "reason", "address_during", "attachment",
    "spt_number", "destination", "location_name", "latitude", "longitude", "radius_m", "child_order",
})


def _validated(employee: Employee, *, kind: str, leave_type: Any, start_date: Any, end_date: Any,
               start_time: Any, end_time: Any, reason: Any, attachment: UploadedFile | None, has_stored: bool,
               fields: dict[str, Any], exclude_pk: int | None, today: dt.date):
    draft = validation.clean_common(kind=kind, leave_type=leave_type or "", start_date=start_date,
                                    end_date=end_date, start_time=start_time, end_time=end_time, reason=reason,
                                    today=today)
    checked = validation.check_attachment(attachment) if attachment is not None else None
    validation.check_kind_fields(employee, draft, fields=fields, has_attachment=checked is not None or has_stored,
                                 exclude_pk=exclude_pk, today=today)
    validation.check_overlap(employee, draft, exclude_pk=exclude_pk)
    return draft, checked


def _apply(request: AbsenceRequest, draft: validation.Draft) -> None:
    for name in ("kind", "leave_type", "start_date", "end_date", "start_time", "end_time", "reason",
                 "address_during", "spt_number", "destination", "location_name", "latitude", "longitude",
                 "radius_m", "child_order", "working_days"):
        setattr(request, name, getattr(draft, name))


def _create_steps(request: AbsenceRequest) -> ApprovalStep:
    chain = routing.resolve_chain(request.employee, kind=request.kind, leave_type=request.leave_type)
    steps = [
        ApprovalStep(request=request, order=i, role=step.role, approver=step.approver,
                     status=StepStatus.PENDING if i == 1 else StepStatus.WAITING)
        for i, step in enumerate(chain, start=1)
    ]
    ApprovalStep.objects.bulk_create(steps)
    steps[0].approver = chain[0].approver
    return steps[0]


def _notify_first(request: AbsenceRequest, step: ApprovalStep) -> None:
    common.notify(step.approver, category=common.AWAITING, request=request,
                  title=_("Menunggu persetujuan Anda: %(what)s — %(name)s")
                  % {"what": common.describe(request), "name": request.employee.full_name})


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    employee: Employee,
    kind: str,
    leave_type: str = "",
    start_date: dt.date,
    end_date: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    reason: str,
    address_during: str = "",
    attachment: UploadedFile | None = None,
    spt_number: str = "",
    destination: str = "",
    location_name: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    radius_m: int | None = None,
    idempotency_key: str = "",
    child_order: int | None = None,
    today: dt.date | None = None,
) -> AbsenceRequest:
    """File a request for oneself (or, as an admin in scope, for someone else). The same idempotency key
    from the same login returns the request it created the first time, unchanged."""
    if not rules.can_submit_for(actor, employee):
        raise Forbidden(_("Anda tidak berwenang mengajukan permohonan untuk pegawai ini."))
    key = (idempotency_key or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise DomainError(_("Idempotency-Key paling panjang %(n)s karakter.") % {"n": MAX_IDEMPOTENCY_KEY},
                          field="idempotency_key")
    if key:
        earlier = AbsenceRequest.objects.filter(submitted_by=actor, idempotency_key=key).first()
        if earlier is not None:
            return earlier
    ledger.lock_employee(employee)  # two submissions of one employee at once cannot both pass the overlap check
    day = common.today_or(today)
    fields = {"address_during": address_during, "spt_number": spt_number, "destination": destination,
              "location_name": location_name, "latitude": latitude, "longitude": longitude, "radius_m": radius_m,
              "child_order": child_order}
    draft, checked = _validated(employee, kind=kind, leave_type=leave_type, start_date=start_date,
                                end_date=end_date, start_time=start_time, end_time=end_time, reason=reason,
                                attachment=attachment, has_stored=False, fields=fields, exclude_pk=None, today=day)
    request = AbsenceRequest(employee=employee, submitted_by=actor, idempotency_key=key,
                             status=RequestStatus.PENDING, current_step=1)
    _apply(request, draft)
    storage = AbsenceRequest._meta.get_field("attachment").storage
    with stored_files_removed_on_error(storage) as saved:
        if attachment is not None and checked is not None:
            request.attachment.save(f"{uuid.uuid4().hex}{checked.extension}", attachment, save=False)
            saved.append(request.attachment.name)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            # The same key raced in from a retry: the first one won, hand it back.
            earlier = AbsenceRequest.objects.filter(submitted_by=actor, idempotency_key=key).first() if key else None
            if earlier is None:
                raise
            for name in saved:
                storage.delete(name)
            return earlier
        first = _create_steps(request)
    audit_record(actor=actor, action="leave.request_submitted", obj=request, summary=common.describe(request),
                 after=model_snapshot(request, common.SNAPSHOT_FIELDS))
    _notify_first(request, first)
    return request


@transaction.atomic
def request_resubmit(*, actor: Any, request: AbsenceRequest, today: dt.date | None = None,
                     **changes: Any) -> AbsenceRequest:
    """The requester corrects a request sent back to him and files it again: re-validated like a new one,
    and the chain starts over at step 1 as freshly resolved step rows (the atasan may have changed
    meanwhile). The old step rows — with the note that asked for the change — go into the audit event's
    "before" and are then replaced, since a request's step orders are unique."""
    unknown = set(changes) - EDITABLE_FIELDS - {"idempotency_key"}
    if unknown:
        raise DomainError(_("Kolom tidak dapat diubah: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    request = common.locked(request)
    if not rules.can_edit(actor, request):
        raise Forbidden(_("Hanya pemohon yang dapat memperbaiki permohonannya."))
    if request.status != RequestStatus.CHANGES_REQUESTED:
        raise Conflict(_("Permohonan ini tidak sedang diminta perbaikan."), code="not_changes_requested")
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    values = {name: changes.get(name, getattr(request, name)) for name in EDITABLE_FIELDS - {"attachment"}}
    attachment = changes.get("attachment")
    day = common.today_or(today)
    draft, checked = _validated(
        request.employee, kind=request.kind, leave_type=values["leave_type"], start_date=values["start_date"],
        end_date=values["end_date"], start_time=values["start_time"], end_time=values["end_time"],
        reason=values["reason"], attachment=attachment, has_stored=bool(request.attachment), fields=values,
        exclude_pk=request.pk, today=day,
    )
    _apply(request, draft)
    old_steps = [
        {"order": s.order, "role": s.role, "approver_id": s.approver_id, "status": s.status, "note": s.note}
        for s in request.steps.order_by("order")
    ]
    storage = AbsenceRequest._meta.get_field("attachment").storage
    with stored_files_removed_on_error(storage) as saved:
        if attachment is not None and checked is not None:
            request.attachment.save(f"{uuid.uuid4().hex}{checked.extension}", attachment, save=False)
            saved.append(request.attachment.name)
        request.status = RequestStatus.PENDING
        request.current_step = 1
        request.save()
        request.steps.all().delete()
        first = _create_steps(request)
    audit_record(actor=actor, action="leave.request_resubmitted", obj=request, summary=common.describe(request),
                 before={**before, "steps": old_steps}, after=model_snapshot(request, common.SNAPSHOT_FIELDS))
    _notify_first(request, first)
    return request


@transaction.atomic
def request_cancel(*, actor: Any, request: AbsenceRequest, reason: str = "",
                   today: dt.date | None = None) -> AbsenceRequest:
    """The requester (or an admin in scope) withdraws a request. An approved one only before its first day
    (afterwards it can be cut short): an approved cuti tahunan gives its days back, an approved cuti besar
    gives back the cuti tahunan it made lapse. One still awaiting a decision holds nothing and may be
    withdrawn at any time."""
    request = common.locked(request)
    if not rules.can_cancel(actor, request):
        raise Forbidden(_("Anda tidak berwenang membatalkan permohonan ini."))
    if request.status not in (RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED, RequestStatus.APPROVED):
        raise Conflict(_("Permohonan yang sudah %(status)s tidak dapat dibatalkan.")
                       % {"status": request.get_status_display().lower()}, code="not_cancellable")
    day = common.today_or(today)
    if request.status == RequestStatus.APPROVED and request.start_date <= day:
        raise Conflict(_("Permohonan hanya dapat dibatalkan sebelum tanggal mulainya; yang sudah berjalan dapat "
                         "dipersingkat."), code="already_started")
    reason = validation.text(reason, "reason", _("Alasan pembatalan"), max_length=validation.MAX_REASON)
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    was_approved = request.status == RequestStatus.APPROVED
    if was_approved and request.kind == RequestKind.CUTI:
        ledger.lock_employee(request.employee)
        if request.leave_type == rules_data.TAHUNAN:
            ledger.record_return(request, request.working_days, actor=actor,
                                 note=_("Cuti tahunan dibatalkan sebelum dimulai"))
        elif request.leave_type == rules_data.BESAR:
            ledger.undo_forfeit(request, actor=actor)
    request.status = RequestStatus.CANCELLED
    request.decided_at = request.decided_at or timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    request.steps.filter(status__in=[StepStatus.PENDING, StepStatus.WAITING]).update(status=StepStatus.CLOSED)
    audit_record(actor=actor, action="leave.request_cancelled", obj=request,
                 summary=f"Dibatalkan: {common.describe(request)}", before=before,
                 after={**model_snapshot(request, common.SNAPSHOT_FIELDS), "cancel_reason": reason})
    common.close_awaiting(request)
    if not rules.is_own(actor, request.employee_id):
        common.notify(request.employee, category=common.CANCELLED, request=request,
                      title=_("Permohonan Anda dibatalkan oleh admin: %(what)s") % {"what": common.describe(request)},
                      body=reason)
    elif was_approved:
        for step in request.steps.select_related("approver__user").filter(status=StepStatus.APPROVED):
            common.notify(step.approver, category=common.CANCELLED, request=request,
                          title=_("Dibatalkan pemohon: %(what)s — %(name)s")
                          % {"what": common.describe(request), "name": request.employee.full_name}, body=reason)
    return request

