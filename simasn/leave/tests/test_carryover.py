"""Cuti tahunan, PP 11/2017 jo PP 17/2020 Pasal 310–315 and PP 49/2018 (DOMAIN §7), one row per case."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from simasn.core.calc import CalcInputError, run
from simasn.leave.carryover import annual_entitlement
from simasn.leave.rules_data import ANNUAL_LEAVE_RULES

CASES = [
    # (why, employee type, year, days used in earlier years, entitlement)
    ("hak cuti tahunan 12 hari kerja", "PNS", 2025, {}, 12),
    ("tahun lalu habis dipakai: tidak ada penangguhan", "PNS", 2025, {"2024": 12}, 12),
    ("sisa 8 hari, ditangguhkan paling banyak 6: paling lama 18", "PNS", 2025, {"2023": 12, "2024": 4}, 18),
    ("sisa 2 hari ditangguhkan seluruhnya", "PNS", 2025, {"2024": 10}, 14),
    ("sisa 6 hari tepat", "PNS", 2025, {"2024": 6}, 18),
    ("tidak diambil 1 tahun: paling lama 18", "PNS", 2025, {"2023": 12, "2024": 0}, 18),
    ("tidak diambil 2 tahun berturut-turut: paling lama 24", "PNS", 2025, {"2023": 0, "2024": 0}, 24),
    ("tidak diambil 3 tahun: tetap paling lama 24", "PNS", 2025, {"2022": 0, "2023": 0, "2024": 0}, 24),
    ("hari tangguhan dipakai lebih dulu: 6 hari tahun lalu dari tangguhan, 12 hari sendiri utuh → 18", "PNS", 2025,
     {"2023": 4, "2024": 6}, 18),
    ("18 hari dipakai 10 (6 tangguhan + 4 sendiri): sisa sendiri 8 → 18", "PNS", 2025, {"2023": 0, "2024": 10}, 18),
    ("setelah 24 hari dipakai seluruhnya: kembali 12", "PNS", 2025, {"2022": 0, "2023": 0, "2024": 24}, 12),
    ("tahun yang tidak tercatat tidak menangguhkan apa pun", "PNS", 2025, {"2023": 0}, 12),
    ("PPPK: 12 hari, tanpa penangguhan", "PPPK", 2025, {"2024": 0}, 12),
    ("PPPK: tidak diambil 2 tahun pun tetap 12", "PPPK", 2025, {"2023": 0, "2024": 0}, 12),
]


@pytest.mark.parametrize(("why", "kind", "year", "used", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cuti_tahunan_entitlement(why, kind, year, used, expected):
    answer = run("leave-carryover", {"employee_type": kind, "year": year, "used_by_year": used})
    assert answer == {"year": year, "entitlement_days": expected}


def test_a_pppk_contract_may_allow_carry_over():
    data = {"employee_type": "PPPK", "year": 2025, "used_by_year": {"2024": 9}, "contract_max_carryover": 6}
    assert run("leave-carryover", data)["entitlement_days"] == 15


@pytest.mark.parametrize(("data", "message"), [
    ({"employee_type": "Honorer", "year": 2025}, "salah satu dari"),
    ({"employee_type": "PNS", "year": "2025"}, "bertipe salah"),
    ({"employee_type": "PNS", "year": 2025, "used_by_year": {"2025": 1}}, "sebelum tahun 2025"),
    ({"employee_type": "PNS", "year": 2025, "used_by_year": {"24": 1}}, "4 angka"),
    ({"employee_type": "PNS", "year": 2025, "used_by_year": {"2024": -1}}, "bilangan bulat 0–24"),
    ({"employee_type": "PNS", "year": 2025, "used_by_year": {"2024": 13}}, "melebihi hak tahun itu (12 hari)"),
    ({"employee_type": "PNS", "year": 2025, "used_by_year": [12]}, "harus objek"),
    ({"employee_type": "PNS", "year": 2025, "contract_max_carryover": 3}, "hanya untuk PPPK"),
])
def test_bad_input_is_refused(data, message):
    with pytest.raises(CalcInputError, match=re.escape(message)):
        run("leave-carryover", data)


def test_the_cli_answers_the_issue_example():
    out = StringIO()
    call_command("calc", "leave-carryover",
                 '{"employee_type": "PNS", "year": 2025, "used_by_year": {"2023": 12, "2024": 4}}', stdout=out)
    assert json.loads(out.getvalue()) == {"year": 2025, "entitlement_days": 18}


@given(st.lists(st.integers(0, 12), min_size=0, max_size=8), st.sampled_from(["PNS", "PPPK"]))
def test_the_entitlement_stays_between_12_and_the_ceiling(usage, kind):
    rule = ANNUAL_LEAVE_RULES[kind]
    used = {2024 - i: days for i, days in enumerate(reversed(usage))}
    days = annual_entitlement(rule, 2025, used).days
    assert rule.annual_days <= days <= rule.max_after_two_untaken_years
    assert days <= rule.annual_days + rule.max_carryover or (used.get(2024) == 0 and used.get(2023) == 0)
