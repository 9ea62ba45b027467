"""Work calendar API (/api/v1/calendar): the holidays of a year and the working-day count."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from simasn.core.calc import CalcInputError
from simasn.core.errors import DomainError

from . import calculators, selectors

router = Router(tags=["kalender"])


class CalendarInputInvalid(DomainError):
    status_code = 422


class ErrorOut(Schema):
    detail: str
    code: str


class HolidayOut(Schema):
    id: int
    date: dt.date
    name: str
    category: str
    source: str
    legal_basis: str


class HolidayDayOut(Schema):
    date: str
    name: str


class WorkingDaysOut(Schema):
    working_days: int
    holidays: list[HolidayDayOut]


def _year(year: int | None) -> int:
    from django.utils import timezone

    year = year or timezone.localdate().year
    if not 1900 <= year <= 2200:
        raise CalendarInputInvalid("Tahun tidak valid.", code="invalid_input")
    return year


@router.get("/holidays", response={200: list[HolidayOut], 422: ErrorOut}, summary="Hari libur dalam satu tahun")
def holiday_list(request: HttpRequest, year: int | None = None):
    return list(selectors.holiday_list(viewer=request.user, year=_year(year)))


@router.get("/working-days", response={200: WorkingDaysOut, 422: ErrorOut},
            summary="Jumlah hari kerja antara dua tanggal (keduanya termasuk)")
def working_days(request: HttpRequest, start: str, end: str, unit_id: int | None = None):
    try:
        return calculators.compute({"start": start, "end": end, "unit_id": unit_id})
    except CalcInputError as exc:
        raise CalendarInputInvalid(str(exc), code="invalid_input") from exc
