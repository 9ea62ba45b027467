"""The `working-days` regulation calculator (CLI, API and the "Kalkulator Regulasi" page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from simasn.core.calc import CalcInputError, Calculator, register

from . import days, rules_data


def parse_date(value: Any, key: str) -> dt.date:
    if not isinstance(value, str) or isinstance(value, bool):
        raise CalcInputError(f"Kolom '{key}' harus berupa tanggal teks berformat YYYY-MM-DD.")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CalcInputError(
            f"Kolom '{key}' berisi tanggal yang tidak ada atau tidak berformat YYYY-MM-DD: '{value}'."
        ) from None


def check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise CalcInputError("Tanggal akhir tidak boleh sebelum tanggal mulai.")
    if (end - start).days + 1 > rules_data.MAX_RANGE_DAYS:
        raise CalcInputError(f"Rentang tanggal terlalu panjang: rentang maksimal {rules_data.MAX_RANGE_DAYS} hari.")


def working_days_answer(start: dt.date, end: dt.date, unit: Any = None) -> dict[str, Any]:
    return {
        "working_days": days.working_days_between(start, end, unit),
        "holidays": [{"date": h.date.isoformat(), "name": h.name} for h in days.holidays_between(start, end, unit)],
    }


def find_unit(unit_id: Any) -> Any:
    from simasn.org.models import Unit

    if unit_id is None:
        return None
    if isinstance(unit_id, bool) or not isinstance(unit_id, int):
        raise CalcInputError("Kolom 'unit_id' harus berupa bilangan bulat.")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise CalcInputError(f"Unit dengan id {unit_id} tidak ditemukan.")
    return unit


def compute(data: dict[str, Any]) -> dict[str, Any]:
    for key in ("start", "end"):
        if key not in data:
            raise CalcInputError(f"Kolom '{key}' wajib diisi.")
    start = parse_date(data["start"], "start")
    end = parse_date(data["end"], "end")
    check_range(start, end)
    return working_days_answer(start, end, find_unit(data.get("unit_id")))


def rule_table() -> tuple[list[str], list[list[str]]]:
    rows = [[str(_("Hari libur akhir pekan")), str(label), ", ".join(
        ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"][d] for d in sorted(rules_data.WEEKEND_DAYS[k])
    )] for k, label in rules_data.WEEK_LABELS.items()]
    rows += [[str(_("Kategori hari libur")), str(rules_data.CATEGORY_LABELS[c]), str(basis)]
             for c, basis in rules_data.CATEGORY_BASIS.items()]
    return [str(_("Aturan")), str(_("Jenis")), str(_("Keterangan"))], rows


register(Calculator(
    name="working-days",
    title="Hari kerja",
    legal_source=rules_data.LEGAL_SOURCE,
    description=(
        "Menghitung jumlah hari kerja antara dua tanggal (keduanya termasuk): hari Sabtu, Minggu, libur "
        "nasional dan cuti bersama tidak dihitung, kecuali unit tersebut tetap bekerja pada hari libur."
    ),
    example={"start": "2026-03-16", "end": "2026-03-27"},
    compute=compute,
    rule_table=rule_table,
    tags=("kalender", "cuti"),
))
