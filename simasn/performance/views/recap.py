"""Rekap Kinerja for admin OPD, BKPSDM, pimpinan and unit heads: coverage, distribution against the curve,
late assessments; the city-wide distribution; the .xlsx export and the SKP document as PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simasn.accounts.scopes import is_city_wide
from simasn.org.forms import call_service
from simasn.org.models import Unit

from .. import reports, rules, selectors
from ..forms import UnitResultForm
from .common import fetch, is_htmx, year_choices, year_from

MISSING_SHOWN = 200
LATE_SHOWN = 300


def _chosen_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    raw = request.GET.get("unit", "")
    if raw.isdigit():
        unit = Unit.objects.filter(pk=int(raw)).first()
        if unit is None or not rules.can_view_unit_recap(request.user, unit):
            raise Http404
        return unit
    if not units:
        return None
    # Default: the first unit below the pemda root for city-wide readers, the own scope for others.
    return next((u for u in units if u.depth == 1), units[0]) if len(units) > 1 and is_city_wide(request.user) \
        else units[0]


@login_required
@require_GET
def recap(request: HttpRequest) -> HttpResponse:
    year = year_from(request)
    units = reports.recap_units(request.user)
    unit = _chosen_unit(request, units)
    if unit is None:
        raise Http404
    data = selectors.unit_recap(viewer=request.user, unit=unit, year=year)
    missing = list(selectors.coverage_missing(viewer=request.user, year=year, unit=unit)[:MISSING_SHOWN + 1])
    return render(request, "performance/recap.html", {
        "year": year, "years": year_choices(year), "units": units, "unit": unit, "recap": data,
        "bars": reports.distribution_bars(data.total.predikat, data.unit_predikat),
        "missing": missing[:MISSING_SHOWN], "missing_more": len(missing) > MISSING_SHOWN,
        "can_set_result": rules.can_set_performance_rules(request.user),
        "can_finalise": rules.can_finalise_unit(request.user, unit),
        "result_form": UnitResultForm(initial={"predikat": data.unit_predikat}),
        "city_wide": is_city_wide(request.user),
    })


@login_required
@require_GET
def recap_late(request: HttpRequest) -> HttpResponse:
    """The late assessments of a unit, one line each: loaded by the recap page when scrolled to (HTMX), so the
    recap itself stays one screen of grouped numbers; a full page without JavaScript."""
    year = year_from(request)
    unit = _chosen_unit(request, reports.recap_units(request.user))
    if unit is None:
        raise Http404
    late = selectors.late_assessments(viewer=request.user, unit=unit, year=year)
    # One line per SKP with its late periods, in the selector's order (unit, then name).
    grouped: dict[int, tuple[Any, list[str]]] = {}
    for due in late:
        grouped.setdefault(due.skp.pk, (due.skp, []))[1].append(due.label)
    rows = list(grouped.values())
    context = {"unit": unit, "year": year, "late": rows[:LATE_SHOWN], "late_total": len(rows),
               "late_count": len(late)}
    template = "performance/recap_late.html#late" if is_htmx(request) else "performance/recap_late.html"
    return render(request, template, context)


@login_required
@require_GET
def city(request: HttpRequest) -> HttpResponse:
    year = year_from(request)
    data = fetch(lambda: selectors.city_distribution(viewer=request.user, year=year))
    return render(request, "performance/city.html", {
        "year": year, "years": year_choices(year), "data": data,
        "bars": reports.distribution_bars(data.counts, None),
        "opd_rows": [(o, reports.distribution_bars(o.counts, o.unit_predikat)) for o in data.opds],
    })


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    year = year_from(request)
    unit = _chosen_unit(request, reports.recap_units(request.user))
    if unit is None:
        raise Http404
    content, filename = fetch(lambda: reports.export_unit_xlsx(viewer=request.user, unit=unit, year=year))
    response = HttpResponse(content, content_type=reports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def skp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    content, filename = call_service(None, lambda: reports.skp_pdf(viewer=request.user, skp=skp))
    response = HttpResponse(content, content_type=reports.PDF_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
