"""Assessment periods of an SKP year as dates: pure functions over `rules_data` (no database).

Period n of a monthly SKP is month n; of a quarterly SKP, months 3n-2..3n; period 0 is the whole year
(the annual assessment). A period "has ended" from its last day on: the atasan may rate on the last working
day of the month, and the annual rating may be given on 31 December.
"""

from __future__ import annotations

import calendar
import datetime as dt

from . import rules_data as R


def check_period(kind: str, period: int, *, allow_annual: bool = True) -> None:
    if kind not in R.PERIODS_PER_YEAR:
        raise ValueError(f"Jenis periode '{kind}' tidak dikenal.")
    if period == R.ANNUAL_PERIOD and allow_annual:
        return
    if not 1 <= period <= R.PERIODS_PER_YEAR[kind]:
        raise ValueError(f"Periode harus 1 sampai {R.PERIODS_PER_YEAR[kind]}.")


def period_bounds(year: int, kind: str, period: int) -> tuple[dt.date, dt.date]:
    """First and last day of a period (period 0: the whole year)."""
    check_period(kind, period)
    if period == R.ANNUAL_PERIOD:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    months = R.MONTHS_PER_PERIOD[kind]
    first_month = (period - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_has_started(year: int, kind: str, period: int, today: dt.date) -> bool:
    return today >= period_bounds(year, kind, period)[0]


def period_has_ended(year: int, kind: str, period: int, today: dt.date) -> bool:
    return today >= period_bounds(year, kind, period)[1]


def period_of(day: dt.date, kind: str) -> int:
    """The period number a date falls in."""
    return (day.month - 1) // R.MONTHS_PER_PERIOD[kind] + 1


def due_date(year: int, kind: str, period: int) -> dt.date:
    """The day after which a non-final assessment of the period counts as late."""
    end = period_bounds(year, kind, period)[1]
    key = "annual" if period == R.ANNUAL_PERIOD else kind
    return end + dt.timedelta(days=R.ASSESSMENT_DUE_DAYS[key].days)


def overdue_periods(year: int, kind: str, today: dt.date) -> list[int]:
    """The periodic periods (not the annual one) whose due date has passed by `today`."""
    return [p for p in range(1, R.PERIODS_PER_YEAR[kind] + 1) if due_date(year, kind, p) < today]


def annual_overdue(year: int, today: dt.date) -> bool:
    return due_date(year, R.DEFAULT_PERIOD_KIND, R.ANNUAL_PERIOD) < today


def period_label(kind: str, period: int) -> str:
    """"Januari", "Triwulan II", "Tahunan"."""
    if period == R.ANNUAL_PERIOD:
        return "Tahunan"
    if kind == "quarterly":
        return f"Triwulan {('I', 'II', 'III', 'IV')[period - 1]}"
    return MONTH_NAMES[period - 1]


MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")
