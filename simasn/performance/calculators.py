"""The `skp-predikat` and `skp-distribution` regulation calculators (PermenPANRB 6/2022, DOMAIN §6)."""

from __future__ import annotations

from typing import Any

from simasn.core.calc import CalcInputError, Calculator, register, require

from .predikat import check_distribution, predikat_for, rule_text
from .rules_data import (
    DISTRIBUTION_RULES,
    DISTRIBUTION_SOURCE,
    MATRIX_SOURCE,
    PREDIKAT,
    PREDIKAT_MATRIX,
    RATINGS,
    UNIT_PREDIKAT,
)


def _choice(data: dict[str, Any], key: str, allowed: dict[str, str]) -> str:
    value = require(data, key, str)
    if value not in allowed:
        raise CalcInputError(f"Kolom '{key}' harus salah satu dari: {', '.join(allowed)}.")
    return value


def compute_predikat(data: dict[str, Any]) -> dict[str, Any]:
    hasil = _choice(data, "hasil", RATINGS)
    perilaku = _choice(data, "perilaku", RATINGS)
    return {"predikat": predikat_for(hasil, perilaku)}


def predikat_table() -> tuple[list[str], list[list[str]]]:
    order = ("di_bawah", "sesuai", "di_atas")
    headers = ["Hasil kerja \\ Perilaku kerja", *(f"Perilaku {RATINGS[p]}" for p in order)]
    rows = [[f"Hasil {RATINGS[h]}", *(PREDIKAT[PREDIKAT_MATRIX[(h, p)]] for p in order)] for h in reversed(order)]
    return headers, rows


def _counts(data: dict[str, Any]) -> dict[str, int]:
    raw = require(data, "counts", dict)
    unknown = sorted(set(raw) - set(PREDIKAT))
    if unknown:
        raise CalcInputError(f"Kolom 'counts' memuat predikat tidak dikenal: {', '.join(unknown)}; "
                             f"yang dikenal: {', '.join(PREDIKAT)}.")
    missing = [code for code in PREDIKAT if code not in raw]
    if missing:
        raise CalcInputError(f"Kolom 'counts' wajib memuat jumlah untuk: {', '.join(missing)}.")
    for code, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CalcInputError(f"Jumlah pegawai '{code}' pada 'counts' harus bilangan bulat 0 atau lebih.")
    return raw


def compute_distribution(data: dict[str, Any]) -> dict[str, Any]:
    unit_predikat = _choice(data, "unit_predikat", UNIT_PREDIKAT)
    fits, violations = check_distribution(unit_predikat, _counts(data))
    return {"fits": fits, "violations": violations}


def distribution_table() -> tuple[list[str], list[list[str]]]:
    headers = ["Predikat unit", "Ketentuan distribusi predikat pegawai", "Dasar hukum"]
    rows = [[UNIT_PREDIKAT[r.unit_predikat], rule_text(r), r.legal_source] for r in DISTRIBUTION_RULES]
    return headers, rows


register(Calculator(
    name="skp-predikat",
    title="Predikat kinerja pegawai (SKP)",
    legal_source=MATRIX_SOURCE,
    description="Predikat kinerja dari penilaian hasil kerja dan perilaku kerja (masing-masing di_atas, "
                "sesuai, atau di_bawah ekspektasi). Perilaku di bawah ekspektasi dengan hasil sesuai atau "
                "di atas ekspektasi berpredikat Kurang (misconduct).",
    example={"hasil": "di_atas", "perilaku": "sesuai"},
    compute=compute_predikat,
    rule_table=predikat_table,
    tags=("kinerja",),
))

register(Calculator(
    name="skp-distribution",
    title="Distribusi predikat kinerja unit",
    legal_source=DISTRIBUTION_SOURCE,
    description="Memeriksa apakah jumlah pegawai per predikat kinerja sesuai pola distribusi untuk predikat "
                "kinerja unit (istimewa, baik, butuh_perbaikan, kurang, sangat_kurang) dan menyebut batas "
                "yang dilanggar beserta persentasenya.",
    example={"unit_predikat": "baik",
             "counts": {"sangat_baik": 3, "baik": 14, "butuh_perbaikan": 1, "kurang": 0, "sangat_kurang": 0}},
    compute=compute_distribution,
    rule_table=distribution_table,
    tags=("kinerja",),
))
