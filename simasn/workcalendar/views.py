"""Kalender Kerja pages: the holidays of a year, BKPSDM's edits and the units that work on holidays."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simasn.accounts.scopes import can_administer_city, is_personnel_admin
from simasn.org.forms import call_service

from . import selectors, services
from .forms import HolidayForm, UnitExceptionForm

EDIT_METHODS = require_http_methods(["GET", "POST"])


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun") or ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and abs(int(raw) - this_year) <= 10 else this_year


def _require_city_admin(request: HttpRequest) -> None:
    if not can_administer_city(request.user):
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat mengubah hari libur."))


def _back(year: int) -> HttpResponse:
    response = redirect("workcalendar:year")
    response["Location"] += f"?tahun={year}"
    return response


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    is_admin = can_administer_city(request.user)
    holidays = list(selectors.holiday_list(viewer=request.user, year=year, include_inactive=is_admin))
    exceptions = list(selectors.unit_exception_list(viewer=request.user, year=year))
    this_year = timezone.localdate().year
    return render(request, "workcalendar/year.html", {
        "year": year,
        "years": range(min(year, this_year - 2), max(year, this_year + 2) + 1),
        "holidays": holidays,
        "exceptions": exceptions,
        "deletable": {e.pk for e in exceptions if services.can_manage_unit(request.user, e.unit)},
        "can_edit_holidays": is_admin,
        "can_edit_exceptions": is_personnel_admin(request.user),
    })


def _holiday_form_page(request: HttpRequest, form: HolidayForm, holiday: Any = None) -> HttpResponse:
    return render(request, "workcalendar/holiday_form.html", {"form": form, "holiday": holiday})


@login_required
@EDIT_METHODS
def holiday_create(request: HttpRequest) -> HttpResponse:
    _require_city_admin(request)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holiday = call_service(form, lambda: services.holiday_create(actor=request.user, **form.cleaned_data))
        if holiday:
            messages.success(request, _("Hari libur %(name)s ditambahkan.") % {"name": holiday.name})
            return _back(holiday.date.year)
    return _holiday_form_page(request, form)


@login_required
@EDIT_METHODS
def holiday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_admin(request)
    holiday = call_service(None, lambda: selectors.holiday_get_for(viewer=request.user, pk=pk))
    initial = {f: getattr(holiday, f) for f in ("date", "name", "category", "legal_basis")}
    form = HolidayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: services.holiday_update(actor=request.user, holiday=holiday,
                                                                   **form.cleaned_data))
        if saved:
            messages.success(request, _("Hari libur %(name)s diperbarui.") % {"name": saved.name})
            return _back(saved.date.year)
    return _holiday_form_page(request, form, holiday)


@login_required
@require_POST
def holiday_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_admin(request)
    holiday = call_service(None, lambda: selectors.holiday_get_for(viewer=request.user, pk=pk))
    active = request.POST.get("aktif") == "1"
    call_service(None, lambda: services.holiday_set_active(actor=request.user, holiday=holiday, active=active))
    if active:
        messages.success(request, _("%(name)s diberlakukan kembali.") % {"name": holiday.name})
    else:
        messages.success(request, _("%(name)s dinonaktifkan.") % {"name": holiday.name})
    return _back(holiday.date.year)


@login_required
@require_POST
def holiday_sync(request: HttpRequest) -> HttpResponse:
    _require_city_admin(request)
    year = _year(request)
    result = call_service(None, lambda: services.sync_holidays(actor=request.user, years=[year]))
    messages.success(request, _("Sinkronisasi %(year)s selesai: %(created)s hari libur baru, %(same)s sudah ada.")
                     % {"year": year, "created": result["created"], "same": result["unchanged"]})
    return _back(year)


@login_required
@EDIT_METHODS
def exception_create(request: HttpRequest) -> HttpResponse:
    if not is_personnel_admin(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengatur pengecualian hari libur."))
    form = UnitExceptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        found = call_service(form, lambda: services.unit_exception_create(actor=request.user, **form.cleaned_data))
        if found:
            messages.success(request, _("%(unit)s tercatat tetap bekerja pada %(date)s.")
                             % {"unit": found.unit.name, "date": found.date.strftime("%d-%m-%Y")})
            return _back(found.date.year)
    return render(request, "workcalendar/exception_form.html", {"form": form})


@login_required
@require_POST
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = call_service(None, lambda: selectors.unit_exception_get_for(viewer=request.user, pk=pk))
    call_service(None, lambda: services.unit_exception_delete(actor=request.user, exception=found))
    messages.success(request, _("Pengecualian hari libur dihapus."))
    return _back(found.date.year)
