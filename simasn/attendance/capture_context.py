"""What a check-in knows before it decides: the schedule day it counts for, the database's answers (one
statement, capture_sql.checkin_reads) and, from them, the context every check runs on (checks.CheckContext).
Part of capture.py's flow, kept apart so each file reads in one sitting."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from simasn.employees.models import Employee
from simasn.workcalendar.schedules import ExpectedDay, office_timezone

from . import capture_sql, checks, photos
from .models import CheckInEvent, EventStatus, ReviewStatus
from .rules_data import CHECKS

LEAVE_KINDS = frozenset({"cuti", "izin"})  # away for the day: a check-in then is flagged ON_LEAVE
PLACE_KINDS = frozenset({"dinas_luar", "fleksibel"})  # away with a place of their own: check in there


def resolve_work_day(kind: str, now: dt.datetime, expectations: dict[dt.date, ExpectedDay]
                     ) -> tuple[dt.date, ExpectedDay | None]:
    """The schedule day an event counts for, by the same rule the daily records use (daily.work_date_of):
    a night shift's check-out the next morning belongs to the day the shift started."""
    from .daily import EventFact, work_date_of

    fact = EventFact(0, kind, now, EventStatus.ACCEPTED, ReviewStatus.NOT_NEEDED)
    day = work_date_of(fact, expectations, office_timezone())
    return day, expectations.get(day)


def local_minutes(moment: dt.datetime, tz: dt.tzinfo | None = None) -> float:
    local = moment.astimezone(tz or office_timezone())
    return local.hour * 60 + local.minute + local.second / 60


def places(employee: Employee, excuse: Any) -> tuple[checks.Place, ...]:
    from .selectors_capture import office_places

    places = list(office_places(employee.unit))
    if excuse is not None and excuse.kind in PLACE_KINDS and excuse.location is not None:
        loc = excuse.location
        places.insert(0, checks.Place(excuse.kind, loc.name or "Lokasi penugasan", float(loc.latitude),
                                      float(loc.longitude), int(loc.radius_m), request_id=excuse.request_id))
    return tuple(places)


def history_since(now: dt.datetime) -> dt.datetime:
    """Where the events a check-in looks at begin: local midnight `history_days` days ago."""
    tz = office_timezone()
    day = now.astimezone(tz).date() - dt.timedelta(days=checks.LIMITS.history_days)
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def _photo_matches(selfie: photos.Selfie | None) -> tuple[checks.PhotoMatch, ...]:
    if selfie is None:
        return ()
    bands = selfie.bands
    condition = Q()
    for i, band in enumerate(bands):
        condition |= Q(**{f"photo_band{i}__in": photos.band_neighbours(band)})
    rows = (CheckInEvent.objects.filter(condition).order_by("-server_time")
            .values_list("id", "employee_id", "photo_hash")[:checks.LIMITS.photo_candidates])
    return tuple(checks.PhotoMatch(pk, employee_id, photos.hamming(selfie.phash, phash))
                 for pk, employee_id, phash in rows if phash)


def _excuse_of(employee: Employee, day: dt.date, has_approved: bool) -> Any:
    """The approved absence that covers the day, if any. Almost nobody checking in is away: the check-in's
    read tells whether an approved request spans the date, and only then excused_days (request, unit,
    working-day rules) runs."""
    from simasn.leave.selectors import excused_days

    if not has_approved:
        return None
    return excused_days([employee.pk], day, day).get((employee.pk, day))


@dataclass(frozen=True)
class Prepared:
    """What a check-in knows before it decides anything: the schedule days (from the per-process tables), the
    day the event counts for, and the database's answers (capture_sql.checkin_reads, one statement)."""

    expectations: dict[dt.date, ExpectedDay]
    work_date: dt.date
    expected: ExpectedDay | None
    reads: capture_sql.CheckInReads

    @property
    def history(self) -> list[dict]:
        return self.reads.events


def prepare(*, employee: Employee, kind: str, now: dt.datetime, device_id: str = "",
            client_id: uuid.UUID | None = None) -> Prepared:
    from .selectors_capture import expectations_of

    local_date = timezone.localdate(now)
    # Three days: the day before yesterday decides whether yesterday morning's events belonged to a night shift.
    expectations = expectations_of(employee, local_date - dt.timedelta(days=2), local_date)
    work_date, expected = resolve_work_day(kind, now, expectations)
    limits = checks.LIMITS
    reads = capture_sql.checkin_reads(
        employee_id=employee.pk, since=history_since(now), limit=limits.history_events, client_id=client_id,
        day=work_date, arrival_limit=limits.arrival_days if kind == "in" else None,  # departures are not arrivals
        device_id=device_id, device_since=now - dt.timedelta(minutes=CHECKS.shared_device_window_minutes),
        device_until=now,
    )
    return Prepared(expectations, work_date, expected, reads)


@dataclass
class Gathered:
    ctx: checks.CheckContext
    work_date: dt.date
    expected: ExpectedDay | None
    expectations: dict[dt.date, ExpectedDay]
    excuse: Any
    history: list[dict]


def leave_of(excuse: Any) -> dict | None:
    """ON_LEAVE's evidence: the day's excuse when it is cuti or izin for the whole day, else None."""
    if excuse is None or excuse.kind not in LEAVE_KINDS or excuse.start_time is not None:
        return None
    return {"kind": excuse.kind, "leave_type": excuse.leave_type, "request_id": excuse.request_id}


def window_of(expected: ExpectedDay | None, kind: str) -> checks.Window | None:
    """The check-in or check-out window of the schedule day (None without a schedule)."""
    if expected is None:
        return None
    if kind == "in":
        return checks.Window(expected.checkin_open, expected.checkin_close)
    return checks.Window(expected.checkout_open, expected.checkout_close)


def gather(*, employee: Employee, kind: str, source: str, now: dt.datetime, client_time: dt.datetime | None,
           prepared: Prepared, sent_at: dt.datetime | None = None, position: checks.Position | None = None,
           mock: bool = False, device_id: str = "", selfie: photos.Selfie | None = None,
           proven_location_id: int | None = None) -> Gathered:
    work_date, expected, reads = prepared.work_date, prepared.expected, prepared.reads
    excuse = _excuse_of(employee, work_date, reads.on_leave)
    on_leave, window = leave_of(excuse), window_of(expected, kind)
    recent = tuple(checks.PriorEvent(r["id"], r["kind"], r["server_time"], r["latitude"], r["longitude"])
                   for r in reads.events if r["server_time"] <= now)
    tz = office_timezone()
    ctx = checks.CheckContext(
        kind=kind, source=source, server_time=now, client_time=client_time, sent_at=sent_at, position=position,
        mock_location=mock, places=places(employee, excuse), proven_location_id=proven_location_id,
        has_schedule=expected is not None, window=window, on_leave=on_leave, recent=recent, device_id=device_id,
        other_employees_on_device=reads.device_employees,
        photo_present=selfie is not None, faces=selfie.faces if selfie else 0,
        photo_matches=_photo_matches(selfie),
        arrival_minutes=reads.arrival_minutes(tz),
        local_minutes=local_minutes(now, tz),
    )
    return Gathered(ctx, work_date, expected, prepared.expectations, excuse, reads.events)
