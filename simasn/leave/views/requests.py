"""My requests, the request form (with its working-day preview), a request's page and its actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.audit import audit_record
from simasn.core.errors import DomainError
from simasn.employees.selectors import own_employee
from simasn.org.forms import apply_domain_error
from simasn.workcalendar import days as workdays

from .. import selectors, services
from ..display import role_label, type_label
from ..forms import (
    RESUBMIT_FIELDS,
    ApproveForm,
    AskChangeForm,
    CancelForm,
    CutShortForm,
    RejectForm,
    RequestForm,
    kind_or_default,
)
from ..models import AbsenceRequest, RequestKind, RequestStatus
from ._common import actions_for, call, current_step, on_form, request_or_404, safe_next

PAGE_SIZE = 20
MAX_PREVIEW_DAYS = 400


def _no_employee(request: HttpRequest) -> HttpResponse:
    return render(request, "leave/no_employee.html", status=404)


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    me = own_employee(request.user)
    if me is None:
        return _no_employee(request)
    year = timezone.localdate().year
    status = request.GET.get("status") or None
    if status not in RequestStatus.values:
        status = None
    requests = selectors.request_list_for(viewer=request.user, employee=me, status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_type_labels(page.object_list)
    return render(request, "leave/mine.html", {
        "employee": me,
        "year": year,
        "balances": selectors.balances_for(me, year),
        "page": page,
        "status": status or "",
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
    })


def _with_type_labels(requests: Any) -> list[AbsenceRequest]:
    rows = list(requests)
    for req in rows:
        req.leave_type_label = type_label(req.kind, req.leave_type)
    return rows


def _form_page(request: HttpRequest, form: RequestForm, employee: Any, *, req: AbsenceRequest | None = None
               ) -> HttpResponse:
    return render(request, "leave/request_form.html", {
        "form": form,
        "kind": form.kind,
        "kinds": RequestKind.choices,
        "employee": employee,
        "resubmitting": req,
    })


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    me = own_employee(request.user)
    if me is None:
        return _no_employee(request)
    kind = kind_or_default(request.POST.get("kind") or request.GET.get("kind"))
    bound = request.method == "POST"
    form = RequestForm(request.POST if bound else None, request.FILES if bound else None, kind=kind, employee=me)
    if bound and form.is_valid():
        created = on_form(form, lambda: services.request_submit(
            actor=request.user, employee=me, kind=kind, **form.service_kwargs()))
        if created is not None:
            messages.success(request, _("Permohonan %(kind)s diajukan dan menunggu persetujuan.")
                             % {"kind": created.get_kind_display().lower()})
            return redirect("leave:detail", pk=created.pk)
    return _form_page(request, form, me)


@login_required
@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """HTMX: the working days between the two dates for the employee's unit, holidays named."""
    me = own_employee(request.user)
    start = parse_date(request.GET.get("start_date") or "") if _is_iso(request.GET.get("start_date")) else None
    end = parse_date(request.GET.get("end_date") or "") if _is_iso(request.GET.get("end_date")) else None
    context: dict[str, Any] = {"start": start, "end": end, "message": ""}
    if me is None or start is None or end is None:
        context["message"] = _("Isi tanggal mulai dan tanggal selesai untuk melihat jumlah hari kerja.")
    elif end < start:
        context["message"] = _("Tanggal selesai sebelum tanggal mulai.")
    elif (end - start).days + 1 > MAX_PREVIEW_DAYS:
        context["message"] = _("Rentang tanggal terlalu panjang.")
    else:
        context["working_days"] = workdays.working_days_between(start, end, me.unit)
        context["calendar_days"] = (end - start).days + 1
        context["holidays"] = workdays.holidays_between(start, end, me.unit)
    return render(request, "leave/request_form.html#preview", context)


def _is_iso(raw: str | None) -> bool:
    try:
        return bool(raw) and parse_date(raw) is not None
    except ValueError:  # 2025-02-29 matches the pattern but is no date
        return False


def _detail_page(request: HttpRequest, req: AbsenceRequest, **forms: Form) -> HttpResponse:
    steps = list(req.steps.select_related("approver", "approver__position", "decided_by").order_by("order"))
    for step in steps:
        step.role_label = role_label(step.role)
    actions = actions_for(request.user, req, steps)
    context = {
        "req": req,
        "type_label": type_label(req.kind, req.leave_type),
        "steps": steps,
        "current": current_step(req, steps),
        "actions": actions,
        "approve_form": forms.get("approve_form") or ApproveForm(auto_id="approve_%s"),
        "reject_form": forms.get("reject_form") or RejectForm(auto_id="reject_%s"),
        "ask_change_form": forms.get("ask_change_form") or AskChangeForm(auto_id="change_%s"),
        "cancel_form": forms.get("cancel_form") or CancelForm(auto_id="cancel_%s"),
        "cut_short_form": forms.get("cut_short_form") or CutShortForm(
            auto_id="cut_%s", initial={"back_at_work_on": timezone.localdate() + dt.timedelta(days=1)}),
        "open_form": next(iter(forms), ""),
        "today": timezone.localdate(),
    }
    return render(request, "leave/detail.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, request_or_404(request, pk))


def _act(request: HttpRequest, pk: int, form_cls: type[Form], form_key: str,
         action: Callable[[AbsenceRequest, dict], Any], done: str) -> HttpResponse:
    req = request_or_404(request, pk)
    auto_id = {"approve_form": "approve_%s", "reject_form": "reject_%s", "ask_change_form": "change_%s",
               "cancel_form": "cancel_%s", "cut_short_form": "cut_%s"}[form_key]
    form = form_cls(request.POST, auto_id=auto_id)
    back = safe_next(request)
    if form.is_valid():
        try:
            call(lambda: action(req, form.cleaned_data))
        except DomainError as exc:
            if exc.field not in form.fields:
                # Not about what was typed (out of turn, already decided …): say so on the page it came from.
                messages.error(request, exc.message)
                return redirect(back or "leave:detail", **({} if back else {"pk": req.pk}))
            apply_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(back or "leave:detail", **({} if back else {"pk": req.pk}))
    if back:
        # From the inbox: say what went wrong there instead of leaving the list.
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(back)
    return _detail_page(request, request_or_404(request, pk), **{form_key: form})


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ApproveForm, "approve_form",
                lambda req, data: services.request_approve(actor=request.user, request=req, note=data["note"]),
                _("Permohonan disetujui."))


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, RejectForm, "reject_form",
                lambda req, data: services.request_reject(actor=request.user, request=req, reason=data["reason"]),
                _("Permohonan ditolak."))


@login_required
@require_POST
def ask_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, AskChangeForm, "ask_change_form",
                lambda req, data: services.request_ask_change(actor=request.user, request=req, note=data["note"]),
                _("Permohonan dikembalikan kepada pemohon untuk diperbaiki."))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, CancelForm, "cancel_form",
                lambda req, data: services.request_cancel(actor=request.user, request=req, reason=data["reason"]),
                _("Permohonan dibatalkan."))


@login_required
@require_POST
def cut_short(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, CutShortForm, "cut_short_form",
                lambda req, data: services.request_cut_short(
                    actor=request.user, request=req, back_at_work_on=data["back_at_work_on"], reason=data["reason"]),
                _("Cuti dipersingkat; hari yang tidak dipakai dikembalikan ke saldo."))


def _resubmit_initial(req: AbsenceRequest) -> dict[str, Any]:
    return {name: getattr(req, name) for name in RESUBMIT_FIELDS if name != "attachment"}


@login_required
@require_http_methods(["GET", "POST"])
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    req = request_or_404(request, pk)
    me = own_employee(request.user)
    if me is None or me.pk != req.employee_id:
        raise Http404
    if req.status != RequestStatus.CHANGES_REQUESTED:
        messages.info(request, _("Permohonan ini tidak sedang diminta perbaikan."))
        return redirect("leave:detail", pk=req.pk)
    bound = request.method == "POST"
    form = RequestForm(request.POST if bound else None, request.FILES if bound else None, kind=req.kind,
                       employee=me, resubmit=True, initial=_resubmit_initial(req))
    if bound and form.is_valid():
        fields = form.service_kwargs()
        if fields.get("attachment") is None:
            fields.pop("attachment", None)  # no new file: the earlier one stays
        saved = on_form(form, lambda: services.request_resubmit(actor=request.user, request=req, **fields))
        if saved is not None:
            messages.success(request, _("Permohonan diperbaiki dan diajukan ulang."))
            return redirect("leave:detail", pk=req.pk)
    return _form_page(request, form, me, req=req)


def _content_type(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return "application/octet-stream"


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The supporting document (a doctor's note, an SPT): to whoever may read the request; the read is audited
    because it may be medical."""
    req = request_or_404(request, pk)
    if not req.attachment or not req.attachment.storage.exists(req.attachment.name):
        raise Http404(_("Tidak ada dokumen pendukung."))
    with transaction.atomic():
        audit_record(actor=request.user, action="leave.attachment_read", obj=req,
                     summary=f"Dokumen pendukung permohonan #{req.pk} dibuka.")
    handle = req.attachment.open("rb")
    content_type = _content_type(handle.read(16))
    handle.seek(0)
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")
    response = FileResponse(handle, content_type=content_type, filename=f"dokumen-permohonan-{req.pk}{extension}")
    response["Cache-Control"] = "private, no-store"
    return response
