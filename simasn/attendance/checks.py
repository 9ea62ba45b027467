"""The checks every check-in goes through (issue 4), each a small pure function of a `CheckContext`.

A check answers None (nothing to report) or a dict with the measured values behind its flag, which is
stored on the event (`flag_details`) so a reviewer sees *why*: "1.2 km from Kantor Dinas X", "speed
840 km/h since the previous check-in". The context is gathered by `capture.py` with a handful of
indexed queries; nothing here touches the database, so each rule is tested with one fixture that
triggers it and one that must not (tests/test_checks.py).

Fail closed: a check that lacks what it needs to clear an event flags it (no allowed location → outside
the geofence; no GPS → outside the geofence). No flag changes pay by itself: a flagged event waits for a
person to accept or reject it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simasn.org import geo

from .rules_data import CHECKS, FLAG_LABELS, CheckThresholds


@dataclass(frozen=True)
class CaptureLimits:
    """Limits of the capture that are not flags (candidates for rules_data.CheckThresholds)."""

    # A phone clock slightly ahead is normal; further ahead the client time is refused (422).
    max_client_ahead_seconds: int = 600
    # ARRIVAL_OUTLIER: a very regular employee has a median absolute deviation near 0; without a floor a
    # one-minute deviation would be "infinitely" unusual.
    outlier_min_mad_minutes: float = 10.0
    # The checks look at the employee's events of the last `history_days` days (duplicates, travel, the day's
    # record, a retry), at most `history_events` of them. Two days reach a night shift's start and are more
    # than any trip in Indonesia needs at max_speed_kmh, so IMPOSSIBLE_TRAVEL misses nothing older.
    history_days: int = 2
    history_events: int = 40
    # ARRIVAL_OUTLIER's baseline: the first arrival of the latest `arrival_days` days with one (about a month
    # of working days), as the daily records keep it (needs outlier_min_history of them).
    arrival_days: int = 20
    # PHOTO_REUSE looks at no more than this many band-matching earlier selfies (the newest first).
    photo_candidates: int = 200


LIMITS = CaptureLimits()


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    accuracy_m: float


@dataclass(frozen=True)
class Place:
    """A geofence the employee may check in at today."""

    kind: str  # "office", "dinas_luar", "fleksibel"
    name: str
    latitude: float
    longitude: float
    radius_m: int
    polygon: list | None = None
    location_id: int | None = None  # an org.OfficeLocation
    request_id: int | None = None  # a leave.AbsenceRequest (dinas luar / flexible work)


@dataclass(frozen=True)
class PriorEvent:
    id: int
    kind: str
    server_time: dt.datetime
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PhotoMatch:
    event_id: int
    employee_id: int
    distance: int


@dataclass(frozen=True)
class Window:
    opens: dt.datetime
    closes: dt.datetime


@dataclass(frozen=True)
class CheckContext:
    kind: str  # "in" / "out"
    source: str  # models.EventSource
    server_time: dt.datetime
    client_time: dt.datetime | None = None
    sent_at: dt.datetime | None = None  # the client's clock when it sent the request (X-Client-Sent-At)
    position: Position | None = None
    mock_location: bool = False
    places: tuple[Place, ...] = ()
    # A kiosk or fingerprint machine proves presence at this office location; no GPS involved.
    proven_location_id: int | None = None
    has_schedule: bool = True
    window: Window | None = None  # the check-in or check-out window of today's schedule
    on_leave: dict | None = None  # the excuse (kind, leave type, request id) when it is cuti/izin
    recent: tuple[PriorEvent, ...] = ()  # the employee's latest events, newest first
    device_id: str = ""
    other_employees_on_device: tuple[int, ...] = ()
    photo_present: bool = False
    faces: int = 0
    photo_matches: tuple[PhotoMatch, ...] = ()
    arrival_minutes: tuple[float, ...] = ()  # earlier first arrivals, minutes after local midnight
    local_minutes: float = 0.0  # this event's local time, minutes after midnight
    limits: CheckThresholds = CHECKS
    capture: CaptureLimits = LIMITS


@dataclass(frozen=True)
class GeofenceResult:
    place: Place | None  # where it counted (inside), else None
    nearest: Place | None
    distance_m: float | None  # to the matched place, else to the nearest one


def match_place(ctx: CheckContext) -> GeofenceResult:
    """The allowed place the event counts at. A kiosk/device proves its office directly; a phone's
    position must fall inside a place's geofence (circle, and polygon when the place has one)."""
    if ctx.proven_location_id is not None:
        for place in ctx.places:
            if place.location_id == ctx.proven_location_id:
                return GeofenceResult(place, place, 0.0)
        return GeofenceResult(None, None, None)
    if ctx.position is None or not ctx.places:
        return GeofenceResult(None, None, None)
    lat, lng = ctx.position.latitude, ctx.position.longitude
    measured = sorted(((geo.haversine_m(p.latitude, p.longitude, lat, lng), i, p) for i, p in enumerate(ctx.places)),
                      key=lambda t: (t[0], t[1]))
    for distance, _i, place in measured:
        if geo.contains(place, lat, lng):
            return GeofenceResult(place, place, round(distance, 1))
    distance, _i, nearest = measured[0]
    return GeofenceResult(None, nearest, round(distance, 1))


def _minutes(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


# --- the rules -----------------------------------------------------------------------------------------


def outside_geofence(ctx: CheckContext) -> dict | None:
    result = match_place(ctx)
    if result.place is not None:
        return None
    if not ctx.places:
        return {"reason": "no_allowed_location"}
    if ctx.proven_location_id is not None:
        return {"reason": "location_not_allowed", "location_id": ctx.proven_location_id}
    if ctx.position is None:
        return {"reason": "no_position"}
    return {"nearest": result.nearest.name if result.nearest else "", "distance_m": result.distance_m,
            "radius_m": result.nearest.radius_m if result.nearest else None}


def low_accuracy(ctx: CheckContext) -> dict | None:
    if ctx.position is None or ctx.position.accuracy_m <= ctx.limits.max_accuracy_m:
        return None
    return {"accuracy_m": round(ctx.position.accuracy_m, 1), "max_m": ctx.limits.max_accuracy_m}


def mock_location(ctx: CheckContext) -> dict | None:
    return {"reported_by": "device"} if ctx.mock_location else None


def impossible_travel(ctx: CheckContext) -> dict | None:
    if ctx.position is None:
        return None
    previous = next((e for e in ctx.recent if e.latitude is not None and e.longitude is not None), None)
    if previous is None:
        return None
    distance_m = geo.haversine_m(previous.latitude, previous.longitude, ctx.position.latitude,
                                 ctx.position.longitude)
    # Two fixes a few metres apart are GPS noise whatever the time between them.
    if distance_m <= max(ctx.position.accuracy_m, 100.0):
        return None
    seconds = max((ctx.server_time - previous.server_time).total_seconds(), 1.0)
    speed_kmh = distance_m / seconds * 3.6
    if speed_kmh <= ctx.limits.max_speed_kmh:
        return None
    return {"speed_kmh": round(speed_kmh), "distance_m": round(distance_m), "seconds": round(seconds),
            "previous_event_id": previous.id}


def shared_device(ctx: CheckContext) -> dict | None:
    if not ctx.device_id or not ctx.other_employees_on_device:
        return None
    return {"device_id": ctx.device_id[:64], "other_employee_ids": list(ctx.other_employees_on_device),
            "window_minutes": ctx.limits.shared_device_window_minutes}


def photo_reuse(ctx: CheckContext) -> dict | None:
    close = [m for m in ctx.photo_matches if m.distance <= ctx.limits.photo_hash_max_distance]
    if not ctx.photo_present or not close:
        return None
    best = min(close, key=lambda m: (m.distance, -m.event_id))
    return {"event_id": best.event_id, "employee_id": best.employee_id, "distance": best.distance,
            "matches": len(close)}


def no_face(ctx: CheckContext) -> dict | None:
    if not ctx.photo_present or ctx.faces > 0:
        return None
    return {"faces": 0}


def _clock(ctx: CheckContext) -> tuple[float | None, float | None]:
    """(skew seconds, sync delay seconds). With the client's send time the skew is measured directly and
    the capture time corrected by it; without it, a client time ahead of the server can only be skew, and
    one behind it is counted as delay (an offline queue is normal, a phone clock minutes slow is not
    distinguishable from it)."""
    if ctx.client_time is None:
        return None, None
    if ctx.sent_at is not None:
        skew = (ctx.sent_at - ctx.server_time).total_seconds()
        captured = ctx.client_time - dt.timedelta(seconds=skew)
        return skew, (ctx.server_time - captured).total_seconds()
    behind = (ctx.server_time - ctx.client_time).total_seconds()
    return (-behind if behind < 0 else None), max(behind, 0.0)


def clock_skew(ctx: CheckContext) -> dict | None:
    skew, _delay = _clock(ctx)
    if skew is None or abs(skew) <= ctx.limits.max_clock_skew_seconds:
        return None
    return {"skew_seconds": round(skew), "max_seconds": ctx.limits.max_clock_skew_seconds}


def late_sync(ctx: CheckContext) -> dict | None:
    _skew, delay = _clock(ctx)
    if delay is None or delay <= ctx.limits.max_sync_delay_minutes * 60:
        return None
    return {"delay_minutes": round(delay / 60, 1), "max_minutes": ctx.limits.max_sync_delay_minutes}


def outside_window(ctx: CheckContext) -> dict | None:
    if not ctx.has_schedule or ctx.window is None:
        return {"reason": "no_schedule"}
    moment = ctx.server_time
    if ctx.window.opens <= moment <= ctx.window.closes:
        return None
    early = moment < ctx.window.opens
    return {"opens": ctx.window.opens.isoformat(), "closes": ctx.window.closes.isoformat(),
            "minutes": _minutes(ctx.window.opens - moment if early else moment - ctx.window.closes),
            "side": "before" if early else "after"}


def on_leave(ctx: CheckContext) -> dict | None:
    return dict(ctx.on_leave) if ctx.on_leave else None


def duplicate(ctx: CheckContext) -> dict | None:
    window = dt.timedelta(minutes=ctx.limits.duplicate_window_minutes)
    for event in ctx.recent:
        if ctx.server_time - event.server_time > window:
            break
        if event.kind == ctx.kind:
            return {"previous_event_id": event.id, "minutes": _minutes(ctx.server_time - event.server_time)}
    return None


def arrival_outlier(ctx: CheckContext) -> dict | None:
    history = ctx.arrival_minutes
    if ctx.kind != "in" or len(history) < ctx.limits.outlier_min_history:
        return None
    median = statistics.median(history)
    mad = max(statistics.median(abs(x - median) for x in history), ctx.capture.outlier_min_mad_minutes)
    # 0.6745 makes the MAD comparable to a standard deviation for normally distributed arrivals.
    z = 0.6745 * (ctx.local_minutes - median) / mad
    if abs(z) <= ctx.limits.outlier_z:
        return None
    return {"z": round(z, 1), "median_minutes": round(median, 1), "minutes": round(ctx.local_minutes, 1),
            "history": len(history)}


Check = Callable[[CheckContext], "dict | None"]

# Order is the order flags are listed in; every code of FLAG_LABELS has exactly one rule.
RULES: tuple[tuple[str, Check], ...] = (
    ("OUTSIDE_GEOFENCE", outside_geofence),
    ("LOW_ACCURACY", low_accuracy),
    ("MOCK_LOCATION", mock_location),
    ("IMPOSSIBLE_TRAVEL", impossible_travel),
    ("SHARED_DEVICE", shared_device),
    ("PHOTO_REUSE", photo_reuse),
    ("NO_FACE", no_face),
    ("CLOCK_SKEW", clock_skew),
    ("LATE_SYNC", late_sync),
    ("OUTSIDE_WINDOW", outside_window),
    ("ON_LEAVE", on_leave),
    ("DUPLICATE", duplicate),
    ("ARRIVAL_OUTLIER", arrival_outlier),
)


@dataclass
class Verdict:
    flags: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    geofence: GeofenceResult | None = None

    @property
    def status(self) -> str:
        return "flagged" if self.flags else "accepted"


def run_checks(ctx: CheckContext, *, only: frozenset[str] | None = None) -> Verdict:
    """Every rule (or those named in `only`), in the order of RULES."""
    verdict = Verdict(geofence=match_place(ctx))
    for code, rule in RULES:
        if only is not None and code not in only:
            continue
        found = rule(ctx)
        if found is not None:
            verdict.flags.append(code)
            verdict.details[code] = found
    return verdict


def flag_labels(codes: list[str]) -> list[str]:
    return [FLAG_LABELS.get(code, code) for code in codes]
