"""Reads of the work calendar. Holidays are public within the organisation; unit exceptions are shown to
everyone, but only those a viewer manages can be changed (see services.can_manage_unit)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.errors import NotFound
from simasn.org.models import Unit

from .models import Holiday, UnitHolidayException


def holiday_list(*, viewer: Any, year: int, include_inactive: bool = False) -> QuerySet[Holiday]:
    qs = Holiday.objects.filter(date__year=year)
    return qs if include_inactive else qs.filter(is_active=True)


def holiday_get_for(*, viewer: Any, pk: Any) -> Holiday:
    holiday = Holiday.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if holiday is None:
        raise NotFound()
    return holiday


def unit_exception_list(*, viewer: Any, year: int) -> QuerySet[UnitHolidayException]:
    return UnitHolidayException.objects.filter(date__year=year).select_related("unit")


def unit_exception_get_for(*, viewer: Any, pk: Any) -> UnitHolidayException:
    """Only an exception the viewer may change: the others are the same 404 as a missing one."""
    qs = UnitHolidayException.objects.select_related("unit")
    if not can_administer_city(viewer):
        path = managed_unit_path(viewer)
        qs = qs.filter(unit__path__startswith=path) if path else qs.none()
    found = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def manageable_units(*, viewer: Any) -> QuerySet[Unit]:
    qs = Unit.objects.filter(is_active=True)
    if can_administer_city(viewer):
        return qs
    path = managed_unit_path(viewer)
    return qs.filter(path__startswith=path) if path else qs.none()
