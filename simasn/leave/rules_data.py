"""Cuti tahunan entitlement and carry-over as data (../shared/DOMAIN.md §7).

PNS — PP 11/2017 jo PP 17/2020, Pasal 310–315: 12 working days a year after 1 year of service; unused days
of a year carry over at most 6, so at most 18 the next year; untaken for 2 years or more in a row, at most 24
including the current year's. PPPK — PP 49/2018: 12 days; carry-over only if the contract provides it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnnualLeaveRule:
    employee_type: str
    annual_days: int  # the year's own entitlement
    max_carryover: int  # unused days of last year that may be added
    max_after_two_untaken_years: int  # the ceiling when the two previous years were not used at all
    legal_basis: str


ANNUAL_LEAVE_RULES: dict[str, AnnualLeaveRule] = {
    "PNS": AnnualLeaveRule("PNS", 12, 6, 24, "PP 11/2017 jo PP 17/2020 Pasal 310–315"),
    "PPPK": AnnualLeaveRule("PPPK", 12, 0, 12, "PP 49/2018 Pasal 71 (penangguhan menurut perjanjian kerja)"),
}
MAX_CONTRACT_CARRYOVER = 6  # a PPPK contract may not give more than a PNS gets
