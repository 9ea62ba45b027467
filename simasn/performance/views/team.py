"""SKP Bawahan (the atasan's desk) and the coaching plans (pembinaan)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simasn.employees.selectors import own_employee, subordinates_of
from simasn.org.forms import call_service

from .. import rules, selectors, services
from .. import rules_data as R
from ..forms import CoachingForm
from ..models import Assessment, CoachingPlan, Objection
from .common import fetch, year_choices, year_from

COACHING_PAGE = 50


@login_required
@require_GET
def subordinates(request: HttpRequest) -> HttpResponse:
    """The SKPs the viewer rates for a year, the subordinates still without one, and his inbox."""
    year = year_from(request)
    skps = list(selectors.subordinate_skps(viewer=request.user, year=year).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.order_by("period").only(
            "id", "skp_id", "period", "predikat", "status"), to_attr="ordered_assessments")))
    for skp in skps:
        rated = [a for a in skp.ordered_assessments if a.period != R.ANNUAL_PERIOD]
        skp.last_periodic = rated[-1] if rated else None
        skp.annual = next((a for a in skp.ordered_assessments if a.period == R.ANNUAL_PERIOD), None)
    me = own_employee(request.user)
    with_skp = {s.employee_id for s in skps}
    without = [e for e in subordinates_of(me) if e.pk not in with_skp] if me is not None else []
    inbox = selectors.inbox(viewer=request.user)
    return render(request, "performance/subordinates.html", {
        "year": year, "years": year_choices(year), "skps": skps, "without": without, "inbox": inbox,
    })


@login_required
@require_GET
def objection_list(request: HttpRequest) -> HttpResponse:
    """Objections the viewer decides as the atasan of the pejabat penilai; those he decided before."""
    inbox = selectors.inbox(viewer=request.user)
    decided = (Objection.objects.filter(decided_by=request.user)
               .select_related("employee", "assessment", "assessment__skp").order_by("-decided_at")[:50])
    return render(request, "performance/objection_list.html",
                  {"pending": inbox.objections_to_decide, "decided": list(decided)})


@login_required
@require_GET
def coaching_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = selectors.coaching_plan_queryset_for(request.user).select_related("assessment__skp", "employee__unit")
    if status == "open":
        qs = qs.filter(status__in=[CoachingPlan.Status.PLANNED, CoachingPlan.Status.ONGOING])
    elif status in CoachingPlan.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("end_date", "id"), COACHING_PAGE).get_page(request.GET.get("hal"))
    me = own_employee(request.user)
    return render(request, "performance/coaching_list.html", {
        "page": page, "status": status, "statuses": CoachingPlan.Status.choices,
        "manageable": {p.pk for p in page if rules.can_manage_coaching(request.user, p)}, "me": me,
    })


@login_required
@require_http_methods(["GET", "POST"])
def coaching_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = fetch(lambda: selectors.coaching_plan_get_for(viewer=request.user, pk=pk))
    can_manage = rules.can_manage_coaching(request.user, plan)
    initial = {f: getattr(plan, f) for f in ("status", "start_date", "end_date", "actions", "outcome")}
    form = CoachingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Hanya penanggung jawab pembinaan atau admin BKPSDM yang dapat mengubahnya."))
        if form.is_valid():
            saved = call_service(form, lambda: services.coaching_plan_update(actor=request.user, plan=plan,
                                                                    **form.cleaned_data))
            if saved is not None:
                messages.success(request, _("Rencana pembinaan disimpan."))
                return redirect("performance:coaching_list")
    return render(request, "performance/coaching_form.html", {
        "plan": plan, "form": form, "can_manage": can_manage and plan.is_open,
    }, status=400 if form.is_bound and form.errors else 200)
