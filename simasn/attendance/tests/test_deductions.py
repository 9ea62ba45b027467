"""DOMAIN §3: daily codes by minutes late/early and the TPP deduction of Scheme A (default) and Scheme B."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.attendance.deductions import (
    DayFacts,
    codes_percent,
    day_codes,
    day_deduction,
    minute_band,
    monthly_percent,
)
from simasn.attendance.rules_data import SCHEMES
from simasn.core.testing import run_calc

A, B = SCHEMES["A"], SCHEMES["B"]


@pytest.mark.parametrize(("minutes", "band"), [
    (0, None),
    (1, 1), (30, 1),
    (31, 2), (60, 2),
    (61, 3), (90, 3),
    (91, 4), (600, 4),
])
def test_minutes_fall_into_the_bands_of_the_table(minutes, band):
    assert minute_band(minutes) == band


@pytest.mark.parametrize(("facts", "codes"), [
    (DayFacts(), ("H",)),
    (DayFacts(late_minutes=30), ("TL1",)),
    (DayFacts(late_minutes=31), ("TL2",)),
    (DayFacts(early_minutes=61), ("PSW3",)),
    (DayFacts(late_minutes=91, early_minutes=5), ("TL4", "PSW1")),
    (DayFacts(missing_in=True), ("TL4",)),  # no check-in counts as the worst lateness
    (DayFacts(missing_out=True), ("PSW4",)),  # no check-out counts as the worst early leave
    (DayFacts(missing_in=True, missing_out=True), ("TK",)),  # no attendance at all
    (DayFacts(absent=True, late_minutes=45), ("TK",)),  # a TK day carries no TL/PSW
])
def test_daily_codes(facts, codes):
    assert day_codes(facts) == codes


@pytest.mark.parametrize(("code", "scheme_a", "scheme_b"), [
    ("TL1", "0.5", "0.5"), ("PSW1", "0.5", "0.5"),
    ("TL2", "1", "1"), ("PSW2", "1", "1"),
    ("TL3", "1.25", "1.5"), ("PSW3", "1.25", "1.5"),
    ("TL4", "1.5", "2"), ("PSW4", "1.5", "2"),
    ("TK", "3", "4"),
    ("H", "0", "0"),
])
def test_deduction_per_code_under_each_scheme(code, scheme_a, scheme_b):
    assert codes_percent([code], A) == Decimal(scheme_a)
    assert codes_percent([code], B) == Decimal(scheme_b)


def test_the_worked_example_of_domain_section_3():
    # 3×TL1 + 1×TL3 + 2×PSW4 + 1×TK = 1.5 + 1.25 + 3 + 3 = 8.75% under Scheme A.
    codes = ["TL1"] * 3 + ["TL3"] + ["PSW4"] * 2 + ["TK"]
    assert codes_percent(codes, A) == Decimal("8.75")


def test_the_month_is_capped_at_100_percent():
    month = [day_deduction(DayFacts(absent=True), B).percent] * 31  # 31 × 4% = 124%
    assert monthly_percent(month, B) == Decimal(100)


@given(st.lists(st.builds(DayFacts, late_minutes=st.integers(0, 600), early_minutes=st.integers(0, 600),
                          missing_in=st.booleans(), missing_out=st.booleans(), absent=st.booleans()),
                max_size=31))
def test_a_month_never_deducts_more_than_the_cap_nor_less_than_zero(days):
    total = monthly_percent((day_deduction(d, A).percent for d in days), A)
    assert Decimal(0) <= total <= A.monthly_cap


def test_the_calculator_contract_of_issue_4():
    code, out = run_calc("attendance-deduction", '{"scheme": "A", "days": [{"late_minutes": 45, "early_minutes": 0},'
                         ' {"absent": true}, {"late_minutes": 0, "early_minutes": 0, "missing_out": true}]}')
    assert code == 0
    assert out == {"days": [{"codes": ["TL2"], "percent": "1"}, {"codes": ["TK"], "percent": "3"},
                            {"codes": ["PSW4"], "percent": "1.5"}], "total_percent": "5.5"}


@pytest.mark.parametrize("payload", [
    '{"scheme": "C", "days": [{}]}',
    '{"days": []}',
    '{"days": [{"late_minutes": -1}]}',
    '{"days": [{"late_minutes": "45"}]}',
    '{"days": [{"late_minutes": true}]}',
    '{"days": [{"absent": 1}]}',
    '{"days": [{"lateness": 5}]}',
    '{"days": "all"}',
])
def test_malformed_input_is_refused_with_exit_2(payload):
    code, out = run_calc("attendance-deduction", payload)
    assert code == 2
    assert "error" in out
