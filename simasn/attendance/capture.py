"""Recording a check-in: from the phone (GPS, optional selfie) or from a kiosk QR scan.

The server's clock is the official time; what the phone said is stored beside it and compared. Each
check-in is idempotent by the client's UUID: a retry with the same body gets the stored answer (200), a
different body under the same UUID is a conflict (409). The unique constraint on `client_id` decides
races, so concurrent retries store exactly one event.

Cost: three statements whatever the history, hand-written (capture_sql, core.sql): the token with the user,
the employee and his unit; one read for his events of the last two days through (employee, server_time), for
a check-in (not a check-out) his arrival baseline (one row the nightly close stores, baselines.py) or, without
one, his latest recorded arrivals through (employee, date), approved leave of the day
and other employees on the same device in the last hour through (device_id, server_time); and the write of
the event with its day record (one statement on PostgreSQL, a two-statement transaction on SQLite). A selfie
adds the band lookup of earlier selfies. The schedule of the last three days and the office locations of his
unit line come from per-process tables of the whole city (selectors_capture, ≤ 60 s old).
Check-ins are not written to the audit chain: the event itself is the append-only evidence, and taking
the chain's head lock on every check-in would serialise the 07:30 burst. Review decisions are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES
from simasn.workcalendar.schedules import office_timezone

from . import capture_sql, checks, photos
from .baselines import forget_arrival_baselines
from .capture_context import Gathered, Prepared, gather, prepare
from .daily import DayResult
from .models import CheckInEvent, EventKind, EventSource, EventStatus, ReviewStatus
from .rules_data import CHECKS

logger = logging.getLogger(__name__)

EARLIEST_CLIENT_TIME = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


class CheckInInvalid(DomainError):
    status_code = 422


@dataclass(frozen=True)
class CheckInData:
    """A validated request (the API's strict schema has checked types and ranges)."""

    client_id: uuid.UUID
    kind: str
    client_time: dt.datetime
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    mock_location: bool = False
    photo: str | None = None  # base64 JPEG
    qr: str | None = None  # kiosk mode

    def body_hash(self, source: str) -> str:
        """What "the same body" means for a retry: the fields as parsed (whitespace and key order of the
        JSON do not matter; the photo by its digest)."""
        canonical = {
            "source": source, "client_id": str(self.client_id), "kind": self.kind,
            "client_time": self.client_time.astimezone(dt.UTC).isoformat(),
            "latitude": self.latitude, "longitude": self.longitude, "accuracy_m": self.accuracy_m,
            "mock_location": self.mock_location, "qr": self.qr,
            "photo": hashlib.sha256(self.photo.encode()).hexdigest() if self.photo else None,
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class CheckInResult:
    event: CheckInEvent
    created: bool
    employee: Employee
    daily: dict | None = None  # the day's record as stored with the event (None: read it afresh)


# --- who and when ----------------------------------------------------------------------------------------


def _preloaded_employee(user: Any) -> Employee | None | bool:
    """The employee the device-token query brought along (accounts.api_auth), None when it found none, False
    when it was not loaded."""
    descriptor = getattr(type(user), "employee", None)
    related = getattr(descriptor, "related", None)
    if related is None or not related.is_cached(user):
        return False
    employee = related.get_cached_value(user)
    if employee is not None and not Employee._meta.get_field("unit").is_cached(employee):
        return False
    return employee


def employee_for_user(user: Any) -> Employee:
    """The serving employee behind a login (device token or session); 403 for a login without one."""
    employee = _preloaded_employee(user)
    if employee is False:
        employee = Employee.objects.select_related("unit").filter(user_id=getattr(user, "pk", None)).first()
    if employee is None or employee.status in DEPARTED_STATUSES:
        raise Forbidden("Akun ini tidak terhubung dengan data pegawai aktif, sehingga tidak dapat melakukan presensi.")
    return employee


def check_client_time(client_time: dt.datetime, now: dt.datetime, sent_at: dt.datetime | None = None) -> None:
    """Refuse (422) a client time that cannot be a real capture: too far ahead of the server (or of the
    phone's own send time when it names it), before the offline queue's limit, or absurdly old."""
    if client_time.tzinfo is None or client_time.utcoffset() is None:
        raise CheckInInvalid("Waktu presensi harus memuat zona waktu (mis. +08:00).", code="client_time_no_offset",
                             field="client_time")
    limits = checks.LIMITS
    reference = sent_at if sent_at is not None else now
    if client_time > reference + dt.timedelta(seconds=limits.max_client_ahead_seconds):
        raise CheckInInvalid("Waktu presensi berada di masa depan; periksa jam ponsel.", code="client_time_future",
                             field="client_time")
    oldest = now - dt.timedelta(hours=CHECKS.max_offline_hours)
    if client_time < max(oldest, EARLIEST_CLIENT_TIME):
        raise CheckInInvalid(
            f"Waktu presensi terlalu lama (lebih dari {CHECKS.max_offline_hours} jam yang lalu); "
            "presensi luring sebesar itu tidak dapat diterima, ajukan koreksi presensi.",
            code="client_time_too_old", field="client_time",
        )


# --- recording -----------------------------------------------------------------------------------------------


def _replayed(prepared: Prepared, data: CheckInData, employee: Employee, body_hash: str) -> CheckInResult | None:
    """A retry found among the employee's latest events (saves a query on the common retry), answered with the
    day's record as stored with it: recomputing the day from its sources through the ORM cost a retry ~3x a
    new check-in, and phones retry most when the server is busiest."""
    for row in prepared.history:
        if row["same_client"]:
            if row["body_hash"] != body_hash:
                raise _conflict()
            event = CheckInEvent.objects.get(pk=row["id"])
            return CheckInResult(event, False, employee, _stored_daily(employee, event.work_date, prepared))
    return None


def _stored_daily(employee: Employee, day: dt.date, prepared: Prepared) -> dict | None:
    """The day's record as stored (the API's shape), None when there is none or its schedule day is not among
    those the check-in resolved (then the answer computes it afresh)."""
    from .daily import RECORD_FIELDS, summary_dict
    from .models import DailyRecord

    if day not in prepared.expectations and day != prepared.work_date:
        return None
    stored = DailyRecord.objects.filter(employee_id=employee.pk, date=day).values(*RECORD_FIELDS).first()
    if stored is None:
        return None
    return summary_dict(day, DayResult(**stored), prepared.expectations.get(day))


def _conflict() -> Conflict:
    return Conflict("client_id ini sudah dipakai untuk presensi dengan isi yang berbeda.", code="client_id_conflict")


def _existing(data: CheckInData, employee: Employee, body_hash: str) -> CheckInEvent:
    existing = CheckInEvent.objects.filter(client_id=data.client_id).first()
    if existing is None:  # the conflicting row vanished: cannot happen with append-only events
        raise _conflict()
    if existing.employee_id != employee.pk or existing.body_hash != body_hash:
        raise _conflict()
    return existing


def _store_photo(selfie: photos.Selfie, now: dt.datetime) -> str:
    local = timezone.localtime(now)
    return default_storage.save(f"selfies/{local:%Y/%m}/{uuid.uuid4().hex}.jpg", selfie.as_file("selfie.jpg"))


def _insert(event: CheckInEvent, data: CheckInData, employee: Employee, body_hash: str, gathered: Gathered,
            now: dt.datetime) -> CheckInResult:
    """The event and its day's record in one transaction. Everything is computed before it opens: on SQLite
    the transaction holds the database's only write lock, so it runs two statements and nothing else."""
    from .daily import summary_dict
    from .recompute import recompute_employee_day

    day = gathered.work_date
    result = _day_with(employee, gathered, event, now)
    try:
        if result is not None:
            capture_sql.insert_event_with_day(event, result, now)
        else:
            with transaction.atomic():
                capture_sql.insert_event(event)
                recompute_employee_day(employee, day, now=now)
    except IntegrityError:
        if event.photo:
            default_storage.delete(event.photo.name)
        return CheckInResult(_existing(data, employee, body_hash), False, employee)
    if result is not None and event.kind == EventKind.IN and day < timezone.localdate(now):
        # An arrival for an earlier day (a late one to last night's shift) changed that day's first arrival:
        # today's arrival baseline no longer holds it.
        forget_arrival_baselines([employee.pk], changed_from=day)
    daily = summary_dict(day, result, gathered.expected) if result is not None else None
    return CheckInResult(event, True, employee, daily)


def _day_with(employee: Employee, gathered: Gathered, event: CheckInEvent, now: dt.datetime) -> DayResult | None:
    """The day's record with this event, derived by daily.derive_day from what the checks already read: the
    schedule, the excuse and the employee's latest events. None when those latest events might not reach back
    to the start of the day (then the full recompute runs instead)."""
    from .daily import EventFact, configured_scheme, derive_day, work_date_of

    tz = office_timezone()
    day = gathered.work_date
    day_start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    history = gathered.history
    if len(history) >= checks.LIMITS.history_events and history[-1]["server_time"] >= day_start:
        return None
    # Only events near the day can belong to it (a night shift's check-out comes the next morning).
    earliest = day_start - dt.timedelta(days=1)
    facts = [EventFact(r["id"], r["kind"], r["server_time"], r["status"], r["review_status"], r["excuse_request_id"])
             for r in history if r["server_time"] >= earliest]
    facts.append(EventFact(0, event.kind, event.server_time, event.status, event.review_status,
                           event.excuse_request_id))
    day_events = sorted((f for f in facts if work_date_of(f, gathered.expectations, tz) == day),
                        key=lambda f: f.server_time)
    return derive_day(day=day, expected=gathered.expected, excuse=gathered.excuse, employee_status=employee.status,
                      events=day_events, now=now, scheme=configured_scheme(), tz=tz)


def _event(*, employee: Employee, data: CheckInData, source: str, now: dt.datetime, body_hash: str,
           gathered: Gathered, verdict: checks.Verdict, device_id: str) -> CheckInEvent:
    place = verdict.geofence.place if verdict.geofence else None
    return CheckInEvent(
        employee_id=employee.pk, kind=data.kind, source=source, server_time=now, client_time=data.client_time,
        work_date=gathered.work_date, client_id=data.client_id, body_hash=body_hash,
        latitude=data.latitude, longitude=data.longitude, accuracy_m=data.accuracy_m,
        mock_location=data.mock_location, device_id=device_id[:128],
        location_id=place.location_id if place else None,
        excuse_request_id=(place.request_id if place and place.request_id else None),
        location_name=(place.name if place else "")[:200],
        distance_m=verdict.geofence.distance_m if place else None,
        flags=verdict.flags, flag_details=verdict.details,
        status=EventStatus.FLAGGED if verdict.flags else EventStatus.ACCEPTED,
        review_status=ReviewStatus.PENDING if verdict.flags else ReviewStatus.NOT_NEEDED,
    )


def checkin_record(*, user: Any, data: CheckInData, device_id: str = "", sent_at: dt.datetime | None = None,
                   now: dt.datetime | None = None) -> CheckInResult:
    """A phone check-in (GPS, optional selfie), checked and stored; idempotent by `data.client_id`."""
    now = now or timezone.now()
    employee = employee_for_user(user)
    if data.latitude is None or data.longitude is None or data.accuracy_m is None:
        raise CheckInInvalid("Posisi (lintang, bujur, akurasi) wajib dikirim.", code="position_required")
    check_client_time(data.client_time, now, sent_at)
    body_hash = data.body_hash(EventSource.MOBILE)
    prepared = prepare(employee=employee, kind=data.kind, now=now, device_id=device_id, client_id=data.client_id)
    replay = _replayed(prepared, data, employee, body_hash)
    if replay is not None:
        return replay
    selfie = photos.load_selfie(photos.decode_base64(data.photo)) if data.photo is not None else None
    gathered = gather(
        employee=employee, kind=data.kind, source=EventSource.MOBILE, now=now, client_time=data.client_time,
        prepared=prepared, sent_at=sent_at, position=checks.Position(data.latitude, data.longitude, data.accuracy_m),
        mock=data.mock_location, device_id=device_id, selfie=selfie,
    )
    verdict = checks.run_checks(gathered.ctx)
    event = _event(employee=employee, data=data, source=EventSource.MOBILE, now=now, body_hash=body_hash,
                   gathered=gathered, verdict=verdict, device_id=device_id)
    if selfie is not None:
        event.photo = _store_photo(selfie, now)
        event.photo_hash = selfie.phash
        for i, band in enumerate(selfie.bands):
            setattr(event, f"photo_band{i}", band)
    return _insert(event, data, employee, body_hash, gathered, now)


def kiosk_checkin_record(*, user: Any, data: CheckInData, device_id: str = "", sent_at: dt.datetime | None = None,
                         now: dt.datetime | None = None) -> CheckInResult:
    """A check-in by scanning a kiosk's rotating QR code: presence at the kiosk's office, no GPS."""
    from .kiosk import kiosk_from_token

    now = now or timezone.now()
    employee = employee_for_user(user)
    check_client_time(data.client_time, now, sent_at)
    body_hash = data.body_hash(EventSource.KIOSK)
    prepared = prepare(employee=employee, kind=data.kind, now=now, device_id=device_id, client_id=data.client_id)
    replay = _replayed(prepared, data, employee, body_hash)
    if replay is not None:
        return replay
    kiosk = kiosk_from_token(data.qr or "", user_id=getattr(user, "pk", None), now=now)
    location = kiosk.location
    gathered = gather(employee=employee, kind=data.kind, source=EventSource.KIOSK, now=now,
                      client_time=data.client_time, prepared=prepared, sent_at=sent_at, device_id=device_id,
                      proven_location_id=location.pk)
    verdict = checks.run_checks(gathered.ctx)
    event = _event(employee=employee, data=data, source=EventSource.KIOSK, now=now, body_hash=body_hash,
                   gathered=gathered, verdict=verdict, device_id=device_id)
    # Presence was proven at the kiosk: its office is where the event happened, allowed or not.
    event.latitude, event.longitude = location.latitude, location.longitude
    event.location_id, event.location_name = location.pk, location.name[:200]
    event.distance_m = 0.0
    return _insert(event, data, employee, body_hash, gathered, now)


# --- the answer ---------------------------------------------------------------------------------------------


def location_answer(event: CheckInEvent) -> dict | None:
    if not event.location_id and not event.excuse_request_id:
        return None
    return {"id": event.location_id, "name": event.location_name, "distance_m": event.distance_m}


def daily_answer(employee: Employee, day: dt.date) -> dict:
    """The day's record as the API shows it, computed afresh (daily.daily_summary)."""
    from .daily import daily_summary

    return daily_summary(employee, day)


def checkin_answer(result: CheckInResult) -> dict:
    event = result.event
    return {
        "id": event.pk,
        "status": event.status,
        "flags": list(event.flags),
        "flag_labels": checks.flag_labels(list(event.flags)),
        "server_time": timezone.localtime(event.server_time),
        "location": location_answer(event),
        "daily": result.daily if result.daily is not None else daily_answer(result.employee, event.work_date),
    }
