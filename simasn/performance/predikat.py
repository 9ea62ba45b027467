"""Pure functions of the performance rules (DOMAIN §6): the predikat of one employee and whether a unit's
predikat counts fit the distribution curve of the unit's own predikat."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from .rules_data import PREDIKAT, PREDIKAT_MATRIX, RATINGS, UNIT_PREDIKAT, Bound, DistributionRule, rules_for


def predikat_for(hasil: str, perilaku: str) -> str:
    """The predikat code for a hasil kerja rating and a perilaku kerja rating."""
    for key, value in (("hasil", hasil), ("perilaku", perilaku)):
        if value not in RATINGS:
            raise ValueError(f"Penilaian {key} '{value}' tidak dikenal; pilih salah satu: {', '.join(RATINGS)}.")
    return PREDIKAT_MATRIX[(hasil, perilaku)]


def format_percent(share: Decimal) -> str:
    """A share (0..1) as an Indonesian percentage with at most one decimal: 0.7777… → "77,8%"."""
    pct = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{pct:f}".removesuffix(".0").replace(".", ",")
    return f"{text}%"


def categories_label(categories: tuple[str, ...]) -> str:
    return " + ".join(PREDIKAT[c] for c in categories)


def rule_text(rule: DistributionRule) -> str:
    """The rule as a sentence, for the calculator's rule table."""
    label = categories_label(rule.categories)
    if rule.bound is Bound.AT_LEAST_ONE:
        return f"Sekurang-kurangnya satu pegawai {' atau '.join(PREDIKAT[c] for c in rule.categories)}"
    if rule.bound is Bound.AT_MOST and rule.limit == 0:
        return f"Tidak ada pegawai {label}"
    word = "Paling banyak" if rule.bound is Bound.AT_MOST else "Paling sedikit"
    return f"{word} {format_percent(rule.limit)} pegawai {label}"


def _violation(rule: DistributionRule, count: int, total: int) -> str | None:
    unit = f"untuk unit berpredikat {UNIT_PREDIKAT[rule.unit_predikat]}"
    if rule.bound is Bound.AT_LEAST_ONE:
        if count >= 1:
            return None
        wanted = " atau ".join(PREDIKAT[c] for c in rule.categories)
        return f"Tidak ada pegawai berpredikat {wanted}; harus ada sekurang-kurangnya satu {unit}"
    share = Decimal(count) / Decimal(total)
    label, actual, limit = categories_label(rule.categories), format_percent(share), format_percent(rule.limit)
    if rule.bound is Bound.AT_MOST and share > rule.limit:
        return f"{label} {actual} melebihi batas {limit} {unit}"
    if rule.bound is Bound.AT_LEAST and share < rule.limit:
        return f"{label} {actual} kurang dari batas minimal {limit} {unit}"
    return None


def check_distribution(unit_predikat: str, counts: Mapping[str, int]) -> tuple[bool, list[str]]:
    """Whether the counts per employee predikat fit the curve of `unit_predikat`, and the limits broken.

    Shares are exact (Decimal) fractions of the total count, so "at most 70%" means count / total <= 0.70.
    Predikat codes missing from `counts` count as zero.
    """
    if unit_predikat not in UNIT_PREDIKAT:
        allowed = ", ".join(UNIT_PREDIKAT)
        raise ValueError(f"Predikat unit '{unit_predikat}' tidak dikenal; pilih salah satu: {allowed}.")
    unknown = sorted(set(counts) - set(PREDIKAT))
    if unknown:
        raise ValueError(f"Predikat pegawai tidak dikenal: {', '.join(unknown)}.")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in counts.values()):
        raise ValueError("Jumlah pegawai per predikat harus bilangan bulat 0 atau lebih.")
    total = sum(counts.values())
    if total <= 0:
        return False, ["Belum ada pegawai yang dinilai (jumlah 0); distribusi predikat tidak dapat diperiksa."]
    violations = [
        message
        for rule in rules_for(unit_predikat)
        if (message := _violation(rule, sum(counts.get(c, 0) for c in rule.categories), total)) is not None
    ]
    return not violations, violations
