"""NIP PNS and NI PPPK, read against DOMAIN §1.

NIP PNS (18 digits): YYYYMMDD birth date + YYYYMM TMT CPNS + sex digit (1 male, 2 female) + 3-digit sequence.
NI PPPK (18 digits): birth date (8) + appointment year (4) + contract code (2) + sex (1) + sequence (3).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.employees.nip import parse_any, parse_ni_pppk, parse_nip
from simasn.employees.tests.factories import make_nip

TODAY = dt.date.today()
NEXT_YEAR = TODAY.year + 1


def test_the_example_of_the_regulation():
    """198609262015051001 → born 1986-09-26, CPNS 2015-05, male, sequence 001."""
    parsed = parse_nip("198609262015051001")
    assert parsed.valid
    assert parsed.as_dict() == {
        "valid": True, "kind": "PNS", "birth_date": "1986-09-26", "tmt_cpns": "2015-05", "sex": "L", "sequence": 1,
    }


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("19860926 201505 1 001", "printed in groups as on an SK"),
        ("19860926.201505.1.001", "dotted"),
        (" 198609262015051001 ", "surrounding blanks"),
        (198609262015051001, "a whole number from a spreadsheet cell that kept every digit"),
    ],
)
def test_a_nip_as_people_type_it_is_the_same_nip(typed, why):
    assert parse_nip(typed).nip == "198609262015051001", why
    assert parse_nip(typed).valid, why


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("", "NIP wajib diisi."),
        (None, "NIP wajib diisi."),
        ("1986092620150510011", "NIP harus 18 digit, bukan 19."),
        ("1986092620150510", "NIP harus 18 digit, bukan 16."),
        ("19860926201505100A", "NIP hanya boleh berisi angka."),
        ("NIP198609262015051", "NIP hanya boleh berisi angka."),
        # Excel shows a long number in scientific notation and silently rounds it to 15 significant digits.
        ("1.98609E+17", "notasi ilmiah"),
        ("1,98609E+17", "notasi ilmiah"),
        (1.98609262015051e17, "notasi ilmiah"),
        # A cell formatted as a number drops a leading zero: 17 digits left.
        ("19860926201505100", "angka 0 di depan mungkin hilang karena Excel"),
        ("198602302015051001", "Tanggal lahir dalam NIP (1986-02-30) tidak ada di kalender."),
        ("198613012015051001", "tidak ada di kalender"),
        ("185001012015051001", "Tahun lahir dalam NIP (1850) tidak masuk akal."),
        ("198609262015131001", "Bulan TMT CPNS dalam NIP (13) tidak valid."),
        ("198609262015001001", "Bulan TMT CPNS dalam NIP (00) tidak valid."),
        # TMT CPNS before the 18th birthday: born May 2000, CPNS May 2017 while still 16/17.
        ("200005022017051001", "sebelum pegawai berusia 18 tahun"),
        ("198609262015053001", "Digit jenis kelamin dalam NIP harus 1 (laki-laki) atau 2 (perempuan), bukan 3."),
        ("198609262015050001", "bukan 0"),
        (f"19860926{NEXT_YEAR}011001", f"TMT CPNS dalam NIP ({NEXT_YEAR}-01) belum terjadi."),
    ],
)
def test_a_nip_is_refused_with_a_reason(nip, message):
    parsed = parse_nip(nip)
    assert not parsed.valid
    assert any(message in e for e in parsed.errors), parsed.errors
    assert parsed.as_dict() == {"valid": False, "errors": parsed.errors}


def test_tmt_cpns_on_the_18th_birthday_month_is_allowed_and_one_day_short_is_not():
    assert parse_nip("199905012017051001").valid  # 18 on 1 May 2017, TMT May 2017
    assert not parse_nip("199905022017051001").valid  # turns 18 on 2 May: on the 1st still 17


def test_a_woman_has_sex_digit_2():
    assert parse_nip("199203152019032005").sex == "P"


def test_every_error_is_reported_together():
    """A clerk fixing a row should see all problems at once, not one per attempt."""
    parsed = parse_nip("198602302015133001")
    assert len(parsed.errors) >= 2


@pytest.mark.parametrize(
    ("ni", "expected"),
    [
        ("199001152022112003", {"valid": True, "kind": "PPPK", "birth_date": "1990-01-15", "appointment_year": 2022,
                                "contract_code": "11", "sex": "P", "sequence": 3}),
        ("198512312023051120", {"valid": True, "kind": "PPPK", "birth_date": "1985-12-31", "appointment_year": 2023,
                                "contract_code": "05", "sex": "L", "sequence": 120}),
    ],
)
def test_ni_pppk_segments(ni, expected):
    assert parse_ni_pppk(ni).as_dict() == expected


@pytest.mark.parametrize(
    ("ni", "message"),
    [
        ("19900115202211200", "NI PPPK harus 18 digit, bukan 17"),
        ("1.99001E+17", "notasi ilmiah"),
        ("199002302022112003", "Tanggal lahir dalam NI PPPK (1990-02-30) tidak ada di kalender."),
        (f"19900115{NEXT_YEAR}112003", f"Tahun pengangkatan dalam NI PPPK ({NEXT_YEAR}) belum terjadi."),
        ("201001152022112003", "sebelum pegawai berusia 18 tahun"),
        ("199001152022119003", "bukan 9"),
    ],
)
def test_ni_pppk_is_refused_with_a_reason_naming_ni_pppk(ni, message):
    parsed = parse_ni_pppk(ni)
    assert not parsed.valid
    assert any(message in e for e in parsed.errors), parsed.errors
    assert not any(e.startswith("NIP ") for e in parsed.errors)


@pytest.mark.parametrize(("kind", "expected_kind"), [("PNS", "PNS"), ("CPNS", "PNS"), ("PPPK", "PPPK")])
def test_the_employee_kind_decides_which_number_is_parsed(kind, expected_kind):
    number = "199001152022112003"  # valid as both layouts: TMT 2022-11 / appointment 2022, contract 11
    assert parse_any(number, kind).kind == expected_kind


def test_without_a_kind_a_pns_nip_is_tried_first():
    assert parse_any("198609262015051001").kind == "PNS"
    assert parse_any("199001152022992003").kind == "PPPK"  # month 99 cannot be a TMT CPNS


@given(
    birth=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2000, 12, 31)),
    years_after_18=st.integers(min_value=0, max_value=20),
    month=st.integers(min_value=1, max_value=12),
    sex=st.sampled_from(["L", "P"]),
    seq=st.integers(min_value=0, max_value=999),
)
def test_any_well_formed_nip_round_trips(birth, years_after_18, month, sex, seq):
    year = birth.year + 19 + years_after_18  # at least 18 whatever the month
    if dt.date(year, month, 1) > TODAY:
        return
    parsed = parse_nip(make_nip(birth, (year, month), sex, seq))
    assert parsed.valid, parsed.errors
    assert (parsed.birth_date, parsed.tmt_cpns, parsed.sex, parsed.sequence) == (birth, (year, month), sex, seq)
