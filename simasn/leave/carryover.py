"""Cuti tahunan entitlement of a year from the days used in earlier years (pure; the ledger uses it too).

Carried-over days are spent before the year's own days (the rule BKN applies), so what a year passes on is
the unused part of its own 12 days, at most `max_carryover`. Two whole earlier years without any cuti tahunan
lift the ceiling to `max_after_two_untaken_years`. A year missing from the history passes nothing on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .rules_data import AnnualLeaveRule


class UsageExceedsEntitlement(ValueError):
    def __init__(self, year: int, used: int, entitlement: int) -> None:
        super().__init__(
            f"Cuti tahunan yang digunakan pada tahun {year} ({used} hari) melebihi hak tahun itu ({entitlement} hari)."
        )


@dataclass(frozen=True)
class Entitlement:
    year: int
    days: int
    carried_over: int


def annual_entitlement(rule: AnnualLeaveRule, year: int, used_by_year: Mapping[int, int]) -> Entitlement:
    entitlement = Entitlement(year=min(used_by_year, default=year), days=rule.annual_days, carried_over=0)
    for y in range(entitlement.year, year):
        if y not in used_by_year:
            entitlement = Entitlement(y + 1, rule.annual_days, 0)
            continue
        used = used_by_year[y]
        if used > entitlement.days:
            raise UsageExceedsEntitlement(y, used, entitlement.days)
        own_unused = rule.annual_days - max(0, used - entitlement.carried_over)
        carried = min(rule.max_carryover, own_unused)
        days = rule.annual_days + carried
        if used_by_year.get(y) == 0 and used_by_year.get(y - 1) == 0:
            days = max(days, rule.max_after_two_untaken_years)
        entitlement = Entitlement(y + 1, days, days - rule.annual_days)
    return Entitlement(year, entitlement.days, entitlement.carried_over)
