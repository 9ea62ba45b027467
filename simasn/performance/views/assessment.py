"""Penilaian pages: the pejabat penilai rates a period (live predikat and, for the annual rating, the unit's
distribution as it would stand), finalises periodic ratings; the unit's annual finalisation after the
distribution check; objections filed by the employee and decided by the reviewer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.org.forms import call_service
from simasn.org.models import Unit

from .. import periods, predikat, reports, rules, selectors, services
from .. import rules_data as R
from ..forms import AssessmentForm, FinaliseForm, ObjectionDecisionForm, ObjectionForm, UnitResultForm
from ..models import AssessmentStatus, Objection, Skp
from .common import fetch, run_or_message, to_skp, year_choices, year_from
from .monitoring import _period_or_404, period_context

EDIT = require_http_methods(["GET", "POST"])


def _rateable(request: HttpRequest, pk: int) -> Skp:
    """An SKP the viewer rates: readable ones he does not rate are a 403, others a 404."""
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    if rules.is_skp_owner(request.user, skp) or not rules.is_pejabat_penilai(request.user, skp):
        raise PermissionDenied(_("Anda bukan pejabat penilai SKP ini."))
    return skp


def preview_context(skp: Skp | None, period: int, hasil: str, perilaku: str) -> dict[str, Any]:
    """The predikat the two ratings give and, for an annual rating, the distribution of the unit with it."""
    context: dict[str, Any] = {"hasil": hasil, "perilaku": perilaku, "predikat": None, "distribution": None}
    if hasil not in R.RATINGS or perilaku not in R.RATINGS:
        return context
    context["predikat"] = predikat.predikat_for(hasil, perilaku)
    if skp is not None and period == R.ANNUAL_PERIOD:
        context["distribution"] = reports.distribution_with(skp, context["predikat"])
    return context


@login_required
@EDIT
def assessment_rate(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    skp = _rateable(request, pk)
    _period_or_404(skp, period)
    imposed = services.head_hasil_for(skp) if period == R.ANNUAL_PERIOD else None
    current = skp.assessments.filter(period=period).first()
    initial = ({f: getattr(current, f) for f in ("hasil", "hasil_reason", "perilaku", "perilaku_reason")}
               if current else {})
    if imposed:
        initial["hasil"] = imposed
    form = AssessmentForm(request.POST or None, initial=initial, imposed_hasil=imposed)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if imposed:
            data["hasil"] = None
        saved = call_service(form, lambda: services.assessment_rate(actor=request.user, skp=skp, period=period, **data))
        if saved is not None:
            messages.success(request, _("Penilaian disimpan: predikat %(p)s.") % {"p": R.PREDIKAT[saved.predikat]})
            return to_skp(skp.pk, period=period, anchor="penilaian")
    hasil = (form.data.get("hasil") if form.is_bound else initial.get("hasil")) or imposed or ""
    perilaku = (form.data.get("perilaku") if form.is_bound else initial.get("perilaku")) or ""
    context = period_context(request, skp, period)
    context.update(form=form, imposed=imposed, current=current,
                   preview=preview_context(skp, period, hasil, perilaku),
                   finalise_unit=reports.distribution_unit_for(skp) if period == R.ANNUAL_PERIOD else None,
                   can_rate_now=periods.period_has_ended(skp.year, skp.period_kind, period, timezone.localdate()))
    return render(request, "performance/assessment_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def predikat_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: the predikat of the ratings being chosen (matrix of PermenPANRB 6/2022) and, for the annual rating
    of an SKP the viewer rates, the unit's distribution check with it."""
    skp = None
    raw_pk = request.GET.get("skp", "")
    period = int(request.GET["periode"]) if request.GET.get("periode", "").isdigit() else -1
    if raw_pk.isdigit():
        skp = _rateable(request, int(raw_pk))
    hasil = request.GET.get("hasil", "")
    if skp is not None and period == R.ANNUAL_PERIOD:
        hasil = services.head_hasil_for(skp) or hasil
    context = {"preview": preview_context(skp, period, hasil, request.GET.get("perilaku", ""))}
    return render(request, "performance/assessment_form.html#preview", context)


@login_required
@require_POST
def assessment_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = fetch(lambda: selectors.assessment_get_for(viewer=request.user, pk=pk))
    if run_or_message(request, lambda: services.assessment_finalise(actor=request.user, assessment=assessment)):
        messages.success(request, _("Penilaian difinalkan; pegawai dapat melihat hasilnya."))
    return to_skp(assessment.skp_id, period=assessment.period, anchor="penilaian")


@login_required
@require_POST
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    """pk: the assessment objected to."""
    assessment = fetch(lambda: selectors.assessment_get_for(viewer=request.user, pk=pk))
    form = ObjectionForm(request.POST)
    if form.is_valid():
        saved = call_service(form, lambda: services.objection_file(actor=request.user, assessment=assessment,
                                                          reason=form.cleaned_data["reason"]))
        if saved is not None:
            messages.success(request, _("Keberatan diajukan kepada atasan pejabat penilai."))
            return to_skp(assessment.skp_id, period=assessment.period, anchor="penilaian")
    skp = assessment.skp
    messages.error(request, _("Keberatan belum dapat diajukan; periksa isian yang ditandai."))
    return render(request, "performance/skp_period.html",
                  period_context(request, skp, assessment.period, {"objection": form}), status=400)


@login_required
@EDIT
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = fetch(lambda: selectors.objection_get_for(viewer=request.user, pk=pk))
    if not rules.is_objection_reviewer(request.user, objection):
        raise PermissionDenied(_("Hanya atasan pejabat penilai yang memutuskan keberatan ini."))
    form = ObjectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_service(form, lambda: services.objection_decide(
            actor=request.user, objection=objection, decision=data["decision"], note=data["note"],
            hasil=data["hasil"] or None, perilaku=data["perilaku"] or None))
        if saved is not None:
            messages.success(request, _("Keberatan diputuskan: %(s)s.") % {"s": saved.get_status_display()})
            return redirect("performance:objection_list")
    assessment = objection.assessment
    return render(request, "performance/objection_decide.html", {
        "objection": objection, "assessment": assessment, "skp": assessment.skp, "form": form,
        "pending": objection.status == Objection.Status.PENDING,
    })


def _unit_for_recap(request: HttpRequest, pk: int) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not rules.can_view_unit_recap(request.user, unit):
        raise Http404
    return unit


@login_required
@EDIT
def unit_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """The annual predikat of a unit: the distribution against the unit's curve, then finalisation."""
    unit = _unit_for_recap(request, pk)
    year = year_from(request)
    if not rules.can_finalise_unit(request.user, unit):
        raise PermissionDenied(_("Hanya kepala unit, admin BKPSDM, atau pimpinan yang memfinalkan predikat unit."))
    form = FinaliseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = call_service(form, lambda: services.unit_annual_finalise(actor=request.user, unit=unit, year=year,
                                                                **form.cleaned_data))
        if check is not None:
            messages.success(request, _("%(n)s penilaian tahunan %(unit)s difinalkan.")
                             % {"n": check.finalised, "unit": unit.name})
            return redirect(reverse("performance:recap") + f"?unit={unit.pk}&tahun={year}")
    dist = selectors.unit_distribution(unit, year)
    return render(request, "performance/unit_finalise.html", {
        "unit": unit, "year": year, "years": year_choices(year), "form": form, "dist": dist,
        "bars": reports.distribution_bars(dist["counts"], dist["unit_predikat"]),
        "drafts": selectors.annual_in_subtree(unit, year).filter(status=AssessmentStatus.DRAFT).count(),
    }, status=400 if form.is_bound else 200)


@login_required
@require_POST
def unit_result_set(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_recap(request, pk)
    year = year_from(request)
    form = UnitResultForm(request.POST)
    if form.is_valid():
        if run_or_message(request, lambda: services.unit_result_set(actor=request.user, unit=unit, year=year,
                                                                    **form.cleaned_data)):
            messages.success(request, _("Predikat kinerja %(unit)s %(year)s ditetapkan.")
                             % {"unit": unit.name, "year": year})
    else:
        messages.error(request, _("Pilih predikat kinerja unit."))
    return redirect(reverse("performance:recap") + f"?unit={unit.pk}&tahun={year}")
