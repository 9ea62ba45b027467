"""The working-days calculator: the same answer from `manage.py calc`, the API and the calculator page."""

from __future__ import annotations

import datetime as dt
import html
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from simasn.workcalendar import services

EXAMPLE = {"start": "2026-03-16", "end": "2026-03-27"}
ANSWER = {
    "working_days": 5,
    "holidays": [
        {"date": "2026-03-18", "name": "Cuti Bersama Hari Suci Nyepi"},
        {"date": "2026-03-19", "name": "Hari Suci Nyepi"},
        {"date": "2026-03-20", "name": "Cuti Bersama Hari Raya Idul Fitri"},
        {"date": "2026-03-23", "name": "Cuti Bersama Hari Raya Idul Fitri"},
        {"date": "2026-03-24", "name": "Cuti Bersama Hari Raya Idul Fitri"},
    ],
}
BAD = [
    ({"start": "2026-03-27", "end": "2026-03-16"}, "tidak boleh sebelum"),
    ({"start": "2026-01-01", "end": "2027-02-05"}, "rentang maksimal 366 hari"),
    ({"start": "2025-02-29", "end": "2025-03-05"}, "tidak ada"),
    ({"start": 20260316, "end": "2026-03-27"}, "tanggal teks"),
    ({"start": "16-03-2026", "end": "2026-03-27"}, "YYYY-MM-DD"),
    ({"end": "2026-03-27"}, "wajib diisi"),
    ({**EXAMPLE, "unit_id": 999999}, "tidak ditemukan"),
    ({**EXAMPLE, "unit_id": "1"}, "bilangan bulat"),
]


@pytest.fixture
def national(db):
    services.sync_holidays(years=[2025, 2026])


def calc(payload: dict) -> dict:
    out = StringIO()
    call_command("calc", "working-days", json.dumps(payload), stdout=out)
    return json.loads(out.getvalue())


def test_cli_answers_the_issue_example(national):
    assert calc(EXAMPLE) == ANSWER


def test_a_whole_leap_year_is_allowed(national):
    assert calc({"start": "2024-01-01", "end": "2024-12-31"})["working_days"] == 262  # no 2024 holidays loaded


def test_cli_with_a_unit_that_works_on_the_holiday(national, org, users):
    services.unit_exception_create(actor=users.admin_bkpsdm, unit=org.opd_a, date=dt.date(2026, 3, 23))
    answer = calc({**EXAMPLE, "unit_id": org.bidang_a.pk})
    assert answer["working_days"] == 6
    assert "2026-03-23" not in [h["date"] for h in answer["holidays"]]


@pytest.mark.parametrize(("payload", "message"), BAD)
def test_cli_refuses_bad_input_with_exit_code_2(national, payload, message):
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("calc", "working-days", json.dumps(payload), stdout=out)
    assert exited.value.code == 2
    assert message in json.loads(out.getvalue())["error"]


def test_api_working_days(national, client_for, users):
    response = client_for(users.staff_a).get("/api/v1/calendar/working-days", EXAMPLE)
    assert response.status_code == 200
    assert response.json() == ANSWER


@pytest.mark.parametrize(("payload", "message"), [b for b in BAD if isinstance(b[0].get("start", ""), str)
                                                  and not isinstance(b[0].get("unit_id", 0), str)])
def test_api_refuses_bad_input_with_422(national, client_for, users, payload, message):
    response = client_for(users.staff_a).get("/api/v1/calendar/working-days", payload)
    assert response.status_code == 422
    assert response.json()["code"] in {"invalid_input", "validation_error"}
    if "start" in payload:
        assert message in response.json()["detail"]


def test_api_holidays_of_a_year(national, client_for, users):
    response = client_for(users.staff_a).get("/api/v1/calendar/holidays", {"year": 2026})
    assert response.status_code == 200
    rows = response.json()
    assert rows[0] == {"id": rows[0]["id"], "date": "2026-01-01", "name": "Tahun Baru Masehi",
                       "category": "libur_nasional", "source": "holidays_package",
                       "legal_basis": rows[0]["legal_basis"]}
    assert {r["date"][:4] for r in rows} == {"2026"}


def test_api_needs_a_login(national, client):
    assert client.get("/api/v1/calendar/holidays").status_code == 401


def test_the_generic_calculator_endpoint_has_it(national, client_for, users):
    response = client_for(users.staff_a).post("/api/v1/calculators/working-days", EXAMPLE,
                                              content_type="application/json")
    assert response.json() == ANSWER


@pytest.mark.parametrize("name", ["working-days", "leave-carryover"])
def test_the_calculator_page_shows_the_rule_table_and_answers(national, client_for, users, name):
    client = client_for(users.staff_a)
    url = reverse("core:calculator", args=[name])
    page = client.get(url).content.decode()
    assert "Perpres 21/2023" in page if name == "working-days" else "PP 11/2017" in page
    response = client.post(url, {"payload": json.dumps(EXAMPLE if name == "working-days" else {
        "employee_type": "PNS", "year": 2025, "used_by_year": {"2023": 12, "2024": 4}})})
    expected = '"working_days": 5' if name == "working-days" else '"entitlement_days": 18'
    assert expected in html.unescape(response.content.decode())
