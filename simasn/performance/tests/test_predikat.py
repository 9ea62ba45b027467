"""Predikat kinerja pegawai, PermenPANRB 6/2022 (DOMAIN §6): hasil kerja × perilaku kerja."""

import json

import pytest
from django.urls import reverse

from simasn.core.testing import run_calc
from simasn.performance.predikat import predikat_for
from simasn.performance.rules_data import PREDIKAT_MATRIX, RATINGS

# hasil \ perilaku     Di Bawah            Sesuai              Di Atas
REGULATION_TABLE = {
    "di_atas":  ("kurang",          "baik",            "sangat_baik"),
    "sesuai":   ("kurang",          "baik",            "baik"),
    "di_bawah": ("sangat_kurang",   "butuh_perbaikan", "butuh_perbaikan"),
}
PERILAKU_COLUMNS = ("di_bawah", "sesuai", "di_atas")
CELLS = [
    (hasil, perilaku, predikat)
    for hasil, row in REGULATION_TABLE.items()
    for perilaku, predikat in zip(PERILAKU_COLUMNS, row, strict=True)
]


def test_the_table_covers_all_nine_cells():
    assert len(CELLS) == 9
    assert {(h, p) for h, p, _ in CELLS} == set(PREDIKAT_MATRIX)


@pytest.mark.parametrize("hasil, perilaku, predikat", CELLS)
def test_predikat_follows_the_matrix(hasil, perilaku, predikat):
    assert predikat_for(hasil, perilaku) == predikat


@pytest.mark.parametrize("hasil", ["di_atas", "sesuai"])
def test_good_results_with_perilaku_below_expectation_is_kurang_misconduct(hasil):
    assert predikat_for(hasil, "di_bawah") == "kurang"


def test_sangat_baik_needs_both_above_expectation():
    sangat_baik = [(h, p) for h, p, predikat in CELLS if predikat == "sangat_baik"]
    assert sangat_baik == [("di_atas", "di_atas")]


@pytest.mark.parametrize("hasil, perilaku", [("istimewa", "sesuai"), ("sesuai", "Sesuai"), ("", "di_atas")])
def test_unknown_rating_is_refused(hasil, perilaku):
    with pytest.raises(ValueError, match="tidak dikenal"):
        predikat_for(hasil, perilaku)


# --------------------------------------------------------------------------- calculator skp-predikat


@pytest.mark.parametrize("hasil, perilaku, predikat", CELLS)
def test_calculator_command_answers_every_cell(hasil, perilaku, predikat):
    assert run_calc("skp-predikat", json.dumps({"hasil": hasil, "perilaku": perilaku})) == (0, {"predikat": predikat})


@pytest.mark.parametrize("payload, message", [
    ('{"perilaku": "sesuai"}', "Kolom 'hasil' wajib diisi"),
    ('{"hasil": "sesuai"}', "Kolom 'perilaku' wajib diisi"),
    ('{"hasil": "baik", "perilaku": "sesuai"}', "Kolom 'hasil' harus salah satu dari: di_atas, sesuai, di_bawah"),
    ('{"hasil": "sesuai", "perilaku": "di atas"}', "Kolom 'perilaku' harus salah satu dari"),
    ('{"hasil": 1, "perilaku": "sesuai"}', "Kolom 'hasil' bertipe salah"),
    ('{"hasil": "sesuai", "perilaku": true}', "Kolom 'perilaku' bertipe salah"),
])
def test_calculator_command_malformed_input_exits_2(payload, message):
    code, body = run_calc("skp-predikat", payload)
    assert code == 2
    assert message in body["error"]


def test_calculator_api(client_for, users):
    response = client_for(users.staff_a).post(
        "/api/v1/calculators/skp-predikat", {"hasil": "sesuai", "perilaku": "di_bawah"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"predikat": "kurang"}


def test_calculator_api_malformed_input_is_422(client_for, users):
    response = client_for(users.staff_a).post(
        "/api/v1/calculators/skp-predikat", {"hasil": "luar_biasa", "perilaku": "sesuai"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "Kolom 'hasil' harus salah satu dari" in response.json()["detail"]


def test_calculator_page_shows_the_matrix(client_for, users):
    response = client_for(users.staff_a).get(reverse("core:calculator", args=["skp-predikat"]))
    assert response.status_code == 200
    assert "Sangat Kurang" in response.text and "Butuh Perbaikan" in response.text
    assert "Lampiran: kuadran predikat kinerja pegawai" in response.text


def test_every_rating_has_an_indonesian_label():
    assert RATINGS == {"di_atas": "Di Atas Ekspektasi", "sesuai": "Sesuai Ekspektasi",
                       "di_bawah": "Di Bawah Ekspektasi"}
