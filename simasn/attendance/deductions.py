"""Daily attendance codes and the TPP deduction they carry (pure functions over rules_data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .rules_data import MINUTE_BANDS, MISSING_EVENT_BAND, SCHEMES, DeductionScheme


@dataclass(frozen=True)
class DayFacts:
    """What happened on one working day, in minutes after the grace period."""

    late_minutes: int = 0
    early_minutes: int = 0
    missing_in: bool = False
    missing_out: bool = False
    absent: bool = False  # no attendance and no excuse: TK


@dataclass(frozen=True)
class DayDeduction:
    codes: tuple[str, ...]
    percent: Decimal


def minute_band(minutes: int) -> int | None:
    """The band (1–4) of a number of minutes late or early; None for 0 (on time)."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    for band in MINUTE_BANDS:
        if minutes >= band.low and (band.high is None or minutes <= band.high):
            return band.band
    return None


def day_codes(day: DayFacts) -> tuple[str, ...]:
    """The status codes of a working day: TK alone, else TL and/or PSW, else H. A day with neither a
    check-in nor a check-out is TK: there is no attendance to be late for."""
    if day.absent or (day.missing_in and day.missing_out):
        return ("TK",)
    codes = []
    late = MISSING_EVENT_BAND if day.missing_in else minute_band(day.late_minutes)
    early = MISSING_EVENT_BAND if day.missing_out else minute_band(day.early_minutes)
    if late:
        codes.append(f"TL{late}")
    if early:
        codes.append(f"PSW{early}")
    return tuple(codes) or ("H",)


def code_percent(code: str, scheme: DeductionScheme) -> Decimal:
    if code == "TK":
        return scheme.absent_percent
    if code.startswith("TL") or code.startswith("PSW"):
        return scheme.band_percent[int(code[-1])]
    return Decimal(0)


def day_deduction(day: DayFacts, scheme: DeductionScheme | None = None) -> DayDeduction:
    scheme = scheme or SCHEMES["A"]
    codes = day_codes(day)
    return DayDeduction(codes, sum((code_percent(c, scheme) for c in codes), Decimal(0)))


def monthly_percent(percents: Iterable[Decimal], scheme: DeductionScheme) -> Decimal:
    """The month's deduction: the sum of the days', capped at the scheme's ceiling."""
    return min(sum(percents, Decimal(0)), scheme.monthly_cap)


def codes_percent(codes: Iterable[str], scheme: DeductionScheme) -> Decimal:
    """The uncapped deduction of a list of daily codes (the DOMAIN §3 worked example)."""
    return sum((code_percent(c, scheme) for c in codes), Decimal(0))


def decimal_text(value: Decimal) -> str:
    """'1.50' → '1.5', '3.00' → '3': the calculator contract's decimal strings."""
    return format(value.normalize(), "f")
