"""Jadwal Kerja pages: the schedules (everyone reads, BKPSDM edits), Ramadan periods, assignments (admin
BKPSDM and admin OPD in their subtree), the weekly shift roster of a unit, and one employee's schedule on a
date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simasn.accounts.scopes import can_administer_city, is_city_wide, is_personnel_admin
from simasn.core.errors import DomainError
from simasn.employees.selectors import employee_queryset_for, own_employee
from simasn.org.forms import call_service

from . import days as workdays
from . import rules_data, schedule_services, selectors
from .schedule_forms import (
    AssignmentForm,
    EndAssignmentForm,
    LookupForm,
    RamadanForm,
    ScheduleForms,
    schedule_initial,
    template_initial,
)
from .schedules import expected_days, schedule_on

EDIT_METHODS = require_http_methods(["GET", "POST"])


def _require_city_admin(request: HttpRequest) -> None:
    if not can_administer_city(request.user):
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat mengubah jadwal kerja."))


def _require_personnel_admin(request: HttpRequest) -> None:
    if not is_personnel_admin(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengatur penetapan jadwal."))


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    is_admin = can_administer_city(request.user)
    schedules = list(selectors.schedule_list(viewer=request.user, include_inactive=is_admin))
    for schedule in schedules:
        rows = list(schedule.days.all())
        for row in [*rows, *schedule.shifts.all()]:
            row.hours = row.working_minutes() / 60
            row.weekday_label = rules_data.WEEKDAY_LABELS.get(getattr(row, "weekday", -1), "")
        schedule.normal_days = [r for r in rows if not r.is_ramadan]
        schedule.ramadan_days = [r for r in rows if r.is_ramadan]
        schedule.weekly_hours = sum(r.hours for r in schedule.normal_days)
        schedule.ramadan_hours = sum(r.hours for r in schedule.ramadan_days)
    return render(request, "workcalendar/schedule_list.html", {
        "schedules": schedules,
        "periods": list(selectors.ramadan_list(viewer=request.user)),
        "templates": rules_data.SCHEDULE_TEMPLATES,
        "can_edit": is_admin,
        "can_assign": is_personnel_admin(request.user),
        "can_read_assignments": is_personnel_admin(request.user) or is_city_wide(request.user),
    })


def _schedule_page(request: HttpRequest, forms: ScheduleForms, schedule: Any = None) -> HttpResponse:
    return render(request, "workcalendar/schedule_form.html", {
        "forms": forms, "schedule": schedule, "templates": rules_data.SCHEDULE_TEMPLATES,
    })


@login_required
@EDIT_METHODS
def schedule_create(request: HttpRequest) -> HttpResponse:
    _require_city_admin(request)
    key = request.GET.get("templat", rules_data.KIND_FIVE_DAY)
    initial = template_initial(key if key in rules_data.SCHEDULE_TEMPLATES else rules_data.KIND_FIVE_DAY)
    forms = ScheduleForms(request.POST or None, initial=initial)
    if request.method == "POST" and forms.is_valid():
        saved = call_service(forms.schedule, lambda: schedule_services.schedule_create(actor=request.user,
                                                                               **forms.service_kwargs()))
        if saved:
            messages.success(request, _("Jadwal %(name)s dibuat.") % {"name": saved.name})
            return redirect("workcalendar:schedules")
    return _schedule_page(request, forms)


@login_required
@EDIT_METHODS
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_admin(request)
    schedule = call_service(None, lambda: selectors.schedule_get_for(viewer=request.user, pk=pk))
    forms = ScheduleForms(request.POST or None, initial=schedule_initial(schedule))
    if request.method == "POST" and forms.is_valid():
        saved = call_service(forms.schedule, lambda: schedule_services.schedule_update(
            actor=request.user, schedule=schedule, **forms.service_kwargs()))
        if saved:
            messages.success(request, _("Jadwal %(name)s diperbarui.") % {"name": saved.name})
            return redirect("workcalendar:schedules")
    return _schedule_page(request, forms, schedule)


def _refusal(request: HttpRequest, action: Any) -> Any:
    """Run a one-button action; a refusal becomes an error message on the page it came from."""
    try:
        return call_service(None, action)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


@login_required
@require_POST
def schedule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_admin(request)
    schedule = call_service(None, lambda: selectors.schedule_get_for(viewer=request.user, pk=pk))
    active = request.POST.get("aktif") == "1"
    if _refusal(request, lambda: schedule_services.schedule_set_active(actor=request.user, schedule=schedule,
                                                                       active=active)):
        messages.success(request, (_("%(name)s diaktifkan.") if active else _("%(name)s dinonaktifkan."))
                         % {"name": schedule.name})
    return redirect("workcalendar:schedules")


@login_required
@EDIT_METHODS
def ramadan_create(request: HttpRequest) -> HttpResponse:
    _require_city_admin(request)
    form = RamadanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: schedule_services.ramadan_create(actor=request.user, **form.cleaned_data))
        if saved:
            messages.success(request, _("Periode %(name)s ditetapkan.") % {"name": saved.name})
            return redirect("workcalendar:schedules")
    return render(request, "workcalendar/ramadan_form.html", {"form": form})


@login_required
@require_POST
def ramadan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_admin(request)
    period = call_service(None, lambda: selectors.ramadan_get_for(viewer=request.user, pk=pk))
    call_service(None, lambda: schedule_services.ramadan_delete(actor=request.user, period=period))
    messages.success(request, _("Periode Ramadan dihapus."))
    return redirect("workcalendar:schedules")


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    if not (is_personnel_admin(request.user) or is_city_wide(request.user)):
        raise PermissionDenied(_("Anda tidak berwenang melihat penetapan jadwal."))
    target = request.GET.get("sasaran", "")
    show_all = request.GET.get("semua") == "1"
    today = timezone.localdate()
    assignments = list(selectors.assignment_list(viewer=request.user, target=target,
                                                 current_on=None if show_all else today)[:500])
    can_manage = is_personnel_admin(request.user)
    return render(request, "workcalendar/assignment_list.html", {
        "assignments": assignments, "target": target, "show_all": show_all, "today": today,
        "can_manage": can_manage,
    })


@login_required
@EDIT_METHODS
def assignment_create(request: HttpRequest) -> HttpResponse:
    _require_personnel_admin(request)
    form = AssignmentForm(request.POST or None, user=request.user,
                          initial={"effective_from": timezone.localdate(), "unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: schedule_services.assignment_create(actor=request.user,
                                                                               **form.service_kwargs()))
        if saved:
            messages.success(request, _("Jadwal %(name)s ditetapkan.") % {"name": saved.schedule.name})
            return redirect("workcalendar:assignments")
    return render(request, "workcalendar/assignment_form.html", {"form": form})


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personnel_admin(request)
    assignment = call_service(None, lambda: selectors.assignment_get_for(viewer=request.user, pk=pk))
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggal berakhir tidak valid."))
    elif _refusal(request, lambda: schedule_services.assignment_end(
            actor=request.user, assignment=assignment, effective_to=form.cleaned_data["effective_to"])):
        messages.success(request, _("Penetapan jadwal diakhiri."))
    return redirect("workcalendar:assignments")


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_personnel_admin(request)
    assignment = call_service(None, lambda: selectors.assignment_get_for(viewer=request.user, pk=pk))
    if _refusal(request, lambda: schedule_services.assignment_delete(actor=request.user, assignment=assignment)):
        messages.success(request, _("Penetapan jadwal dihapus."))
    return redirect("workcalendar:assignments")


def _week_start(raw: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    if abs(day.year - timezone.localdate().year) > rules_data.MAX_YEARS_FROM_TODAY:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _roster_entries(request: HttpRequest, grid: selectors.RosterGrid) -> list[tuple[int, dt.date, int | None]]:
    """The grid's cells as posted: only cells that offer shifts, so a forged field cannot reach others."""
    entries = []
    for row in grid.rows:
        for day, _current, options in row.cells:
            if not options:
                continue
            raw = request.POST.get(f"s-{row.employee.pk}-{day:%Y%m%d}", "")
            entries.append((row.employee.pk, day, int(raw) if raw.isdigit() else None))
    return entries


@login_required
@EDIT_METHODS
def roster(request: HttpRequest) -> HttpResponse:
    _require_personnel_admin(request)
    units = selectors.manageable_units(viewer=request.user).only("id", "name", "path", "depth")
    raw_unit = request.GET.get("unit") or request.POST.get("unit") or ""
    unit = None
    if raw_unit:
        unit = call_service(None, lambda: selectors.manageable_unit_get(viewer=request.user, pk=raw_unit))
    week_start = _week_start(request.GET.get("minggu") or request.POST.get("minggu") or "")
    grid = selectors.roster_grid(viewer=request.user, unit=unit, week_start=week_start) if unit else None
    if request.method == "POST" and grid is not None:
        counts = _refusal(request, lambda: schedule_services.roster_set_week(
            actor=request.user, unit=unit, week_start=week_start, entries=_roster_entries(request, grid)))
        if counts is not None:
            messages.success(request, _("Jadwal shift disimpan: %(created)s baru, %(updated)s diubah, "
                                        "%(cleared)s dikosongkan.") % counts)
            if not request.htmx:
                return redirect(f"{reverse('workcalendar:roster')}?unit={unit.pk}&minggu={week_start:%Y-%m-%d}")
        grid = selectors.roster_grid(viewer=request.user, unit=unit, week_start=week_start)
    context = {
        "units": units, "unit": unit, "grid": grid, "week_start": week_start,
        "prev_week": week_start - dt.timedelta(days=7), "next_week": week_start + dt.timedelta(days=7),
    }
    template = "workcalendar/roster.html#grid" if request.htmx and request.method == "POST" else \
        "workcalendar/roster.html"
    return render(request, template, context)


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    """One employee's schedule on a date and the week around it. Everyone may look himself up; admins and
    city-wide readers anyone they may read. Someone outside the viewer's scope is "not found"."""
    me = own_employee(request.user)
    data = request.GET if "nip" in request.GET else None
    form = LookupForm(data, initial={"nip": me.nip if me else "", "tanggal": timezone.localdate()})
    if data is None and me is not None:
        form = LookupForm({"nip": me.nip, "tanggal": timezone.localdate().isoformat()})
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        nip, day = form.cleaned_data["nip"].strip(), form.cleaned_data["tanggal"]
        employee = employee_queryset_for(request.user).select_related("unit").filter(nip=nip).first()
        if employee is None:
            form.add_error("nip", _("Pegawai dengan NIP ini tidak ditemukan."))
        else:
            start = day - dt.timedelta(days=day.weekday())
            week = [start + dt.timedelta(days=i) for i in range(7)]
            found = expected_days([employee], week[0], week[-1])
            context.update(
                employee=employee, day=day, schedule=schedule_on(employee, day),
                expected=found.get((employee.pk, day)),
                holidays=workdays.holidays_between(day, day, working_weekdays_only=False),
                week=[(d, found.get((employee.pk, d))) for d in week],
            )
    return render(request, "workcalendar/lookup.html", context)
