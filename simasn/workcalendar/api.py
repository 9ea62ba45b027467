"""Work calendar API (/api/v1/calendar): the holidays of a year, the working-day count, the work schedules and
the logged-in employee's expected working days."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from simasn.core.calc import CalcInputError
from simasn.core.errors import DomainError, NotFound
from simasn.employees.selectors import own_employee

from . import calculators, rules_data, selectors
from .schedules import expected_days

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


class TimeBlockOut(Schema):
    start: dt.time
    end: dt.time
    ends_next_day: bool
    break_minutes: int
    checkin_open: dt.time
    checkin_close: dt.time
    checkout_open: dt.time
    checkout_close: dt.time


class ScheduleDayOut(TimeBlockOut):
    weekday: int
    is_ramadan: bool


class ShiftOut(TimeBlockOut):
    code: str
    name: str


class ScheduleOut(Schema):
    id: int
    name: str
    kind: str
    grace_minutes: int
    is_active: bool
    legal_basis: str
    days: list[ScheduleDayOut]
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_days(obj) -> list:
        return list(obj.days.all())

    @staticmethod
    def resolve_shifts(obj) -> list:
        return list(obj.shifts.all())


class ExpectedDayOut(Schema):
    date: dt.date
    schedule_name: str
    shift_code: str
    start: dt.datetime
    end: dt.datetime
    checkin_open: dt.datetime
    checkin_close: dt.datetime
    checkout_open: dt.datetime
    checkout_close: dt.datetime
    grace_minutes: int
    break_minutes: int
    is_ramadan: bool


class MyScheduleOut(Schema):
    start: dt.date
    end: dt.date
    days: list[ExpectedDayOut]


@router.get("/schedules", response={200: list[ScheduleOut]}, summary="Jadwal kerja beserta hari, shift dan jendela")
def schedule_list(request: HttpRequest, include_inactive: bool = False):
    return list(selectors.schedule_list(viewer=request.user, include_inactive=include_inactive))


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise CalendarInputInvalid(f"Tanggal {field} tidak valid (format YYYY-MM-DD): {raw!r}.",
                                   code="invalid_input") from None


@router.get("/my-schedule", response={200: MyScheduleOut, 404: ErrorOut, 422: ErrorOut},
            summary="Hari kerja pegawai yang masuk antara dua tanggal (keduanya termasuk)")
def my_schedule(request: HttpRequest, start: str, end: str):
    first, last = _date(start, "start"), _date(end, "end")
    if last < first:
        raise CalendarInputInvalid("Tanggal akhir tidak boleh sebelum tanggal mulai.", code="invalid_input")
    if (last - first).days + 1 > rules_data.MAX_SCHEDULE_SPAN_DAYS:
        raise CalendarInputInvalid(f"Rentang paling lama {rules_data.MAX_SCHEDULE_SPAN_DAYS} hari.",
                                   code="invalid_input")
    me = own_employee(request.user)
    if me is None:
        raise NotFound("Akun ini tidak terhubung dengan data pegawai.")
    found = expected_days([me], first, last)
    return {"start": first, "end": last, "days": [found[key] for key in sorted(found, key=lambda k: k[1])]}
