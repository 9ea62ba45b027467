"""The approvers' acts (approve, reject, ask for a change) and cutting an approved leave short."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.selectors import own_employee
from simasn.workcalendar import days as workdays

from .. import ledger, rules, rules_data, validation
from ..models import AbsenceRequest, ApprovalStep, RequestKind, RequestStatus, StepStatus
from . import common


def new_verification_code() -> str:
    alphabet = rules_data.LIMITS.verification_alphabet
    length = rules_data.LIMITS.verification_code_length
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(length))
        if not AbsenceRequest.objects.filter(verification_code=code).exists():
            return code


def _current_step(actor: Any, request: AbsenceRequest) -> ApprovalStep:
    """The PENDING step, which must be the actor's; otherwise say why not."""
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("Permohonan ini tidak sedang menunggu persetujuan (status: %(status)s).")
                       % {"status": request.get_status_display().lower()}, code="not_pending")
    me = own_employee(actor)
    if me is not None and me.pk == request.employee_id:
        raise Forbidden(_("Anda tidak dapat memutuskan permohonan Anda sendiri."))
    step = (
        ApprovalStep.objects.select_for_update().filter(request=request, status=StepStatus.PENDING)
        .order_by("order").first()
    )
    if me is None or step is None:
        raise Forbidden(_("Anda bukan pejabat yang memutuskan permohonan ini."))
    if step.approver_id != me.pk:
        mine = request.steps.filter(approver=me).order_by("order").first()
        if mine is None:
            raise Forbidden(_("Anda bukan pejabat yang memutuskan permohonan ini."))
        if mine.order > step.order:
            raise Conflict(_("Belum giliran Anda: permohonan ini masih menunggu keputusan tahap %(n)s.")
                           % {"n": step.order}, code="out_of_turn")
        raise Conflict(_("Anda sudah memberikan keputusan pada permohonan ini."), code="already_decided")
    return step


def _decide(step: ApprovalStep, actor: Any, status: str, note: str) -> None:
    step.status = status
    step.note = note
    step.decided_at = timezone.now()
    step.decided_by = actor
    step.save(update_fields=["status", "note", "decided_at", "decided_by"])


def _on_final_approval(request: AbsenceRequest, actor: Any) -> None:
    if request.kind != RequestKind.CUTI:
        return
    if request.leave_type == rules_data.TAHUNAN:
        ledger.lock_employee(request.employee)
        ledger.record_use(request, actor=actor)
    elif request.leave_type == rules_data.BESAR:
        ledger.lock_employee(request.employee)
        ledger.forfeit_rest_of_year(request, actor=actor)


@transaction.atomic
def request_approve(*, actor: Any, request: AbsenceRequest, note: str = "") -> AbsenceRequest:
    """Approve the current step. The last step approves the request: verification code, ledger, requester
    notified; otherwise the next approver's turn comes and he is notified."""
    request = common.locked(request)
    step = _current_step(actor, request)
    note = validation.text(note, "note", _("Catatan"), max_length=validation.MAX_REASON)
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    _decide(step, actor, StepStatus.APPROVED, note)
    following = request.steps.filter(order__gt=step.order).select_related("approver__user").order_by("order").first()
    common.close_awaiting(request)
    if following is not None:
        following.status = StepStatus.PENDING
        following.save(update_fields=["status"])
        request.current_step = following.order
        request.save(update_fields=["current_step", "updated_at"])
        action = "leave.request_step_approved"
        common.notify(following.approver, category=common.AWAITING, request=request,
                      title=_("Menunggu persetujuan Anda: %(what)s — %(name)s")
                      % {"what": common.describe(request), "name": request.employee.full_name})
    else:
        _on_final_approval(request, actor)
        request.status = RequestStatus.APPROVED
        request.decided_at = timezone.now()
        request.verification_code = new_verification_code()
        request.save(update_fields=["status", "decided_at", "verification_code", "updated_at"])
        action = "leave.request_approved"
        common.notify(request.employee, category=common.DECIDED, request=request, body=note,
                      title=_("Disetujui: %(what)s") % {"what": common.describe(request)})
    audit_record(actor=actor, action=action, obj=request,
                 summary=f"Tahap {step.order} disetujui: {common.describe(request)}", before=before,
                 after={**model_snapshot(request, common.SNAPSHOT_FIELDS), "step": step.order, "note": note})
    return request


@transaction.atomic
def request_reject(*, actor: Any, request: AbsenceRequest, reason: str) -> AbsenceRequest:
    request = common.locked(request)
    step = _current_step(actor, request)
    reason = validation.text(reason, "reason", _("Alasan penolakan"), max_length=validation.MAX_REASON,
                             required=True)
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    _decide(step, actor, StepStatus.REJECTED, reason)
    request.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.CLOSED)
    request.status = RequestStatus.REJECTED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(actor=actor, action="leave.request_rejected", obj=request,
                 summary=f"Ditolak pada tahap {step.order}: {common.describe(request)}", before=before,
                 after={**model_snapshot(request, common.SNAPSHOT_FIELDS), "step": step.order, "note": reason})
    common.close_awaiting(request)
    common.notify(request.employee, category=common.DECIDED, request=request, body=reason,
                  title=_("Ditolak: %(what)s") % {"what": common.describe(request)})
    return request


@transaction.atomic
def request_ask_change(*, actor: Any, request: AbsenceRequest, note: str) -> AbsenceRequest:
    """Send the request back to the requester with what to correct; his resubmission starts the chain over."""
    request = common.locked(request)
    step = _current_step(actor, request)
    note = validation.text(note, "note", _("Catatan perbaikan"), max_length=validation.MAX_REASON, required=True)
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    _decide(step, actor, StepStatus.CHANGES_REQUESTED, note)
    request.status = RequestStatus.CHANGES_REQUESTED
    request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="leave.request_changes_requested", obj=request,
                 summary=f"Diminta perbaikan pada tahap {step.order}: {common.describe(request)}", before=before,
                 after={**model_snapshot(request, common.SNAPSHOT_FIELDS), "step": step.order, "note": note})
    common.close_awaiting(request)
    common.notify(request.employee, category=common.CHANGES, request=request, body=note,
                  title=_("Perlu perbaikan: %(what)s") % {"what": common.describe(request)})
    return request


@transaction.atomic
def request_cut_short(*, actor: Any, request: AbsenceRequest, back_at_work_on: dt.date, reason: str,
                      today: dt.date | None = None) -> AbsenceRequest:
    """End an approved, running leave early: the employee is back at work from `back_at_work_on`; the
    working days from then to the end return to the cuti tahunan ledger."""
    request = common.locked(request)
    if not rules.can_cancel(actor, request):
        raise Forbidden(_("Anda tidak berwenang mempersingkat permohonan ini."))
    if request.status != RequestStatus.APPROVED:
        raise Conflict(_("Hanya permohonan yang sudah disetujui yang dapat dipersingkat."), code="not_approved")
    day = common.today_or(today)
    if not request.start_date <= day <= request.last_day_away:
        raise Conflict(_("Hanya permohonan yang sedang berjalan yang dapat dipersingkat; yang belum dimulai "
                         "dapat dibatalkan."), code="not_running")
    if isinstance(back_at_work_on, dt.datetime) or not isinstance(back_at_work_on, dt.date):
        raise DomainError(_("Tanggal kembali bekerja harus berupa tanggal yang valid."), field="back_at_work_on")
    earliest = request.start_date + dt.timedelta(days=1)
    if not earliest <= back_at_work_on <= request.last_day_away:
        raise DomainError(_("Tanggal kembali bekerja harus antara %(first)s dan %(last)s.")
                          % {"first": earliest.strftime("%d-%m-%Y"),
                             "last": request.last_day_away.strftime("%d-%m-%Y")},
                          code="bad_back_date", field="back_at_work_on")
    reason = validation.text(reason, "reason", _("Alasan"), max_length=validation.MAX_REASON, required=True)
    before = model_snapshot(request, common.SNAPSHOT_FIELDS)
    returned = 0
    if request.kind == RequestKind.CUTI and request.leave_type == rules_data.TAHUNAN:
        ledger.lock_employee(request.employee)
        used = workdays.working_days_between(request.start_date, back_at_work_on - dt.timedelta(days=1),
                                             request.employee.unit)
        held = -ledger.net_for_request(request, [ledger.LedgerEntryKind.USE, ledger.LedgerEntryKind.RETURN])
        entry = ledger.record_return(request, held - used, actor=actor,
                                     note=_("Cuti dipersingkat, kembali bekerja %(day)s")
                                     % {"day": back_at_work_on.strftime("%d-%m-%Y")})
        returned = entry.days if entry else 0
    request.cut_short_from = back_at_work_on
    request.save(update_fields=["cut_short_from", "updated_at"])
    audit_record(actor=actor, action="leave.request_cut_short", obj=request,
                 summary=f"Dipersingkat, kembali bekerja {back_at_work_on:%d-%m-%Y}: {common.describe(request)}",
                 before=before, after={**model_snapshot(request, common.SNAPSHOT_FIELDS), "reason": reason,
                                       "returned_days": returned})
    title = _("Dipersingkat, kembali bekerja %(day)s: %(what)s") % {
        "day": back_at_work_on.strftime("%d-%m-%Y"), "what": common.describe(request)}
    if not rules.is_own(actor, request.employee_id):
        common.notify(request.employee, category=common.CUT_SHORT, request=request, title=title, body=reason)
    for step in request.steps.select_related("approver__user").filter(status=StepStatus.APPROVED):
        common.notify(step.approver, category=common.CUT_SHORT, request=request,
                      title=f"{title} — {request.employee.full_name}", body=reason)
    return request
