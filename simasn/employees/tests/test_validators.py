"""Field rules shared by the form, the API and the importer: NIK, golongan per ASN type, NIP consistency,
and the retirement age (BUP) table."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.employees.nip import parse_nip
from simasn.employees.retirement import retirement_date
from simasn.employees.rules_data import GOLONGAN_PNS, GOLONGAN_PPPK, golongan_label, retirement_age
from simasn.employees.validators import consistency_errors, golongan_errors, nik_errors


@pytest.mark.parametrize(
    ("nik", "errors"),
    [
        ("", []),  # NIK is optional on the master record
        ("7471012609860001", []),  # Kendari (74 71 01), born 26-09-86, male
        ("7471016609860001", []),  # the same date for a woman: day + 40
        ("7471012902880001", []),  # 29 Feb (a leap day is a real birth date)
        ("747101260986000", ["NIK harus 16 digit, bukan 15."]),
        ("74710126098600011", ["NIK harus 16 digit, bukan 17."]),
        ("7471O12609860001", ["NIK hanya boleh berisi angka."]),
        ("7471013209860001", ["Tanggal lahir di dalam NIK (digit 7–12) tidak valid."]),  # day 32
        ("7471017209860001", ["Tanggal lahir di dalam NIK (digit 7–12) tidak valid."]),  # woman, day 32
        ("7471012613860001", ["Tanggal lahir di dalam NIK (digit 7–12) tidak valid."]),  # month 13
    ],
)
def test_nik(nik, errors):
    assert nik_errors(nik) == errors


@pytest.mark.parametrize(
    ("golongan", "kind", "ok"),
    [
        ("III/a", "PNS", True),
        ("IV/e", "PNS", True),
        ("II/a", "CPNS", True),
        ("IX", "PPPK", True),
        ("XVII", "PPPK", True),
        ("", "PNS", True),
        ("IX", "PNS", False),
        ("III/a", "PPPK", False),
        ("XVIII", "PPPK", False),
        ("V/a", "PNS", False),
    ],
)
def test_golongan_must_fit_the_kind_of_asn(golongan, kind, ok):
    assert (golongan_errors(golongan, kind) == []) is ok


def test_the_golongan_tables_are_those_of_the_regulation():
    assert [g.code for g in GOLONGAN_PNS][:4] == ["I/a", "I/b", "I/c", "I/d"]
    assert len(GOLONGAN_PNS) == 17 and GOLONGAN_PNS[-1].pangkat == "Pembina Utama"
    assert golongan_label("III/b") == "III/b (Penata Muda Tingkat I)"
    assert [g.code for g in GOLONGAN_PPPK] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
    ]


def test_the_record_must_agree_with_the_nip():
    parsed = parse_nip("198609262015051001")
    assert consistency_errors(parsed, birth_date=dt.date(1986, 9, 26), sex="L") == []
    assert consistency_errors(parsed, birth_date=dt.date(1986, 9, 27), sex="L") == [
        "Tanggal lahir (27-09-1986) tidak sama dengan yang tertera di NIP (26-09-1986)."
    ]
    assert consistency_errors(parsed, birth_date=None, sex="P") == [
        "Jenis kelamin tidak sama dengan digit jenis kelamin di NIP."
    ]


@pytest.mark.parametrize(
    ("jabatan_type", "jf_level", "bup"),
    [
        ("pelaksana", None, 58),
        ("pengawas", None, 58),
        ("administrator", None, 58),
        ("fungsional", "ahli_pertama", 58),
        ("fungsional", "ahli_muda", 58),
        ("fungsional", "terampil", 58),
        ("fungsional", "ahli_madya", 60),
        ("jpt_pratama", None, 60),
        ("jpt_madya", None, 60),
        ("fungsional", "ahli_utama", 65),
        (None, None, 58),  # no position yet: the general rule
    ],
)
def test_batas_usia_pensiun(jabatan_type, jf_level, bup):
    """58 administrasi and most JF; 60 JPT and JF ahli madya; 65 JF ahli utama."""
    assert retirement_age(jabatan_type, jf_level) == bup


@pytest.mark.parametrize(
    ("born", "jabatan_type", "expected"),
    [
        (dt.date(1968, 4, 15), "pelaksana", dt.date(2026, 5, 1)),  # 58 in April 2026 → pension TMT 1 May
        (dt.date(1968, 12, 3), "pelaksana", dt.date(2027, 1, 1)),  # December → 1 January of the next year
        (dt.date(1968, 4, 1), "jpt_pratama", dt.date(2028, 5, 1)),
    ],
)
def test_the_pension_starts_on_the_first_of_the_month_after_reaching_bup(born, jabatan_type, expected):
    assert retirement_date(born, jabatan_type, None) == expected
