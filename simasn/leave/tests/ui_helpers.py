"""Helpers of the leave page tests: a fixed "today" for code that asks `timezone.localdate()` (the views do
not take a date), and requests walked through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from simasn.leave import services
from simasn.leave.models import AbsenceRequest


def freeze_today(monkeypatch: Any, day: dt.date) -> None:
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def submit_cuti(world: Any, start: dt.date, end: dt.date, *, today: dt.date, **extra: Any) -> AbsenceRequest:
    fields = {"leave_type": "tahunan", "reason": "Mengantar orang tua berobat",
              "address_during": "Jl. Melati 7, Kendari", **extra}
    return services.request_submit(actor=world.users.staff_a, employee=world.org.staff_a, kind="cuti",
                                   start_date=start, end_date=end, today=today, **fields)


def approve_all(world: Any, req: AbsenceRequest) -> AbsenceRequest:
    req = services.request_approve(actor=world.users.kabid, request=req, note="Silakan")
    req = services.request_approve(actor=world.head_a, request=req)
    req.refresh_from_db()
    return req
