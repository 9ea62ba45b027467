"""Pola distribusi predikat kinerja pegawai menurut predikat kinerja unit, PermenPANRB 6/2022 (DOMAIN §6).

Counts are written SB/B/BP/K/SK = sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang.
"""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simasn.core.testing import run_calc
from simasn.performance.predikat import check_distribution, format_percent
from simasn.performance.rules_data import DISTRIBUTION_RULES, UNIT_PREDIKAT


def counts(sb: int = 0, b: int = 0, bp: int = 0, k: int = 0, sk: int = 0) -> dict[str, int]:
    return {"sangat_baik": sb, "baik": b, "butuh_perbaikan": bp, "kurang": k, "sangat_kurang": sk}


ISSUE_EXAMPLE = counts(sb=3, b=14, bp=1)

# (unit predikat, counts, violations) — each rule of the curve with a fitting and a breaking example.
CASES = [
    # Istimewa: paling banyak 70% Sangat Baik.
    ("istimewa", counts(sb=7, b=3), []),
    ("istimewa", counts(sb=8, b=2), ["Sangat Baik 80% melebihi batas 70% untuk unit berpredikat Istimewa"]),
    # Baik: paling banyak 70% Baik, dan harus ada Butuh Perbaikan atau Kurang.
    ("baik", counts(sb=2, b=7, bp=1), []),
    ("baik", counts(sb=2, b=7, k=1), []),
    ("baik", ISSUE_EXAMPLE, ["Baik 77,8% melebihi batas 70% untuk unit berpredikat Baik"]),
    ("baik", counts(sb=3, b=7), ["Tidak ada pegawai berpredikat Butuh Perbaikan atau Kurang; harus ada "
                                 "sekurang-kurangnya satu untuk unit berpredikat Baik"]),
    ("baik", counts(b=7, sk=3), ["Tidak ada pegawai berpredikat Butuh Perbaikan atau Kurang; harus ada "
                                 "sekurang-kurangnya satu untuk unit berpredikat Baik"]),
    # Butuh Perbaikan: paling sedikit 60% Butuh Perbaikan, paling banyak 10% Sangat Baik.
    ("butuh_perbaikan", counts(sb=1, b=3, bp=6), []),
    ("butuh_perbaikan", counts(b=5, bp=5),
     ["Butuh Perbaikan 50% kurang dari batas minimal 60% untuk unit berpredikat Butuh Perbaikan"]),
    ("butuh_perbaikan", counts(sb=2, b=2, bp=6),
     ["Sangat Baik 20% melebihi batas 10% untuk unit berpredikat Butuh Perbaikan"]),
    # Kurang: paling sedikit 60% Kurang, paling sedikit 10% Butuh Perbaikan, paling banyak 10% Sangat Baik.
    ("kurang", counts(sb=1, b=2, bp=1, k=6), []),
    ("kurang", counts(sb=2, b=3, k=5), [
        "Kurang 50% kurang dari batas minimal 60% untuk unit berpredikat Kurang",
        "Butuh Perbaikan 0% kurang dari batas minimal 10% untuk unit berpredikat Kurang",
        "Sangat Baik 20% melebihi batas 10% untuk unit berpredikat Kurang",
    ]),
    # Sangat Kurang: paling sedikit 60% Sangat Kurang, paling sedikit 10% Kurang/Butuh Perbaikan, tanpa Sangat Baik.
    ("sangat_kurang", counts(b=3, k=1, sk=6), []),
    ("sangat_kurang", counts(b=2, bp=1, sk=6, k=1), []),
    ("sangat_kurang", counts(sb=1, b=4, sk=5), [
        "Sangat Kurang 50% kurang dari batas minimal 60% untuk unit berpredikat Sangat Kurang",
        "Kurang + Butuh Perbaikan 0% kurang dari batas minimal 10% untuk unit berpredikat Sangat Kurang",
        "Sangat Baik 10% melebihi batas 0% untuk unit berpredikat Sangat Kurang",
    ]),
]


@pytest.mark.parametrize("unit_predikat, given_counts, violations", CASES)
def test_distribution_curve(unit_predikat, given_counts, violations):
    assert check_distribution(unit_predikat, given_counts) == (not violations, violations)


def test_every_unit_predikat_has_a_fitting_and_a_breaking_example():
    for unit in UNIT_PREDIKAT:
        outcomes = {not violations for u, _, violations in CASES if u == unit}
        assert outcomes == {True, False}, unit


def test_every_rule_is_broken_by_some_example():
    messages = [m for _, _, violations in CASES for m in violations]
    for rule in DISTRIBUTION_RULES:
        unit_label = UNIT_PREDIKAT[rule.unit_predikat]
        assert any(m.endswith(f"unit berpredikat {unit_label}") and (rule.limit is None or
                   f"batas {format_percent(rule.limit)}" in m or f"minimal {format_percent(rule.limit)}" in m)
                   for m in messages), rule


def test_the_issue_example_breaks_only_the_seventy_percent_baik_limit():
    """3 SB, 14 B, 1 BP of 18: Baik is 14/18 = 77.8% > 70%; the one Butuh Perbaikan satisfies "harus ada"."""
    fits, violations = check_distribution("baik", ISSUE_EXAMPLE)
    assert fits is False
    assert violations == ["Baik 77,8% melebihi batas 70% untuk unit berpredikat Baik"]


def test_exactly_the_limit_fits_and_one_more_breaks():
    assert check_distribution("istimewa", counts(sb=70, b=30))[0] is True
    assert check_distribution("istimewa", counts(sb=71, b=29))[0] is False
    assert check_distribution("kurang", counts(sb=10, bp=10, k=60, sk=20))[0] is True
    assert check_distribution("kurang", counts(sb=10, bp=10, k=59, sk=21))[0] is False


@given(sb=st.integers(0, 200), rest=st.integers(0, 200))
def test_istimewa_fits_exactly_when_sangat_baik_is_at_most_seventy_percent(sb, rest):
    total = sb + rest
    fits, _ = check_distribution("istimewa", counts(sb=sb, b=rest))
    assert fits is (total > 0 and 10 * sb <= 7 * total)


@pytest.mark.parametrize("unit_predikat", list(UNIT_PREDIKAT))
def test_a_unit_with_nobody_rated_does_not_fit(unit_predikat):
    fits, violations = check_distribution(unit_predikat, counts())
    assert fits is False
    assert violations == ["Belum ada pegawai yang dinilai (jumlah 0); distribusi predikat tidak dapat diperiksa."]


@pytest.mark.parametrize("unit_predikat, given_counts, message", [
    ("luar_biasa", counts(b=1), "Predikat unit 'luar_biasa' tidak dikenal"),
    ("baik", {"baik": 1, "cukup": 2}, "Predikat pegawai tidak dikenal: cukup"),
    ("baik", counts(b=-1, bp=3), "bilangan bulat 0 atau lebih"),
])
def test_check_distribution_refuses_nonsense(unit_predikat, given_counts, message):
    with pytest.raises(ValueError, match=message):
        check_distribution(unit_predikat, given_counts)


def test_percentages_are_indonesian():
    assert format_percent(Decimal(14) / Decimal(18)) == "77,8%"
    assert format_percent(Decimal("0.70")) == "70%"
    assert format_percent(Decimal(1) / Decimal(3)) == "33,3%"


# --------------------------------------------------------------------------- calculator skp-distribution


def test_calculator_command_on_the_issue_example():
    payload = json.dumps({"unit_predikat": "baik", "counts": ISSUE_EXAMPLE})
    assert run_calc("skp-distribution", payload) == (
        0, {"fits": False, "violations": ["Baik 77,8% melebihi batas 70% untuk unit berpredikat Baik"]}
    )


def test_calculator_command_fitting_unit():
    payload = json.dumps({"unit_predikat": "istimewa", "counts": counts(sb=7, b=3)})
    assert run_calc("skp-distribution", payload) == (0, {"fits": True, "violations": []})


@pytest.mark.parametrize("data, message", [
    ({"counts": ISSUE_EXAMPLE}, "Kolom 'unit_predikat' wajib diisi"),
    ({"unit_predikat": "baik"}, "Kolom 'counts' wajib diisi"),
    ({"unit_predikat": "cukup", "counts": ISSUE_EXAMPLE}, "Kolom 'unit_predikat' harus salah satu dari"),
    ({"unit_predikat": "baik", "counts": [3, 14, 1, 0, 0]}, "Kolom 'counts' bertipe salah"),
    ({"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "cukup": 1}}, "predikat tidak dikenal: cukup"),
    ({"unit_predikat": "baik", "counts": {"baik": 3}}, "wajib memuat jumlah untuk: sangat_baik, butuh_perbaikan"),
    ({"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "kurang": -1}}, "'kurang' pada 'counts' harus bilangan"),
    ({"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "baik": 1.5}}, "'baik' pada 'counts' harus bilangan"),
    ({"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "baik": "14"}}, "'baik' pada 'counts' harus bilangan"),
    ({"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "kurang": True}}, "'kurang' pada 'counts' harus bilangan"),
])
def test_calculator_command_malformed_input_exits_2(data, message):
    code, body = run_calc("skp-distribution", json.dumps(data))
    assert code == 2
    assert message in body["error"]


def test_calculator_api(client_for, users):
    response = client_for(users.staff_a).post(
        "/api/v1/calculators/skp-distribution",
        {"unit_predikat": "sangat_kurang", "counts": counts(sb=1, b=4, sk=5)}, content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["fits"] is False and len(body["violations"]) == 3


def test_calculator_api_malformed_input_is_422(client_for, users):
    response = client_for(users.staff_a).post(
        "/api/v1/calculators/skp-distribution",
        {"unit_predikat": "baik", "counts": {**ISSUE_EXAMPLE, "baik": -2}}, content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Jumlah pegawai 'baik' pada 'counts' harus bilangan bulat 0 atau lebih.", "code": "invalid_input"
    }
