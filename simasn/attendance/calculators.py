"""The `attendance-deduction` regulation calculator (DOMAIN §3; contract in issue 4)."""

from __future__ import annotations

from typing import Any

from simasn.core.calc import CalcInputError, Calculator, register

from .deductions import DayFacts, day_deduction, decimal_text, monthly_percent
from .rules_data import DEFAULT_SCHEME, LEGAL_SOURCE, MINUTE_BANDS, SCHEMES

MAX_DAYS = 31
MAX_MINUTES = 24 * 60
_DAY_KEYS = {"late_minutes", "early_minutes", "absent", "missing_in", "missing_out"}


def _minutes(day: dict[str, Any], key: str, index: int) -> int:
    value = day.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINUTES:
        raise CalcInputError(f"Hari ke-{index}: '{key}' harus bilangan bulat 0–{MAX_MINUTES}.")
    return value


def _flag(day: dict[str, Any], key: str, index: int) -> bool:
    value = day.get(key, False)
    if not isinstance(value, bool):
        raise CalcInputError(f"Hari ke-{index}: '{key}' harus true atau false.")
    return value


def _day(day: Any, index: int) -> DayFacts:
    if not isinstance(day, dict):
        raise CalcInputError(f"Hari ke-{index} harus berupa objek.")
    unknown = set(day) - _DAY_KEYS
    if unknown:
        raise CalcInputError(f"Hari ke-{index}: kolom tidak dikenal: {', '.join(sorted(unknown))}.")
    return DayFacts(
        late_minutes=_minutes(day, "late_minutes", index), early_minutes=_minutes(day, "early_minutes", index),
        missing_in=_flag(day, "missing_in", index), missing_out=_flag(day, "missing_out", index),
        absent=_flag(day, "absent", index),
    )


def compute(data: dict[str, Any]) -> dict[str, Any]:
    code = data.get("scheme", DEFAULT_SCHEME)
    scheme = SCHEMES.get(code) if isinstance(code, str) else None
    if scheme is None:
        raise CalcInputError(f"Kolom 'scheme' harus salah satu dari {', '.join(SCHEMES)}.")
    days = data.get("days")
    if not isinstance(days, list) or not 1 <= len(days) <= MAX_DAYS:
        raise CalcInputError(f"Kolom 'days' harus daftar berisi 1–{MAX_DAYS} hari kerja.")
    results = [day_deduction(_day(day, i), scheme) for i, day in enumerate(days, start=1)]
    return {
        "days": [{"codes": list(r.codes), "percent": decimal_text(r.percent)} for r in results],
        "total_percent": decimal_text(monthly_percent((r.percent for r in results), scheme)),
    }


def rule_table() -> tuple[list[str], list[list[str]]]:
    headers = ["Kode", "Menit", *(scheme.name for scheme in SCHEMES.values())]
    rows = []
    for band in MINUTE_BANDS:
        minutes = f"{band.low}–{band.high}" if band.high else f"> {band.low - 1}, atau tidak presensi"
        rows.append([f"TL{band.band} / PSW{band.band}", minutes,
                     *(f"{decimal_text(s.band_percent[band.band])}%" for s in SCHEMES.values())])
    rows.append(["TK", "sehari penuh", *(f"{decimal_text(s.absent_percent)}%" for s in SCHEMES.values())])
    return headers, rows


register(Calculator(
    name="attendance-deduction",
    title="Potongan TPP karena kehadiran",
    legal_source=LEGAL_SOURCE,
    description=(
        "Menentukan kode kehadiran setiap hari kerja (TL1–TL4 terlambat, PSW1–PSW4 pulang sebelum waktu, TK "
        "tanpa keterangan, H hadir) dan persentase potongan TPP menurut skema yang dipilih. Hari TK tidak "
        "dikenai potongan TL/PSW; potongan sebulan paling banyak 100%."
    ),
    example={"scheme": "A", "days": [{"late_minutes": 45, "early_minutes": 0}, {"absent": True},
                                     {"late_minutes": 0, "early_minutes": 0, "missing_out": True}]},
    compute=compute,
    rule_table=rule_table,
    tags=("presensi", "tpp"),
))
