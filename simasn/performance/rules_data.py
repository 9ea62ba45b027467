"""Performance rules of PermenPANRB 6/2022 as data (../shared/DOMAIN.md §6): ratings, predikat matrix and
the distribution curve of employee predikat per unit predikat. PNS and PPPK alike.

Legal references marked "(verify)" still need checking against the published Lampiran.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

_REGULATION = "PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN"
MATRIX_SOURCE = f"{_REGULATION}, Lampiran: kuadran predikat kinerja pegawai (verify)"
DISTRIBUTION_SOURCE = f"{_REGULATION}, Lampiran: pola distribusi predikat kinerja pegawai (verify)"

# Rating of hasil kerja and of perilaku kerja against the ekspektasi.
RATINGS: dict[str, str] = {
    "di_atas": "Di Atas Ekspektasi",
    "sesuai": "Sesuai Ekspektasi",
    "di_bawah": "Di Bawah Ekspektasi",
}

# Predikat kinerja pegawai, best first.
PREDIKAT: dict[str, str] = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# Predikat kinerja organisasi (the unit's own predikat), which selects the distribution curve.
UNIT_PREDIKAT: dict[str, str] = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# (hasil, perilaku) -> predikat. Good results with perilaku below expectation are "Kurang (misconduct)":
# behaviour cannot be bought with output.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}


class Bound(StrEnum):
    AT_MOST = "at_most"  # share of the categories <= limit
    AT_LEAST = "at_least"  # share of the categories >= limit
    AT_LEAST_ONE = "at_least_one"  # at least one employee in the categories


@dataclass(frozen=True)
class DistributionRule:
    unit_predikat: str
    bound: Bound
    categories: tuple[str, ...]  # employee predikat counted together
    limit: Decimal | None  # share of the unit's total count; None for AT_LEAST_ONE
    legal_source: str = DISTRIBUTION_SOURCE


def _rule(unit: str, bound: Bound, categories: tuple[str, ...], limit: str | None = None) -> DistributionRule:
    return DistributionRule(unit, bound, categories, Decimal(limit) if limit is not None else None)


DISTRIBUTION_RULES: tuple[DistributionRule, ...] = (
    _rule("istimewa", Bound.AT_MOST, ("sangat_baik",), "0.70"),
    _rule("baik", Bound.AT_MOST, ("baik",), "0.70"),
    _rule("baik", Bound.AT_LEAST_ONE, ("butuh_perbaikan", "kurang")),
    _rule("butuh_perbaikan", Bound.AT_LEAST, ("butuh_perbaikan",), "0.60"),
    _rule("butuh_perbaikan", Bound.AT_MOST, ("sangat_baik",), "0.10"),
    _rule("kurang", Bound.AT_LEAST, ("kurang",), "0.60"),
    _rule("kurang", Bound.AT_LEAST, ("butuh_perbaikan",), "0.10"),
    _rule("kurang", Bound.AT_MOST, ("sangat_baik",), "0.10"),
    _rule("sangat_kurang", Bound.AT_LEAST, ("sangat_kurang",), "0.60"),
    _rule("sangat_kurang", Bound.AT_LEAST, ("kurang", "butuh_perbaikan"), "0.10"),
    _rule("sangat_kurang", Bound.AT_MOST, ("sangat_baik",), "0"),
)


def rules_for(unit_predikat: str) -> tuple[DistributionRule, ...]:
    return tuple(r for r in DISTRIBUTION_RULES if r.unit_predikat == unit_predikat)
