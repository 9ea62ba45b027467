"""`manage.py calc nip` and `calc retirement-age`: one JSON object out; malformed input → exit 2."""

from __future__ import annotations

import json

import pytest

from simasn.core import calc
from simasn.core.testing import run_calc


def test_the_issue_example():
    assert run_calc("nip", '{"nip": "198609262015051001"}') == (0, {
        "valid": True, "kind": "PNS", "birth_date": "1986-09-26", "tmt_cpns": "2015-05", "sex": "L", "sequence": 1,
    })


def test_an_invalid_nip_is_a_normal_answer_with_reasons():
    code, out = run_calc("nip", '{"nip": "19860926201505100"}')
    assert code == 0
    assert out == {"valid": False,
                   "errors": ["NIP harus 18 digit, bukan 17 (angka 0 di depan mungkin hilang karena Excel)."]}


def test_an_ni_pppk_is_parsed_when_asked_for():
    assert run_calc("nip", '{"nip": "199001152022112003", "kind": "PPPK"}') == (0, {
        "valid": True, "kind": "PPPK", "birth_date": "1990-01-15", "appointment_year": 2022, "contract_code": "11",
        "sex": "P", "sequence": 3,
    })


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"nip": "1986', "JSON tidak valid"),
        ("{}", "Kolom 'nip' wajib diisi."),
        ('{"nip": 198609262015051001}', "Kolom 'nip' bertipe salah."),
        ('{"nip": null}', "Kolom 'nip' bertipe salah."),
        ('["198609262015051001"]', "Masukan harus berupa objek JSON."),
        ('{"nip": "198609262015051001", "kind": "P3K"}', "Kolom 'kind' harus salah satu dari PNS, CPNS, PPPK."),
    ],
)
def test_malformed_input_exits_2_with_a_json_error(payload, message):
    code, out = run_calc("nip", payload)
    assert code == 2
    assert message in out["error"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"jabatan_type": "pelaksana"}, {"bup_age": 58}),
        ({"jabatan_type": "fungsional", "jf_level": "ahli_madya", "birth_date": "1968-04-15"},
         {"bup_age": 60, "retirement_date": "2028-05-01"}),
        ({"jabatan_type": "fungsional", "jf_level": "ahli_utama", "birth_date": "1970-12-31"},
         {"bup_age": 65, "retirement_date": "2036-01-01"}),
        ({"jabatan_type": "jpt_pratama", "birth_date": "1966-07-01"}, {"bup_age": 60, "retirement_date": "2026-08-01"}),
    ],
)
def test_retirement_age(payload, expected):
    assert run_calc("retirement-age", json.dumps(payload)) == (0, expected)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "Kolom 'jabatan_type' wajib diisi."),
        ({"jabatan_type": "menteri"}, "Kolom 'jabatan_type' harus salah satu dari"),
        ({"jabatan_type": "fungsional", "jf_level": "ahli_super"}, "Kolom 'jf_level' harus salah satu dari"),
        ({"jabatan_type": "pelaksana", "birth_date": "15-04-1968"}, "TTTT-BB-HH"),
        ({"jabatan_type": "pelaksana", "birth_date": 19680415}, "bertipe salah"),
    ],
)
def test_retirement_age_malformed_input(payload, message):
    code, out = run_calc("retirement-age", json.dumps(payload))
    assert code == 2 and message in out["error"]


def test_both_calculators_show_their_rule_table_and_legal_source():
    nip = calc.REGISTRY["nip"]
    headers, rows = nip.rule_table()
    assert headers[:3] == ["Nomor", "Digit ke-", "Isi"]
    assert ["NIP PNS", "15", "Jenis kelamin: 1 laki-laki, 2 perempuan", "1 → laki-laki"] in rows
    assert "PP 11/2017" in nip.legal_source
    assert calc.run("nip", nip.example)["valid"] is True

    bup = calc.REGISTRY["retirement-age"]
    headers, rows = bup.rule_table()
    assert headers == ["Jenis jabatan", "Jenjang fungsional", "BUP (tahun)", "Dasar hukum"]
    assert [row[2] for row in rows] == ["65", "60", "60", "58"]
    assert calc.run("retirement-age", bup.example)["bup_age"] == 60
