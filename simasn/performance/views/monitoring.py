"""Pelaksanaan & pemantauan: one period of an SKP — realisation per item with bukti dukung (owner), the
atasan's feedback per item and per BerAKHLAK value, and the period's assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.audit import audit_record
from simasn.employees.files import sniff_content_type
from simasn.org.forms import call_service

from .. import periods, rules, selectors, services
from .. import rules_data as R
from ..forms import EvidenceForm, FeedbackForm, ObjectionForm, RealisationForm, split_target
from ..models import AssessmentStatus, Evidence, Skp
from .common import fetch, run_or_message, to_skp
from .plan import objection_state


def _period_or_404(skp: Skp, period: int) -> int:
    try:
        periods.check_period(skp.period_kind, period)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return period


def period_context(request: HttpRequest, skp: Skp, period: int, forms: dict[str, Any] | None = None
                   ) -> dict[str, Any]:
    selectors.with_monitoring(skp)
    today = timezone.localdate()
    is_owner = rules.is_skp_owner(request.user, skp)
    is_penilai = rules.is_pejabat_penilai(request.user, skp) and not is_owner
    items = list(skp.items.all())
    assessment = next((a for a in skp.assessments.all() if a.period == period), None)
    final = assessment is not None and assessment.status == AssessmentStatus.FINAL
    started = periods.period_has_started(skp.year, skp.period_kind, period, today)
    forms = forms or {}
    rows = []
    for item in items:
        realisation = next((r for r in item.realisations.all() if r.period == period), None)
        rows.append({
            "item": item, "realisation": realisation,
            "feedback": [f for f in skp.feedback.all() if f.period == period and f.item_id == item.pk],
            "realisation_form": forms.get(f"r{item.pk}") or RealisationForm(
                prefix=f"r{item.pk}",
                initial={"text": realisation.text, "value": realisation.value} if realisation else None),
            "evidence_form": forms.get(f"e{item.pk}") or EvidenceForm(prefix=f"e{item.pk}"),
        })
    value_feedback = [f for f in skp.feedback.all() if f.period == period and f.value]
    agreed_once = skp.agreed_at is not None
    start, end = periods.period_bounds(skp.year, skp.period_kind, period)
    return {
        "skp": skp, "period": period, "period_label": periods.period_label(skp.period_kind, period),
        "start": start, "end": end, "started": started,
        "ended": periods.period_has_ended(skp.year, skp.period_kind, period, today),
        "is_annual": period == R.ANNUAL_PERIOD, "rows": rows, "value_feedback": value_feedback,
        "assessment": assessment, "final": final, "is_owner": is_owner, "is_penilai": is_penilai,
        "can_realise": is_owner and agreed_once and started and not final and period != R.ANNUAL_PERIOD,
        "can_feedback": is_penilai and agreed_once and started and period != R.ANNUAL_PERIOD,
        # The per-item forms cover the hasil kerja; the section's form is for the BerAKHLAK values.
        "feedback_form": forms.get("feedback") or FeedbackForm(items=[]),
        "objection": objection_state(assessment, today),
        "objection_form": forms.get("objection") or ObjectionForm(),
        "period_links": [(n, periods.period_label(skp.period_kind, n))
                         for n in [*range(1, R.PERIODS_PER_YEAR[skp.period_kind] + 1), R.ANNUAL_PERIOD]],
    }


@login_required
@require_GET
def skp_period(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    _period_or_404(skp, period)
    return render(request, "performance/skp_period.html", period_context(request, skp, period))


def _rerender(request: HttpRequest, skp: Skp, period: int, forms: dict[str, Any]) -> HttpResponse:
    messages.error(request, _("Data belum benar; periksa isian yang ditandai."))
    return render(request, "performance/skp_period.html", period_context(request, skp, period, forms), status=400)


@login_required
@require_POST
def realisation_record(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """pk: the SKP item."""
    item = fetch(lambda: selectors.item_get_for(viewer=request.user, pk=pk))
    skp = item.skp
    _period_or_404(skp, period)
    form = RealisationForm(request.POST, prefix=f"r{item.pk}")
    if form.is_valid():
        saved = call_service(form, lambda: services.realisation_record(actor=request.user, item=item, period=period,
                                                              **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Realisasi disimpan."))
            return to_skp(skp.pk, period=period, anchor=f"hk-{item.pk}")
    return _rerender(request, skp, period, {f"r{item.pk}": form})


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """Bukti dukung on the realisation of an item in a period (pk: the SKP item)."""
    item = fetch(lambda: selectors.item_get_for(viewer=request.user, pk=pk))
    skp = item.skp
    _period_or_404(skp, period)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{item.pk}")
    realisation = item.realisations.filter(period=period).first()
    if realisation is None:
        messages.error(request, _("Simpan realisasi periode ini terlebih dahulu, lalu tambahkan bukti dukungnya."))
        return to_skp(skp.pk, period=period, anchor=f"hk-{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"] == "file":
            if data["file"] is None:
                form.add_error("file", _("Pilih berkas bukti dukung."))
                return _rerender(request, skp, period, {f"e{item.pk}": form})
            saved = call_service(form, lambda: services.evidence_add_file(
                actor=request.user, realisation=realisation, upload=data["file"], description=data["description"]))
        else:
            saved = call_service(form, lambda: services.evidence_add_link(
                actor=request.user, realisation=realisation, url=data["url"], description=data["description"]))
        if saved is not None:
            messages.success(request, _("Bukti dukung ditambahkan."))
            return to_skp(skp.pk, period=period, anchor=f"hk-{item.pk}")
    return _rerender(request, skp, period, {f"e{item.pk}": form})


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = fetch(lambda: selectors.evidence_get_for(viewer=request.user, pk=pk))
    realisation = evidence.realisation
    if run_or_message(request, lambda: services.evidence_remove(actor=request.user, evidence=evidence) or True):
        messages.success(request, _("Bukti dukung dihapus."))
    return to_skp(realisation.item.skp_id, period=realisation.period, anchor=f"hk-{realisation.item_id}")


@login_required
@require_http_methods(["GET"])
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an evidence file to whoever may read the SKP; the read is audited (personal work documents)."""
    evidence = fetch(lambda: selectors.evidence_get_for(viewer=request.user, pk=pk))
    if evidence.kind != Evidence.Kind.FILE or not evidence.file or \
            not evidence.file.storage.exists(evidence.file.name):
        raise Http404(_("Berkas tidak ditemukan."))
    with transaction.atomic():
        audit_record(actor=request.user, action="performance.evidence_read", obj=evidence,
                     summary=f"Bukti dukung dibuka: {evidence.realisation.item.skp}")
    handle = evidence.file.open("rb")
    content_type = sniff_content_type(handle.read(16))
    handle.seek(0)
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")
    response = FileResponse(handle, content_type=content_type, filename=f"bukti-dukung-{evidence.pk}{extension}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def feedback_give(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    _period_or_404(skp, period)
    items = list(skp.items.all())
    form = FeedbackForm(request.POST, items=items)
    if form.is_valid():
        item, value = split_target(form.cleaned_data["target"], items)
        saved = call_service(form, lambda: services.feedback_give(actor=request.user, skp=skp, period=period,
                                                         text=form.cleaned_data["text"], item=item, value=value))
        if saved is not None:
            messages.success(request, _("Umpan balik dikirim."))
            anchor = f"hk-{item.pk}" if item is not None else "umpan-balik"
            return to_skp(skp.pk, period=period, anchor=anchor)
    return _rerender(request, skp, period, {"feedback": form})
