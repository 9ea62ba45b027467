"""Reads for the caller's own attendance (the PWA and the mobile app): where he may check in today, his
day so far, and his days of a month."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.utils import timezone

from simasn.employees.models import Employee
from simasn.workcalendar.schedules import expected_day

from . import capture, checks
from .models import CheckInEvent, DailyRecord
from .rules_data import FLAG_LABELS, STATUS_LABELS


def my_locations(employee: Employee, day: dt.date | None = None) -> list[dict]:
    """The geofences valid for the employee on the day: an approved dinas luar / flexible-work place first,
    then the offices of his unit and its ancestors."""
    from simasn.leave.selectors import excused_days

    day = day or timezone.localdate()
    excuse = excused_days([employee.pk], day, day).get((employee.pk, day))
    return [
        {"id": place.location_id, "request_id": place.request_id, "kind": place.kind, "name": place.name,
         "latitude": place.latitude, "longitude": place.longitude, "radius_m": place.radius_m,
         "polygon": place.polygon}
        for place in capture._places(employee, excuse)
    ]


def _event_row(event: dict) -> dict:
    return {
        "id": event["id"], "kind": event["kind"], "source": event["source"], "server_time": event["server_time"],
        "status": event["status"], "review_status": event["review_status"], "flags": event["flags"],
        "flag_labels": checks.flag_labels(event["flags"]), "location_name": event["location_name"],
    }


def my_today(employee: Employee, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day = timezone.localdate(now)
    expected = expected_day(employee, day)
    events = (CheckInEvent.objects.filter(employee_id=employee.pk, work_date=day).order_by("server_time")
              .values("id", "kind", "source", "server_time", "status", "review_status", "flags", "location_name"))
    schedule = None
    if expected is not None:
        schedule = {
            "name": expected.schedule_name, "start": expected.start, "end": expected.end,
            "checkin_open": expected.checkin_open, "checkin_close": expected.checkin_close,
            "checkout_open": expected.checkout_open, "checkout_close": expected.checkout_close,
            "grace_minutes": expected.grace_minutes,
        }
    return {
        "date": day, "server_time": now, "schedule": schedule,
        "events": [_event_row(e) for e in events],
        "daily": capture.daily_answer(employee, day),
    }


def parse_month(text: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    if not text:
        return today.year, today.month
    try:
        year, month = (int(part) for part in text.split("-"))
        if len(text) != 7 or not 2000 <= year <= 2200 or not 1 <= month <= 12:
            raise ValueError
    except ValueError as exc:
        raise capture.CheckInInvalid("Bulan harus berformat YYYY-MM, mis. 2026-03.", code="invalid_month",
                                     field="month") from exc
    return year, month


def my_days(employee: Employee, year: int, month: int) -> list[dict]:
    """The employee's daily records of a month, oldest first (one query)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    rows = (DailyRecord.objects.filter(employee_id=employee.pk, date__range=(first, last)).order_by("date")
            .values("date", "status", "codes", "first_in", "last_out", "late_minutes", "early_minutes",
                    "worked_minutes", "deduction_percent", "has_pending_review", "is_closed"))
    return [
        {**row, "status_label": STATUS_LABELS.get(row["status"], row["status"]),
         "deduction_percent": str(row["deduction_percent"])}
        for row in rows
    ]


def flag_choices() -> list[tuple[str, str]]:
    return list(FLAG_LABELS.items())
