"""Perencanaan pages: "SKP Saya" (draft, items cascaded from the atasan's, indicators, submit, revision) and
the pejabat penilai's agree / return / ekspektasi on the same SKP page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.employees.selectors import own_employee
from simasn.org.forms import apply_domain_error, call_service

from .. import periods, rules, selectors, services
from .. import rules_data as R
from ..forms import (
    CommentForm,
    ExpectationForm,
    IndicatorForm,
    ItemForm,
    RevisionForm,
    SkpCreateForm,
    split_target,
)
from ..models import AssessmentStatus, Skp, SkpStatus
from .common import fetch, indicator_or_404, run_or_message, to_skp, year_choices, year_from

EDIT = require_http_methods(["GET", "POST"])


def period_rows(skp: Skp, today: dt.date) -> list[dict[str, Any]]:
    """Every period of the SKP with its state and assessment (assessments already prefetched)."""
    by_period = {a.period: a for a in skp.assessments.all()}
    numbers = [*range(1, R.PERIODS_PER_YEAR[skp.period_kind] + 1), R.ANNUAL_PERIOD]
    rows = []
    for n in numbers:
        assessment = by_period.get(n)
        rows.append({
            "period": n, "label": periods.period_label(skp.period_kind, n),
            "started": periods.period_has_started(skp.year, skp.period_kind, n, today),
            "ended": periods.period_has_ended(skp.year, skp.period_kind, n, today),
            "assessment": assessment,
            "deadline": services.objection_deadline(assessment) if assessment else None,
        })
    return rows


def objection_state(assessment: Any, today: dt.date) -> dict[str, Any]:
    """Whether the employee may still object to an assessment, and until when."""
    if assessment is None or assessment.status != AssessmentStatus.FINAL:
        return {"open": False, "deadline": None, "objection": None}
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError: getattr's default.
    objection = getattr(assessment, "objection", None)
    deadline = services.objection_deadline(assessment)
    return {"open": objection is None and deadline is not None and today <= deadline, "deadline": deadline,
            "objection": objection}


def _item_form(skp: Skp, data: Any = None, initial: dict | None = None) -> ItemForm:
    parents = selectors.parent_item_choices(skp).filter(skp__agreed_at__isnull=False)
    may_unit_target = skp.pejabat_penilai_id is None or rules.is_head_position(skp.position)
    is_jpt = skp.position is not None and skp.position.jabatan_type in services.planning.JPT_TYPES
    return ItemForm(data, initial=initial, parents=parents, show_unit_target=may_unit_target,
                    show_perspective=is_jpt)


def skp_context(request: HttpRequest, skp: Skp) -> dict[str, Any]:
    """What the SKP page shows, for the owner, his pejabat penilai or an admin reading it."""
    selectors.with_monitoring(skp)
    today = timezone.localdate()
    is_owner = rules.is_skp_owner(request.user, skp)
    is_penilai = rules.is_pejabat_penilai(request.user, skp) and not is_owner
    items = list(skp.items.all())
    item_expectations = {e.item_id: e for e in skp.expectations.all() if e.item_id}
    value_expectations = [(R.BERAKHLAK[e.value], e) for e in skp.expectations.all() if e.value]
    rows = period_rows(skp, today)
    for r in rows:
        r["objection"] = objection_state(r["assessment"], today)
    can_edit = is_owner and skp.is_editable
    return {
        "skp": skp, "items": items, "item_expectations": item_expectations,
        "value_expectations": value_expectations, "is_owner": is_owner, "is_penilai": is_penilai,
        "can_edit": can_edit,
        "period_rows": rows,
        "revisions": list(skp.revisions.order_by("-number")),
        "item_form": _item_form(skp) if can_edit else None,
        "parents_available": can_edit and selectors.parent_item_choices(skp).filter(
            skp__agreed_at__isnull=False).exists(),
        "comment_form": CommentForm() if is_penilai and skp.status == SkpStatus.SUBMITTED else None,
        "expectation_form": (ExpectationForm(items=items)
                             if is_penilai and skp.status != SkpStatus.AGREED and skp.status != SkpStatus.REVISING
                             else None),
        "revision_form": RevisionForm() if is_owner and skp.status == SkpStatus.AGREED else None,
        "berakhlak": R.BERAKHLAK,
    }


@login_required
@require_GET
def my_skp(request: HttpRequest) -> HttpResponse:
    """SKP Saya: the own SKP of a year, or the form that drafts it."""
    year = year_from(request)
    me = own_employee(request.user)
    context: dict[str, Any] = {"year": year, "years": year_choices(year), "me": me}
    if me is None:
        return render(request, "performance/no_employee.html", context)
    skp = selectors.my_skp(viewer=request.user, year=year)
    if skp is None:
        context["create_form"] = SkpCreateForm(initial={"year": year})
        context["atasan"] = services.planning.atasan_of(me).first()
        return render(request, "performance/my_skp_empty.html", context)
    context.update(skp_context(request, skp))
    return render(request, "performance/skp_detail.html", context)


@login_required
@require_POST
def skp_create(request: HttpRequest) -> HttpResponse:
    form = SkpCreateForm(request.POST)
    year = year_from(request)
    if form.is_valid():
        skp = run_or_message(request, lambda: services.skp_create(actor=request.user, **form.cleaned_data))
        if skp is not None:
            messages.success(request, _("Draf SKP %(year)s dibuat. Tambahkan hasil kerja dan indikatornya.")
                             % {"year": skp.year})
            return to_skp(skp.pk)
    else:
        messages.error(request, _("Data SKP belum benar."))
    response = redirect("performance:my_skp")
    response["Location"] += f"?tahun={year}"
    return response


@login_required
@require_GET
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    context = skp_context(request, skp)
    context.update(year=skp.year, years=None)
    return render(request, "performance/skp_detail.html", context)


def _owner_skp(request: HttpRequest, pk: int) -> Skp:
    return fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))


def _require_owner(request: HttpRequest, skp: Skp) -> None:
    """The plan's forms are the owner's: others who may read the SKP get a 403 instead of a form they cannot
    save (the services refuse them too)."""
    if not rules.is_skp_owner(request.user, skp):
        raise PermissionDenied(_("Hanya pegawai pemilik SKP yang dapat mengubah rencananya."))


class _Refused(Exception):
    def __init__(self, form: Any, error: DomainError) -> None:
        super().__init__(error.message)
        self.form, self.error = form, error


def _add_item_with_indicator(request: HttpRequest, skp: Skp, form: ItemForm, indicator_form: IndicatorForm) -> Any:
    """The item and its first indicator in one transaction: a refused indicator leaves no item behind."""
    with transaction.atomic():
        try:
            item = services.skp_item_add(actor=request.user, skp=skp, **form.service_data())
        except (Forbidden, NotFound):
            raise
        except DomainError as exc:
            raise _Refused(form, exc) from exc
        try:
            services.skp_indicator_add(actor=request.user, item=item, **indicator_form.cleaned_data)
        except (Forbidden, NotFound):
            raise
        except DomainError as exc:
            raise _Refused(indicator_form, exc) from exc
    return item


@login_required
@EDIT
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new hasil kerja with its first indicator (an item without one cannot be submitted)."""
    skp = _owner_skp(request, pk)
    _require_owner(request, skp)
    form = _item_form(skp, request.POST or None)
    indicator_form = IndicatorForm(request.POST or None, prefix="ind")
    if request.method == "POST" and form.is_valid() & indicator_form.is_valid():
        try:
            item = call_service(None, lambda: _add_item_with_indicator(request, skp, form, indicator_form))
        except _Refused as refused:
            apply_domain_error(refused.form, refused.error)
        else:
            messages.success(request, _("Hasil kerja ditambahkan."))
            return to_skp(skp.pk, anchor=f"hk-{item.pk}")
    return render(request, "performance/item_form.html", {"skp": skp, "form": form, "indicator_form": indicator_form})


@login_required
@EDIT
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = fetch(lambda: selectors.item_get_for(viewer=request.user, pk=pk))
    skp = item.skp
    _require_owner(request, skp)
    initial = {"text": item.text, "parent_item_id": item.parent_item_id, "unit_target": item.unit_target,
               "perspective": item.perspective, "is_additional": item.is_additional}
    form = _item_form(skp, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: services.skp_item_update(actor=request.user, item=item,
                                                                    **form.service_data()))
        if saved is not None:
            messages.success(request, _("Hasil kerja diperbarui."))
            return to_skp(skp.pk, anchor=f"hk-{item.pk}")
    return render(request, "performance/item_form.html", {"skp": skp, "item": item, "form": form})


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = fetch(lambda: selectors.item_get_for(viewer=request.user, pk=pk))
    if run_or_message(request, lambda: services.skp_item_remove(actor=request.user, item=item) or True):
        messages.success(request, _("Hasil kerja dihapus."))
    return to_skp(item.skp_id)


@login_required
@EDIT
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = fetch(lambda: selectors.item_get_for(viewer=request.user, pk=pk))
    _require_owner(request, item.skp)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: services.skp_indicator_add(actor=request.user, item=item,
                                                                      **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Indikator ditambahkan."))
            return to_skp(item.skp_id, anchor=f"hk-{item.pk}")
    return render(request, "performance/indicator_form.html", {"skp": item.skp, "item": item, "form": form})


@login_required
@EDIT
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_or_404(request, pk)
    item = indicator.item
    _require_owner(request, item.skp)
    initial = {f: getattr(indicator, f) for f in ("text", "target_kind", "target_value", "target_unit", "target_text")}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: services.skp_indicator_update(actor=request.user, indicator=indicator,
                                                                 **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Indikator diperbarui."))
            return to_skp(item.skp_id, anchor=f"hk-{item.pk}")
    return render(request, "performance/indicator_form.html",
                  {"skp": item.skp, "item": item, "indicator": indicator, "form": form})


@login_required
@require_POST
def indicator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = indicator_or_404(request, pk)
    if run_or_message(request, lambda: services.skp_indicator_remove(actor=request.user, indicator=indicator) or True):
        messages.success(request, _("Indikator dihapus."))
    return to_skp(indicator.item.skp_id, anchor=f"hk-{indicator.item_id}")


@login_required
@require_POST
def skp_submit(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _owner_skp(request, pk)
    if run_or_message(request, lambda: services.skp_submit(actor=request.user, skp=skp)) is not None:
        messages.success(request, _("SKP diajukan kepada pejabat penilai."))
    return to_skp(skp.pk)


@login_required
@require_POST
def skp_agree(request: HttpRequest, pk: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    if run_or_message(request, lambda: services.skp_agree(actor=request.user, skp=skp)) is not None:
        messages.success(request, _("SKP %(name)s disetujui dan dikunci.") % {"name": skp.employee.name})
    return to_skp(skp.pk)


@login_required
@require_POST
def skp_return(request: HttpRequest, pk: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    comment = request.POST.get("comment", "")
    if run_or_message(request, lambda: services.skp_return(actor=request.user, skp=skp, comment=comment)) is not None:
        messages.success(request, _("SKP dikembalikan kepada %(name)s dengan catatan.") % {"name": skp.employee.name})
    return to_skp(skp.pk)


@login_required
@require_POST
def skp_revision(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _owner_skp(request, pk)
    reason = request.POST.get("reason", "")
    if run_or_message(request, lambda: services.skp_revision_request(actor=request.user, skp=skp, reason=reason)):
        messages.success(request, _("Revisi dibuka. Ubah rencana lalu ajukan kembali kepada pejabat penilai."))
    return to_skp(skp.pk)


@login_required
@require_POST
def expectation_set(request: HttpRequest, pk: int) -> HttpResponse:
    skp = fetch(lambda: selectors.skp_get_for(viewer=request.user, pk=pk))
    items = list(skp.items.all())
    item, value = split_target(request.POST.get("target", ""), items)
    text = request.POST.get("text", "")

    def action() -> Any:
        return services.skp_expectation_set(actor=request.user, skp=skp, text=text, value=value, item=item) or True

    if run_or_message(request, action) is not None:
        messages.success(request, _("Ekspektasi khusus pimpinan disimpan."))
    return to_skp(skp.pk, anchor="ekspektasi")
