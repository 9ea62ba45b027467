"""One employee's attendance on one date, derived from its sources (DOMAIN §3).

`derive_day` is a pure function of the expected working period (the schedule resolver's `ExpectedDay`,
None on a weekend or holiday), the approved excuse (cuti, izin, dinas luar, flexible work), the employee's
service status, the check-in events that belong to the date, and the moment of the computation. The bulk
loader (`recompute.py`) feeds it; the same function answers the API's "today" object, so the phone, the
calendar, the board and the recap can never disagree.

Rules, in order:
1. No working period (weekend, holiday, day off in a shift roster) → L, whatever else happened.
2. Tugas belajar → TB; CLTN → C (the employee is not at the desk by status, not by request).
3. An excuse whose kind/type maps to a code (EXCUSE_CODES) → that code: cuti → C, izin sakit → S,
   dinas luar → DL.
4. Flexible work: H when the employee checked in at the approved place (the event carries that request),
   else judged by the events like any working day.
5. Otherwise by the events that count: TK with neither check-in nor check-out, else TL/PSW bands of the
   minutes late (first in − start − grace) and early (end − last out), a missing check-in being TL4 and a
   missing check-out PSW4. An izin of a few hours moves the reference time it covers.
Only accepted events count. A flagged event waiting for review does not count until a person accepts it
(the day shows `has_pending_review`); a rejected one never counts.
Until the day is over (its check-out window closed) a missing check-out is not yet PSW4 and a day without
events has no status yet (""), so the live board and the phone show "belum presensi", not TK.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from .deductions import DayFacts, day_deduction, decimal_text
from .models import EventKind, EventStatus, ReviewStatus
from .rules_data import DEFAULT_SCHEME, SCHEMES, STATUS_LABELS, DeductionScheme

# Excuse (kind, leave type) → daily code; ("kind", "") is the default of the kind. Kinds without a row
# (izin keperluan penting, flexible work) are judged by the events.
EXCUSE_CODES: dict[tuple[str, str], str] = {
    ("cuti", ""): "C",
    ("izin", "sakit"): "S",
    ("dinas_luar", ""): "DL",
}
EMPLOYEE_STATUS_CODES: dict[str, str] = {"tugas_belajar": "TB", "cltn": "C"}
EXCUSED_CODES = frozenset({"C", "S", "DL", "TB"})  # away with a reason: no deduction, "cuti/DL" on the board
NOT_YET = ""  # an open working day without any counted event yet
STATUS_NOT_YET_LABEL = "Belum presensi"


@dataclass(frozen=True)
class EventFact:
    """What derivation needs of a CheckInEvent."""

    id: int
    kind: str
    server_time: dt.datetime
    status: str
    review_status: str
    excuse_request_id: int | None = None

    @property
    def counts(self) -> bool:
        if self.review_status == ReviewStatus.REJECTED:
            return False
        if self.review_status == ReviewStatus.ACCEPTED:
            return True
        return self.review_status == ReviewStatus.NOT_NEEDED and self.status == EventStatus.ACCEPTED

    @property
    def pending(self) -> bool:
        return self.review_status == ReviewStatus.PENDING or (
            self.review_status == ReviewStatus.NOT_NEEDED and self.status == EventStatus.FLAGGED)


EVENT_FACT_FIELDS = ("id", "kind", "server_time", "status", "review_status", "excuse_request_id")


@dataclass(frozen=True)
class DayResult:
    """The DailyRecord fields of one day (besides employee, date and computed_at)."""

    status: str
    codes: list[str] = field(default_factory=list)
    first_in: dt.datetime | None = None
    last_out: dt.datetime | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    worked_minutes: int = 0
    deduction_percent: Decimal = Decimal(0)
    late_band: int = 0
    early_band: int = 0
    schedule_name: str = ""
    excuse_request_id: int | None = None
    has_pending_review: bool = False
    is_closed: bool = False


RECORD_FIELDS = (
    "status", "codes", "first_in", "last_out", "late_minutes", "early_minutes", "worked_minutes",
    "deduction_percent", "late_band", "early_band", "schedule_name", "excuse_request_id", "has_pending_review",
    "is_closed",
)


def configured_scheme() -> DeductionScheme:
    """The pemda's deduction scheme (setting SIMASN_ATTENDANCE_SCHEME, Scheme A by default)."""
    return SCHEMES.get(getattr(settings, "SIMASN_ATTENDANCE_SCHEME", DEFAULT_SCHEME), SCHEMES[DEFAULT_SCHEME])


def whole_minutes(delta: dt.timedelta) -> int:
    """Whole minutes of a non-negative duration (07:30:59 is 0 minutes after 07:30), 0 for a negative one."""
    return max(0, int(delta.total_seconds() // 60))


def closes_at(day: dt.date, expected: Any, tz: dt.tzinfo) -> dt.datetime:
    """When the day's status is final: the check-out window's end, or midnight after a day off."""
    if expected is not None:
        return expected.checkout_close
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def _izin_reference(expected: Any, excuse: Any, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """(late after, expected end) with an izin of a few hours taken into account: an izin covering the start
    moves the start to its end; one running to the end of the day moves the end to its start."""
    late_after, end = expected.late_after, expected.end
    start_time = getattr(excuse, "start_time", None) if excuse is not None else None
    end_time = getattr(excuse, "end_time", None) if excuse is not None else None
    if start_time is None or end_time is None:
        return late_after, end
    izin_start = dt.datetime.combine(expected.date, start_time, tzinfo=tz)
    izin_end = dt.datetime.combine(expected.date, end_time, tzinfo=tz)
    if izin_start <= late_after < izin_end:
        late_after = izin_end
    if izin_start < end <= izin_end:
        end = izin_start
    return late_after, end


def _worked(first_in: dt.datetime | None, last_out: dt.datetime | None, break_minutes: int) -> int:
    if first_in is None or last_out is None or last_out <= first_in:
        return 0
    return max(0, whole_minutes(last_out - first_in) - break_minutes)


def _band(codes: Iterable[str], prefix: str) -> int:
    for code in codes:
        if code.startswith(prefix) and code[len(prefix):].isdigit():
            return int(code[len(prefix):])
    return 0


def main_status(codes: list[str]) -> str:
    """The record's main code: TK, else TL when late at all, else PSW, else H (or the excuse code)."""
    if not codes:
        return NOT_YET
    if any(c.startswith("TL") for c in codes):
        return "TL"
    if any(c.startswith("PSW") for c in codes):
        return "PSW"
    return codes[0]


def derive_day(*, day: dt.date, expected: Any, excuse: Any = None, employee_status: str = "aktif",
               events: Iterable[EventFact] = (), now: dt.datetime, scheme: DeductionScheme | None = None,
               tz: dt.tzinfo | None = None) -> DayResult:
    """The DailyRecord fields of one employee on one date (see the module docstring for the rules)."""
    tz = tz or timezone.get_default_timezone()
    scheme = scheme or configured_scheme()
    counted: list[EventFact] = []
    first_in = last_out = None
    pending = False
    # One pass over the events (this runs 10,000 × 22 times in a month's recompute).
    for e in events:
        if e.counts:
            counted.append(e)
            t = e.server_time
            if e.kind == EventKind.IN:
                if first_in is None or t < first_in:
                    first_in = t
            elif last_out is None or t > last_out:
                last_out = t
        elif not pending and e.pending:
            pending = True
    common: dict[str, Any] = {
        "first_in": first_in, "last_out": last_out,
        "worked_minutes": _worked(first_in, last_out, expected.break_minutes if expected is not None else 0),
        "schedule_name": expected.schedule_name if expected is not None else "",
        "excuse_request_id": excuse.request_id if excuse is not None and expected is not None else None,
        "has_pending_review": pending,
        "is_closed": now >= (expected.checkout_close if expected is not None else closes_at(day, None, tz)),
    }

    def fixed(code: str) -> DayResult:
        return DayResult(status=code, codes=[code], **common)

    if expected is None:
        return fixed("L")
    if employee_status in EMPLOYEE_STATUS_CODES:
        return fixed(EMPLOYEE_STATUS_CODES[employee_status])
    if excuse is not None:
        code = EXCUSE_CODES.get((excuse.kind, excuse.leave_type)) or EXCUSE_CODES.get((excuse.kind, ""))
        if code:
            return fixed(code)
        if excuse.kind == "fleksibel" and any(
            e.kind == EventKind.IN and e.excuse_request_id == excuse.request_id for e in counted
        ):
            return fixed("H")

    final = common["is_closed"]
    if first_in is None and last_out is None:
        codes = ["TK"] if final else []
        percent = day_deduction(DayFacts(absent=True), scheme).percent if final else Decimal(0)
        return DayResult(status=main_status(codes), codes=codes, deduction_percent=percent, **common)

    late_after, end = _izin_reference(expected, excuse, tz)
    facts = DayFacts(
        late_minutes=whole_minutes(first_in - late_after) if first_in else 0,
        early_minutes=whole_minutes(end - last_out) if last_out else 0,
        missing_in=first_in is None,
        # An open day's check-out may still come: no PSW4 before the window closes.
        missing_out=last_out is None and final,
    )
    deduction = day_deduction(facts, scheme)
    codes = list(deduction.codes)
    return DayResult(
        status=main_status(codes), codes=codes, late_minutes=facts.late_minutes, early_minutes=facts.early_minutes,
        deduction_percent=deduction.percent, late_band=_band(codes, "TL"), early_band=_band(codes, "PSW"),
        **common,
    )


# ── Which date an event belongs to ────────────────────────────────────────────────────────────────────


def _is_overnight(expected: Any) -> bool:
    return expected is not None and expected.checkout_close.astimezone(expected.start.tzinfo).date() > expected.date


def work_date_of(event: EventFact, expected_on: Mapping[dt.date, Any], tz: dt.tzinfo) -> dt.date:
    """The schedule date an event counts for. A night shift's check-out the next morning (and anything else
    before that shift's check-out window closes) belongs to the shift's start date, unless it is a check-in
    for a period that starts on the new date."""
    local = event.server_time.astimezone(tz)
    day = local.date()
    previous = expected_on.get(day - dt.timedelta(days=1))
    if _is_overnight(previous) and event.server_time <= previous.checkout_close:
        current = expected_on.get(day)
        if event.kind == EventKind.OUT or current is None or event.server_time < current.checkin_open:
            return previous.date
    return day


# ── Presentation ──────────────────────────────────────────────────────────────────────────────────────


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, STATUS_NOT_YET_LABEL if code == NOT_YET else code)


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def summary_dict(day: dt.date, result: DayResult, expected: Any) -> dict[str, Any]:
    """The API's "daily" object (also what the phone shows after a check-in)."""
    return {
        "date": day.isoformat(),
        "status": result.status,
        "status_label": status_label(result.status) if result.status not in ("TL", "PSW") else
        ", ".join(status_label(c) for c in result.codes),
        "codes": list(result.codes),
        "first_in": _iso(result.first_in),
        "last_out": _iso(result.last_out),
        "late_minutes": result.late_minutes,
        "early_minutes": result.early_minutes,
        "worked_minutes": result.worked_minutes,
        "deduction_percent": decimal_text(Decimal(result.deduction_percent)),
        "has_pending_review": result.has_pending_review,
        "is_closed": result.is_closed,
        "schedule": None if expected is None else {
            "name": expected.schedule_name,
            "shift_code": expected.shift_code,
            "start": _iso(expected.start),
            "end": _iso(expected.end),
            "checkin_open": _iso(expected.checkin_open),
            "checkin_close": _iso(expected.checkin_close),
            "checkout_open": _iso(expected.checkout_open),
            "checkout_close": _iso(expected.checkout_close),
            "grace_minutes": expected.grace_minutes,
        },
    }


def daily_summary(employee: Any, day: dt.date, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Today's (or any day's) record of one employee as the API returns it, computed fresh from the sources
    (a handful of queries, no writes: callers that changed a source call `recompute_days` to store it)."""
    from .recompute import compute_days

    computed = compute_days([employee.pk], day, day, now=now)
    result, expected = computed.get((employee.pk, day), (None, None))
    if result is None:
        result = DayResult(status="L", codes=["L"])
    return summary_dict(day, result, expected)
