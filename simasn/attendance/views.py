"""Attendance pages: Presensi Saya (the month of my daily records), corrections (mine, and the atasan's
inbox), the live board and the monthly recap with its exports. Thin: the rules are in daily/recompute,
corrections, board and recap."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.audit import audit_record
from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.core.selectors import opd_units
from simasn.employees import files
from simasn.employees.selectors import own_employee
from simasn.org.forms import BootstrapMixin, apply_domain_error
from simasn.org.models import Unit

from . import board as board_mod
from . import corrections, recap
from .daily import EXCUSED_CODES
from .models import CorrectionStatus, DailyRecord
from .rules_data import STATUS_LABELS
from .selectors import CITY, employee_for_records, monitoring_scope, month_end, parse_month

# ── helpers ───────────────────────────────────────────────────────────────────────────────────────────


def _month(request: HttpRequest) -> dt.date:
    try:
        return parse_month(request.GET.get("bulan"), today=timezone.localdate())
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _shift_month(first: dt.date, months: int) -> dt.date:
    index = first.month - 1 + months
    return dt.date(first.year + index // 12, index % 12 + 1, 1)


def _scope_or_403(request: HttpRequest):
    scope = monitoring_scope(request.user)
    if scope is None:
        raise PermissionDenied(_("Halaman ini untuk atasan, admin OPD, pimpinan dan BKPSDM."))
    return scope


def _unit_in_scope(request: HttpRequest, scope) -> Unit | None:
    raw = request.GET.get("unit") or ""
    if not raw:
        return None
    unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None or not scope.covers_unit(unit):
        raise Http404(_("Unit tidak ditemukan."))
    return unit


# ── Presensi Saya / one employee's month ──────────────────────────────────────────────────────────────

CORRECTABLE = frozenset({"TL", "PSW", "TK"})


def code_class(code: str) -> str:
    """Bootstrap badge colours of a daily code (text always beside it: colour is never the only cue)."""
    if code == "H":
        return "text-bg-success"
    if code == "TK":
        return "text-bg-danger"
    if code.startswith("TL") or code.startswith("PSW"):
        return "text-bg-warning"
    if code in EXCUSED_CODES:
        return "text-bg-info"
    return "text-bg-light border"


def _month_page(request: HttpRequest, employee: Any, *, own: bool) -> HttpResponse:
    month = _month(request)
    data = recap.employee_month(employee, month)
    today = timezone.localdate()
    oldest = today - dt.timedelta(days=corrections.max_days_back())
    weeks = []
    for week in data.weeks:
        cells = []
        for day in week:
            record = data.records.get(day) if day else None
            cells.append({
                "date": day, "record": record, "is_today": day == today,
                "badges": [(code, code_class(code), STATUS_LABELS.get(code, code)) for code in record.codes]
                if record else [],
                "correctable": bool(own and record and oldest <= day <= today
                                    and (record.status in CORRECTABLE or record.has_pending_review)),
            })
        weeks.append(cells)
    totals = [(code, code_class(code), STATUS_LABELS.get(code, code), data.counts[code]) for code in recap.CODES]
    return render(request, "attendance/month.html", {
        "employee": employee, "own": own, "data": data, "month": month, "today": today, "weeks": weeks,
        "totals": totals, "prev_month": _shift_month(month, -1), "next_month": _shift_month(month, 1),
        "labels": STATUS_LABELS,
        "weekdays": [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")],
        "scheme": recap.configured_scheme(),
    })


@login_required
@require_GET
def my_month(request: HttpRequest) -> HttpResponse:
    employee = own_employee(request.user)
    if employee is None:
        raise Http404(_("Akun ini tidak terhubung dengan data pegawai."))
    return _month_page(request, employee, own=True)


@login_required
@require_GET
def employee_month(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        employee = employee_for_records(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    me = own_employee(request.user)
    return _month_page(request, employee, own=me is not None and me.pk == employee.pk)


# ── Corrections ───────────────────────────────────────────────────────────────────────────────────────


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class CorrectionForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_lazy("Tanggal"), widget=DateInput())
    check_in_time = forms.TimeField(label=_lazy("Jam masuk yang benar"), required=False, widget=TimeInput(),
                                    help_text=_lazy("Kosongkan bila jam masuk sudah tercatat dengan benar."))
    check_out_time = forms.TimeField(label=_lazy("Jam pulang yang benar"), required=False, widget=TimeInput(),
                                     help_text=_lazy("Kosongkan bila jam pulang sudah tercatat dengan benar."))
    reason = forms.CharField(label=_lazy("Alasan"), max_length=corrections.MAX_REASON, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_lazy("Misalnya: lupa presensi pulang, ponsel rusak, gangguan jaringan."))
    attachment = forms.FileField(label=_lazy("Bukti pendukung"), help_text=_lazy("PDF, JPEG atau PNG, paling besar "
                                                                                 "2 MB."),
                                 widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


@login_required
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/corrections.html", {
        "items": corrections.correction_list_for(viewer=request.user),
        "inbox_count": corrections.correction_inbox(viewer=request.user).count(),
        "is_employee": own_employee(request.user) is not None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def correction_create(request: HttpRequest) -> HttpResponse:
    if own_employee(request.user) is None:
        raise Http404(_("Akun ini tidak terhubung dengan data pegawai."))
    if request.method == "POST":
        form = CorrectionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                corrections.correction_request(actor=request.user, date=form.cleaned_data["date"],
                                               check_in_time=form.cleaned_data["check_in_time"],
                                               check_out_time=form.cleaned_data["check_out_time"],
                                               reason=form.cleaned_data["reason"],
                                               attachment=form.cleaned_data["attachment"])
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Pengajuan koreksi terkirim ke atasan langsung Anda."))
                return redirect("attendance:corrections")
    else:
        initial = {}
        raw = request.GET.get("tanggal", "")
        with contextlib.suppress(ValueError):
            initial["date"] = dt.date.fromisoformat(raw) if raw else None
        form = CorrectionForm(initial=initial)
    record = None
    day = form.initial.get("date") if not form.is_bound else None
    if day:
        record = DailyRecord.objects.filter(employee=own_employee(request.user), date=day).first()
    return render(request, "attendance/correction_form.html", {"form": form, "record": record, "labels": STATUS_LABELS})


@login_required
@require_GET
def correction_inbox(request: HttpRequest) -> HttpResponse:
    items = list(corrections.correction_inbox(viewer=request.user))
    if own_employee(request.user) is None:
        raise Http404(_("Akun ini tidak terhubung dengan data pegawai."))
    records: dict[tuple[int, dt.date], DailyRecord] = {}
    if items:
        for r in DailyRecord.objects.filter(employee_id__in={i.employee_id for i in items},
                                            date__in={i.date for i in items}):
            records[(r.employee_id, r.date)] = r
    for item in items:
        item.record = records.get((item.employee_id, item.date))
    decided = list(corrections.correction_inbox(viewer=request.user, pending_only=False)
                   .exclude(status=CorrectionStatus.PENDING).order_by("-decided_at")[:20])
    return render(request, "attendance/correction_inbox.html", {"items": items, "decided": decided,
                                                                "labels": STATUS_LABELS})


@login_required
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = corrections.correction_get_for(viewer=request.user, pk=pk)
        decision = request.POST.get("keputusan")
        if decision not in ("setujui", "tolak"):
            raise DomainError(_("Pilih setujui atau tolak."), field="keputusan")
        corrections.correction_decide(actor=request.user, correction=item, approve=decision == "setujui",
                                      note=request.POST.get("catatan", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Koreksi disetujui; rekap hari itu dihitung ulang.") if decision == "setujui"
                         else _("Koreksi ditolak."))
    return redirect("attendance:correction_inbox")


@login_required
@require_GET
def correction_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence (may be medical): to whoever may read the request; every read is audited."""
    try:
        item = corrections.correction_get_for(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not item.attachment or not item.attachment.storage.exists(item.attachment.name):
        raise Http404(_("Tidak ada bukti pendukung."))
    with transaction.atomic():
        audit_record(actor=request.user, action="attendance.correction_attachment_read", obj=item,
                     summary=f"Bukti koreksi presensi #{item.pk} dibuka.")
    handle = item.attachment.open("rb")
    content_type = files.sniff_content_type(handle.read(16))
    handle.seek(0)
    extension = files.DOCUMENT_EXTENSIONS.get(content_type, "")
    response = FileResponse(handle, content_type=content_type, filename=f"bukti-koreksi-{item.pk}{extension}")
    response["Cache-Control"] = "private, no-store"
    return response


# ── Live board ────────────────────────────────────────────────────────────────────────────────────────
# Updates come by HTMX polling of a cursor endpoint (`?after=<last event id>&v=<version>`) every few
# seconds, not by server-sent events: `make run` serves with gunicorn sync workers, where each open SSE
# stream would hold a whole worker for as long as the board is open (a handful of boards would starve the
# check-ins). A poll is one short request; when nothing changed it is answered 204 and HTMX swaps nothing.

POLL_SECONDS = 3


def _board_context(request: HttpRequest) -> dict[str, Any]:
    scope = _scope_or_403(request)
    unit = _unit_in_scope(request, scope)
    data = board_mod.board_data(scope=scope, unit=unit)
    try:
        after = int(request.GET.get("after", "0") or 0)
    except ValueError:
        after = 0
    return {"board": data, "unit": unit, "scope": scope, "after": after, "poll_seconds": POLL_SECONDS,
            "excused_codes": sorted(EXCUSED_CODES)}


def _with_locations(context: dict[str, Any]) -> dict[str, Any]:
    """The map and table of office locations with today's check-ins, part of the live fragment: a new
    check-in changes the board's version and so redraws its dot too."""
    context["locations"] = board_mod.office_locations(scope=context["scope"], unit=context["unit"])
    context["location_map"] = board_mod.location_map(context["locations"])
    return context


@login_required
@require_GET
def live_board(request: HttpRequest) -> HttpResponse:
    context = _with_locations(_board_context(request))
    context["after"] = context["board"].last_event_id
    return render(request, "attendance/board.html", context)


@login_required
@require_GET
def live_board_updates(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    if request.GET.get("v") == context["board"].version:
        return HttpResponse(status=204)
    return render(request, "attendance/board.html#live", _with_locations(context))


# ── Monthly recap ─────────────────────────────────────────────────────────────────────────────────────


def _recap_units(scope) -> list[tuple[int, str]]:
    """(id, name indented by depth) of the units the recap may be narrowed to."""
    qs = Unit.objects.filter(is_active=True).only("id", "name", "path", "depth").order_by("path")
    if scope.kind != CITY:
        if scope.unit is None:
            return []
        qs = qs.filter(path__startswith=scope.unit.path)
    return [(u.pk, "\u2003" * u.depth + u.name) for u in qs]


@login_required
@require_GET
def recap_page(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request)
    unit = _unit_in_scope(request, scope)
    month = _month(request)
    rows = recap.recap_rows(scope=scope, month=month, unit=unit)
    show_employees = unit is not None or scope.kind != CITY
    if unit is not None:
        groups = [unit, *Unit.objects.filter(parent=unit, is_active=True)]
    elif scope.kind == CITY:
        groups = opd_units()
    elif scope.unit is not None:
        groups = [scope.unit, *Unit.objects.filter(parent=scope.unit, is_active=True)]
    else:
        groups = []
    return render(request, "attendance/recap.html", {
        "scope": scope, "unit": unit, "month": month, "month_last": month_end(month),
        "prev_month": _shift_month(month, -1), "next_month": _shift_month(month, 1),
        "rows": rows if show_employees else [], "employee_count": len(rows),
        "summaries": recap.unit_summaries(rows, groups) if groups else [],
        "codes": recap.CODES, "labels": STATUS_LABELS, "units": _recap_units(scope),
        "scheme": recap.configured_scheme(), "pdf_max": recap.PDF_MAX_ROWS,
    })


@login_required
@require_GET
def recap_export(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_403(request)
    unit = _unit_in_scope(request, scope)
    month = _month(request)
    fmt = request.GET.get("format", "xlsx")
    try:
        if fmt == "xlsx":
            content, filename, content_type = recap.export_xlsx(viewer=request.user, scope=scope, month=month,
                                                                unit=unit)
        elif fmt == "pdf":
            content, filename, content_type = recap.export_pdf(viewer=request.user, scope=scope, month=month,
                                                               unit=unit, instance_name=settings.SIMASN_INSTANCE_NAME)
        else:
            raise DomainError(_("Format ekspor harus xlsx atau pdf."), field="format")
    except DomainError as exc:
        messages.error(request, exc.message)
        target = reverse("attendance:recap") + f"?bulan={month:%Y-%m}" + (f"&unit={unit.pk}" if unit else "")
        return redirect(target)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
