"""The unit calendar page: a month of who is away, for an atasan's team or an admin's unit."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import calendar as unit_calendar_selector
from ._common import call


def _month(raw: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if abs(year - today.year) <= 5 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@login_required
@require_GET
def unit_calendar(request: HttpRequest) -> HttpResponse:
    if not unit_calendar_selector.can_view_unit_calendar(request.user):
        raise PermissionDenied(_("Kalender unit untuk atasan dan admin kepegawaian."))
    access = unit_calendar_selector.calendar_access(request.user)
    year, month = _month(request.GET.get("bulan"))
    raw_unit = request.GET.get("unit", "")
    unit_id = int(raw_unit) if raw_unit.isdigit() else None
    if unit_id is None and not access.has_team:
        unit_id = access.default_unit_id
    if not access.can_pick_unit:
        unit_id = None
    grid = None
    if unit_id is not None or access.has_team:
        grid = call(lambda: unit_calendar_selector.unit_month_grid(
            viewer=request.user, year=year, month=month, unit_id=unit_id))
    return render(request, "leave/calendar.html", {
        "grid": grid,
        "access": access,
        "unit_id": unit_id,
        "month_value": f"{year:04d}-{month:02d}",
        "month_start": dt.date(year, month, 1),
        "prev_month": _shift(year, month, -1),
        "next_month": _shift(year, month, 1),
    })
