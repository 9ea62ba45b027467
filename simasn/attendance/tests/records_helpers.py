"""Shared set-up of the daily-record tests: expected days, events and excuses as plain values, and database
rows made the way capture makes them."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from simasn.attendance.daily import EventFact
from simasn.attendance.models import CheckInEvent, EventKind, EventSource, EventStatus, ReviewStatus
from simasn.leave.selectors import Excuse
from simasn.workcalendar.schedules import ExpectedDay

WITA = ZoneInfo("Asia/Makassar")
MONDAY = dt.date(2026, 3, 9)
_ids = itertools.count(1)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=WITA)


def expected(day: dt.date = MONDAY, start: str = "07:30", end: str = "16:00", *, grace: int = 0,
             break_minutes: int = 60, checkin: tuple[str, str] = ("07:00", "08:00"),
             checkout: tuple[str, str] = ("16:00", "18:00"),
             overnight: bool = False, name: str = "Jadwal Normal 5 Hari Kerja") -> ExpectedDay:
    end_day = day + dt.timedelta(days=1) if overnight else day
    return ExpectedDay(
        date=day, schedule_name=name, shift_code="malam" if overnight else "",
        start=at(day, start), end=at(end_day, end), checkin_open=at(day, checkin[0]), checkin_close=at(day, checkin[1]),
        checkout_open=at(end_day, checkout[0]), checkout_close=at(end_day, checkout[1]),
        grace_minutes=grace, break_minutes=break_minutes, is_ramadan=False,
    )


def night_shift(day: dt.date = MONDAY) -> ExpectedDay:
    return expected(day, "21:00", "08:00", break_minutes=0, checkin=("20:00", "21:00"), checkout=("08:00", "10:00"),
                    overnight=True, name="Shift RSUD")


def event(kind: str, when: dt.datetime, *, status: str = EventStatus.ACCEPTED, review: str = "",
          excuse_request_id: int | None = None) -> EventFact:
    return EventFact(next(_ids), kind, when, status, review, excuse_request_id)


def check_in(when: dt.datetime, **kw) -> EventFact:
    return event(EventKind.IN, when, **kw)


def check_out(when: dt.datetime, **kw) -> EventFact:
    return event(EventKind.OUT, when, **kw)


def excuse(kind: str, leave_type: str = "", *, request_id: int = 1, start_time: str | None = None,
           end_time: str | None = None) -> Excuse:
    return Excuse(kind, leave_type, request_id, None,
                  dt.time.fromisoformat(start_time) if start_time else None,
                  dt.time.fromisoformat(end_time) if end_time else None)


def store_event(employee, kind: str, when: dt.datetime, *, status: str = EventStatus.ACCEPTED, review: str = "",
                source: str = EventSource.MOBILE, work_date: dt.date | None = None) -> CheckInEvent:
    return CheckInEvent.objects.create(
        employee=employee, kind=kind, source=source, server_time=when, client_time=when,
        work_date=work_date or when.astimezone(WITA).date(), status=status, review_status=review,
        flags=["OUTSIDE_GEOFENCE"] if status == EventStatus.FLAGGED else [],
    )


__all__ = ["MONDAY", "WITA", "ReviewStatus", "at", "check_in", "check_out", "event", "excuse", "expected",
           "make_record", "night_shift", "store_event"]


def make_record(employee, day: dt.date, codes: list[str], *, first_in: dt.datetime | None = None,
                last_out: dt.datetime | None = None, late: int = 0, early: int = 0, worked: int = 0,
                pending: bool = False):
    """A stored daily record (the recap and the board read these; recompute is tested on its own)."""
    from decimal import Decimal

    from django.utils import timezone

    from simasn.attendance.daily import main_status
    from simasn.attendance.deductions import code_percent
    from simasn.attendance.models import DailyRecord
    from simasn.attendance.rules_data import SCHEMES

    band = {prefix: next((int(c[len(prefix):]) for c in codes if c.startswith(prefix)), 0) for prefix in ("TL", "PSW")}
    return DailyRecord.objects.create(
        employee=employee, date=day, status=main_status(codes), codes=codes, first_in=first_in, last_out=last_out,
        late_minutes=late, early_minutes=early, worked_minutes=worked,
        deduction_percent=sum((code_percent(c, SCHEMES["A"]) for c in codes), Decimal(0)),
        late_band=band["TL"], early_band=band["PSW"], has_pending_review=pending, computed_at=timezone.now(),
    )
