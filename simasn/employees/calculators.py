"""Regulation calculators of the personnel domain: NIP / NI PPPK parsing and the retirement age (BUP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from simasn.core.calc import CalcInputError, Calculator, register, require
from simasn.org.models import JabatanType, JFLevel

from .nip import parse_ni_pppk, parse_nip
from .retirement import retirement_date
from .rules_data import RETIREMENT_RULES, retirement_age

_NIP_KINDS = ("PNS", "CPNS", "PPPK")


def compute_nip(data: dict[str, Any]) -> dict[str, Any]:
    nip = require(data, "nip", str)
    kind = data.get("kind", "PNS")
    if kind not in _NIP_KINDS:
        raise CalcInputError(f"Kolom 'kind' harus salah satu dari {', '.join(_NIP_KINDS)}.")
    return (parse_ni_pppk(nip) if kind == "PPPK" else parse_nip(nip)).as_dict()


def nip_layout() -> tuple[list[str], list[list[str]]]:
    headers = ["Nomor", "Digit ke-", "Isi", "Contoh"]
    rows = [
        ["NIP PNS", "1–8", "Tanggal lahir (TTTTBBHH)", "19860926 → 26-09-1986"],
        ["NIP PNS", "9–14", "TMT CPNS (TTTTBB); paling cepat usia 18 tahun", "201505 → Mei 2015"],
        ["NIP PNS", "15", "Jenis kelamin: 1 laki-laki, 2 perempuan", "1 → laki-laki"],
        ["NIP PNS", "16–18", "Nomor urut", "001"],
        ["NI PPPK", "1–8", "Tanggal lahir (TTTTBBHH)", "19900115 → 15-01-1990"],
        ["NI PPPK", "9–12", "Tahun pengangkatan", "2022"],
        ["NI PPPK", "13–14", "Kode perjanjian kerja", "11"],
        ["NI PPPK", "15", "Jenis kelamin: 1 laki-laki, 2 perempuan", "2 → perempuan"],
        ["NI PPPK", "16–18", "Nomor urut", "003"],
    ]
    return headers, rows


def _choice(data: dict[str, Any], key: str, allowed: list[str], required: bool) -> str | None:
    if key not in data and not required:
        return None
    value = require(data, key, str)
    if value not in allowed:
        raise CalcInputError(f"Kolom '{key}' harus salah satu dari: {', '.join(allowed)}.")
    return value


def compute_retirement_age(data: dict[str, Any]) -> dict[str, Any]:
    jabatan_type = _choice(data, "jabatan_type", list(JabatanType.values), required=True)
    jf_level = _choice(data, "jf_level", list(JFLevel.values), required=False)
    out: dict[str, Any] = {"bup_age": retirement_age(jabatan_type, jf_level)}
    if "birth_date" in data:
        raw = require(data, "birth_date", str)
        try:
            born = dt.date.fromisoformat(raw)
        except ValueError as exc:
            raise CalcInputError("Kolom 'birth_date' harus berformat TTTT-BB-HH.") from exc
        out["retirement_date"] = retirement_date(born, jabatan_type, jf_level).isoformat()
    return out


def retirement_table() -> tuple[list[str], list[list[str]]]:
    headers = ["Jenis jabatan", "Jenjang fungsional", "BUP (tahun)", "Dasar hukum"]
    labels, levels = dict(JabatanType.choices), dict(JFLevel.choices)
    rows = [
        [
            ", ".join(str(labels.get(t, t)) for t in sorted(rule.jabatan_types)) or "Lainnya",
            ", ".join(str(levels.get(lv, lv)) for lv in sorted(rule.jf_levels)) if rule.jf_levels else "Semua",
            str(rule.age),
            rule.legal_source,
        ]
        for rule in RETIREMENT_RULES
    ]
    return headers, rows


register(Calculator(
    name="nip",
    title="Pemeriksa NIP / NI PPPK",
    legal_source="PP 11/2017 jo PP 17/2020 tentang Manajemen PNS; Peraturan BKN tentang NIP PNS; "
                 "PP 49/2018 tentang Manajemen PPPK",
    description="Menguraikan NIP PNS (tanggal lahir, TMT CPNS, jenis kelamin, nomor urut) atau NI PPPK "
                "(dengan \"kind\": \"PPPK\") dan menolak NIP yang panjangnya salah, berisi selain angka, "
                "memuat tanggal yang mustahil, TMT CPNS sebelum usia 18 tahun, atau digit jenis kelamin "
                "selain 1/2.",
    example={"nip": "198609262015051001"},
    compute=compute_nip,
    rule_table=nip_layout,
    tags=("pegawai",),
))

register(Calculator(
    name="retirement-age",
    title="Batas Usia Pensiun (BUP)",
    legal_source="UU 20/2023 tentang ASN; PP 11/2017 Pasal 239 jo PP 17/2020",
    description="Batas usia pensiun menurut jenis jabatan (dan jenjang jabatan fungsional); dengan "
                "\"birth_date\" juga menghitung TMT pensiun, yaitu tanggal 1 bulan berikutnya setelah "
                "mencapai BUP.",
    example={"jabatan_type": "fungsional", "jf_level": "ahli_madya", "birth_date": "1968-04-15"},
    compute=compute_retirement_age,
    rule_table=retirement_table,
    tags=("pegawai",),
))
