"""The `leave-carryover` regulation calculator: cuti tahunan entitlement of a year (DOMAIN §7)."""

from __future__ import annotations

import dataclasses
from typing import Any

from simasn.core.calc import CalcInputError, Calculator, register, require

from .carryover import UsageExceedsEntitlement, annual_entitlement
from .rules_data import ANNUAL_LEAVE_RULES, MAX_CONTRACT_CARRYOVER

MAX_YEARS_OF_HISTORY = 50


def _int(value: Any, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CalcInputError(f"{label} harus bilangan bulat {low}–{high}.")
    return value


def compute(data: dict[str, Any]) -> dict[str, Any]:
    kind = require(data, "employee_type", str)
    rule = ANNUAL_LEAVE_RULES.get(kind)
    if rule is None:
        raise CalcInputError(f"Kolom 'employee_type' harus salah satu dari {', '.join(ANNUAL_LEAVE_RULES)}.")
    year = _int(require(data, "year", int), "Kolom 'year'", 1970, 2200)
    raw = data.get("used_by_year", {})
    if not isinstance(raw, dict):
        raise CalcInputError("Kolom 'used_by_year' harus objek {\"tahun\": jumlah hari}.")
    used: dict[int, int] = {}
    for key, days in raw.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise CalcInputError(f"Tahun '{key}' pada 'used_by_year' harus 4 angka, misalnya \"2024\".")
        if not year - MAX_YEARS_OF_HISTORY <= int(key) < year:
            raise CalcInputError(f"Tahun {key} pada 'used_by_year' harus sebelum tahun {year}.")
        used[int(key)] = _int(days, f"Jumlah hari tahun {key}", 0, rule.max_after_two_untaken_years)
    if "contract_max_carryover" in data:
        if kind != "PPPK":
            raise CalcInputError("Kolom 'contract_max_carryover' hanya untuk PPPK (menurut perjanjian kerja).")
        carry = _int(data["contract_max_carryover"], "Kolom 'contract_max_carryover'", 0, MAX_CONTRACT_CARRYOVER)
        rule = dataclasses.replace(rule, max_carryover=carry)
    try:
        entitlement = annual_entitlement(rule, year, used)
    except UsageExceedsEntitlement as exc:
        raise CalcInputError(str(exc)) from exc
    return {"year": year, "entitlement_days": entitlement.days}


def rule_table() -> tuple[list[str], list[list[str]]]:
    headers = ["Jenis pegawai", "Hak per tahun", "Penangguhan maksimal", "Maksimal setelah 2 tahun tidak diambil",
               "Dasar hukum"]
    rows = [[r.employee_type, f"{r.annual_days} hari kerja", f"{r.max_carryover} hari",
             f"{r.max_after_two_untaken_years} hari", r.legal_basis] for r in ANNUAL_LEAVE_RULES.values()]
    return headers, rows


register(Calculator(
    name="leave-carryover",
    title="Hak cuti tahunan (penangguhan)",
    legal_source="PP 11/2017 jo PP 17/2020 Pasal 310–315; PP 49/2018",
    description=(
        "Menghitung hak cuti tahunan pada suatu tahun dari jumlah hari cuti tahunan yang digunakan pada "
        "tahun-tahun sebelumnya: 12 hari; sisa tahun lalu ditangguhkan paling banyak 6 hari (maksimal 18); "
        "tidak diambil 2 tahun berturut-turut, maksimal 24. PPPK: 12 hari, penangguhan hanya bila diatur "
        "perjanjian kerja (kolom opsional 'contract_max_carryover')."
    ),
    example={"employee_type": "PNS", "year": 2025, "used_by_year": {"2023": 12, "2024": 4}},
    compute=compute,
    rule_table=rule_table,
    tags=("cuti",),
))
