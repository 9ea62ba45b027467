"""Regulation tables for personnel master data (../shared/DOMAIN.md §1), kept as data.

Sources: PP 99/2000 jo PP 12/2002 (golongan/pangkat PNS), Perpres 98/2020 (golongan PPPK),
UU 20/2023 and PP 11/2017 jo PP 17/2020 (batas usia pensiun).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Golongan:
    code: str
    pangkat: str
    rank_order: int  # for sorting and "higher than" comparisons


GOLONGAN_PNS: tuple[Golongan, ...] = (
    Golongan("I/a", "Juru Muda", 1),
    Golongan("I/b", "Juru Muda Tingkat I", 2),
    Golongan("I/c", "Juru", 3),
    Golongan("I/d", "Juru Tingkat I", 4),
    Golongan("II/a", "Pengatur Muda", 5),
    Golongan("II/b", "Pengatur Muda Tingkat I", 6),
    Golongan("II/c", "Pengatur", 7),
    Golongan("II/d", "Pengatur Tingkat I", 8),
    Golongan("III/a", "Penata Muda", 9),
    Golongan("III/b", "Penata Muda Tingkat I", 10),
    Golongan("III/c", "Penata", 11),
    Golongan("III/d", "Penata Tingkat I", 12),
    Golongan("IV/a", "Pembina", 13),
    Golongan("IV/b", "Pembina Tingkat I", 14),
    Golongan("IV/c", "Pembina Utama Muda", 15),
    Golongan("IV/d", "Pembina Utama Madya", 16),
    Golongan("IV/e", "Pembina Utama", 17),
)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII")
GOLONGAN_PPPK: tuple[Golongan, ...] = tuple(
    Golongan(roman, f"Golongan {roman} PPPK", i + 1) for i, roman in enumerate(_ROMAN)
)

GOLONGAN_BY_CODE: dict[str, Golongan] = {g.code: g for g in GOLONGAN_PNS + GOLONGAN_PPPK}
GOLONGAN_CHOICES = [(g.code, f"{g.code} — {g.pangkat}") for g in GOLONGAN_PNS] + [
    (g.code, g.pangkat) for g in GOLONGAN_PPPK
]


def golongan_label(code: str) -> str:
    g = GOLONGAN_BY_CODE.get(code)
    return f"{g.code} ({g.pangkat})" if g and "/" in g.code else (g.pangkat if g else code)


# Batas Usia Pensiun (BUP) by jabatan, in years. Rows are checked top to bottom; first match wins.
# (verify) per DOMAIN §1: 58 administrasi and most JF; 60 JPT and JF ahli madya; 65 JF ahli utama.
@dataclass(frozen=True)
class RetirementRule:
    jabatan_types: frozenset[str]
    jf_levels: frozenset[str] | None  # None: any level
    age: int
    legal_source: str


RETIREMENT_RULES: tuple[RetirementRule, ...] = (
    RetirementRule(frozenset({"fungsional"}), frozenset({"ahli_utama"}), 65, "PP 11/2017 Pasal 239 ayat (2) huruf c"),
    RetirementRule(frozenset({"fungsional"}), frozenset({"ahli_madya"}), 60, "PP 11/2017 Pasal 239 ayat (2) huruf b"),
    RetirementRule(
        frozenset({"jpt_utama", "jpt_madya", "jpt_pratama", "kepala_daerah"}), None, 60,
        "PP 11/2017 Pasal 239 ayat (2) huruf b",
    ),
    RetirementRule(frozenset(), None, 58, "PP 11/2017 Pasal 239 ayat (2) huruf a"),  # everyone else
)


def retirement_age(jabatan_type: str | None, jf_level: str | None) -> int:
    for rule in RETIREMENT_RULES:
        type_ok = not rule.jabatan_types or (jabatan_type in rule.jabatan_types)
        level_ok = rule.jf_levels is None or (jf_level in rule.jf_levels)
        if type_ok and level_ok:
            return rule.age
    raise AssertionError("RETIREMENT_RULES must end with a catch-all row")


EDUCATION_LEVELS = (
    ("SD", "SD"), ("SMP", "SMP"), ("SMA", "SMA/SMK"), ("D1", "D-I"), ("D2", "D-II"), ("D3", "D-III"),
    ("D4", "D-IV"), ("S1", "S-1"), ("S2", "S-2"), ("S3", "S-3"),
)
