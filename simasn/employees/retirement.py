"""Batas Usia Pensiun: the retirement date follows from birth date and jabatan (rules_data)."""

from __future__ import annotations

import datetime as dt

from .rules_data import retirement_age


def retirement_date(birth_date: dt.date, jabatan_type: str | None, jf_level: str | None) -> dt.date:
    """PNS retire at the end of the month they reach BUP; the pension TMT is the 1st of the next month."""
    age = retirement_age(jabatan_type, jf_level)
    year, month = birth_date.year + age, birth_date.month + 1
    if month == 13:
        year, month = year + 1, 1
    return dt.date(year, month, 1)
