"""Regulation calculators: one registry behind `manage.py calc`, the API and the Kalkulator Regulasi page."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from simasn.core import calc
from simasn.core.calc import CalcInputError, Calculator


def _double(data: dict) -> dict:
    x = calc.require(data, "x", int)
    if x < 0:
        return {"valid": False, "errors": ["x tidak boleh negatif."]}
    return {"valid": True, "y": 2 * x}


@pytest.fixture
def doubler():
    """A throwaway calculator, removed again so no other test sees it."""
    calculator = calc.register(Calculator(
        name="uji-ganda", title="Uji Ganda", legal_source="Peraturan Uji Nomor 1 Tahun 2026",
        description="Menggandakan bilangan bulat x.", example={"x": 21}, compute=_double,
        rule_table=lambda: (["x", "y"], [["1", "2"], ["2", "4"]]),
    ))
    yield calculator
    calc.REGISTRY.pop(calculator.name, None)


def run_calc(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("calc", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), json.loads(out.getvalue())
    return 0, json.loads(out.getvalue())


# --------------------------------------------------------------------------- manage.py calc


def test_command_prints_one_json_object(doubler):
    assert run_calc("uji-ganda", '{"x": 4}') == (0, {"valid": True, "y": 8})


def test_command_rule_failure_is_an_answer_not_an_error(doubler):
    assert run_calc("uji-ganda", '{"x": -1}') == (0, {"valid": False, "errors": ["x tidak boleh negatif."]})


@pytest.mark.parametrize("payload, message", [
    ('{"x": 4', "JSON tidak valid"),
    ("[1, 2]", "objek JSON"),
    ('{"y": 4}', "Kolom 'x' wajib diisi"),
    ('{"x": "4"}', "bertipe salah"),
    ('{"x": true}', "bertipe salah"),
])
def test_command_malformed_input_exits_2_with_a_json_error(doubler, payload, message):
    code, body = run_calc("uji-ganda", payload)
    assert code == 2
    assert message in body["error"]


def test_command_unknown_calculator_exits_2(doubler):
    code, body = run_calc("tidak-ada", "{}")
    assert code == 2
    assert "tidak dikenal" in body["error"] and "uji-ganda" in body["error"]


def test_command_reads_stdin_when_no_payload(doubler, monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO('{"x": 5}'))
    assert run_calc("uji-ganda") == (0, {"valid": True, "y": 10})


def test_run_refuses_a_non_object(doubler):
    with pytest.raises(CalcInputError, match="objek JSON"):
        calc.run("uji-ganda", [4])


# --------------------------------------------------------------------------- UI


def test_calculator_pages_need_login(client, doubler):
    for url in (reverse("core:calculators"), reverse("core:calculator", args=["uji-ganda"])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_list_shows_every_calculator_with_its_legal_source(client_for, users, doubler):
    response = client_for(users.staff_a).get(reverse("core:calculators"))
    assert response.status_code == 200
    for c in calc.REGISTRY.values():
        assert c.title in response.text
        assert c.legal_source in response.text
    assert reverse("core:calculator", args=["uji-ganda"]) in response.text


def test_detail_shows_rule_table_source_and_prefilled_example(client_for, users, doubler):
    response = client_for(users.pimpinan).get(reverse("core:calculator", args=["uji-ganda"]))
    assert response.status_code == 200
    assert "Peraturan Uji Nomor 1 Tahun 2026" in response.text
    assert "<th scope=\"col\">x</th>" in response.text
    assert "&quot;x&quot;: 21" in response.text
    assert 'hx-post="/kalkulator/uji-ganda/"' in response.text


def test_unknown_calculator_page_is_404(client_for, users):
    assert client_for(users.staff_a).get(reverse("core:calculator", args=["tidak-ada"])).status_code == 404


def test_submit_without_javascript_renders_the_whole_page_with_the_result(client_for, users, doubler):
    response = client_for(users.staff_a).post(reverse("core:calculator", args=["uji-ganda"]), {"payload": '{"x": 4}'})
    assert response.status_code == 200
    assert "<html" in response.text
    assert "&quot;y&quot;: 8" in response.text


def test_htmx_submit_returns_only_the_result_fragment(client_for, users, doubler):
    response = client_for(users.staff_a).post(
        reverse("core:calculator", args=["uji-ganda"]), {"payload": '{"x": 4}'}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="hasil-kalkulator"' in response.text and "&quot;y&quot;: 8" in response.text


@pytest.mark.parametrize("payload, message", [
    ('{"x": ', "JSON tidak valid"),
    ('"teks"', "Masukan harus berupa objek JSON"),
    ('{"y": 1}', "Kolom &#x27;x&#x27; wajib diisi"),
    ("", "wajib diisi"),
])
def test_bad_input_gets_an_indonesian_message(client_for, users, doubler, payload, message):
    response = client_for(users.staff_a).post(
        reverse("core:calculator", args=["uji-ganda"]), {"payload": payload}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "alert-danger" in response.text and message in response.text


# --------------------------------------------------------------------------- API


def test_api_lists_calculators_with_examples(client_for, users, doubler):
    response = client_for(users.staff_b).get("/api/v1/calculators")
    assert response.status_code == 200
    item = next(c for c in response.json() if c["name"] == "uji-ganda")
    assert item == {"name": "uji-ganda", "title": "Uji Ganda", "legal_source": "Peraturan Uji Nomor 1 Tahun 2026",
                    "description": "Menggandakan bilangan bulat x.", "example": {"x": 21}}


def test_api_runs_a_calculator(client_for, users, doubler):
    response = client_for(users.staff_b).post(
        "/api/v1/calculators/uji-ganda", {"x": 4}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"valid": True, "y": 8}


def test_api_unknown_calculator_is_404_json(client_for, users):
    response = client_for(users.staff_b).post("/api/v1/calculators/tidak-ada", {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_malformed_input_is_422_invalid_input(client_for, users, doubler):
    response = client_for(users.staff_b).post("/api/v1/calculators/uji-ganda", {"x": "4"},
                                              content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": "Kolom 'x' bertipe salah.", "code": "invalid_input"}


@pytest.mark.parametrize("body", ["[1, 2]", '{"x": 4', "7"])
def test_api_body_that_is_not_a_json_object_is_422(client_for, users, doubler, body):
    response = client_for(users.staff_b).post("/api/v1/calculators/uji-ganda", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_api_needs_authentication(client, doubler):
    assert client.get("/api/v1/calculators").status_code == 401
    response = client.post("/api/v1/calculators/uji-ganda", {"x": 4}, content_type="application/json")
    assert response.status_code == 401


def test_every_registered_calculator_answers_its_own_example(client_for, users, doubler):
    """Whatever the apps register (nip and later ones), the example each ships runs everywhere."""
    client = client_for(users.staff_a)
    for name, c in calc.REGISTRY.items():
        api = client.post(f"/api/v1/calculators/{name}", c.example, content_type="application/json")
        assert api.status_code == 200, (name, api.content)
        assert api.json() == json.loads(json.dumps(c.compute(c.example)))
        assert run_calc(name, json.dumps(c.example)) == (0, api.json())
        page = client.post(reverse("core:calculator", args=[name]), {"payload": json.dumps(c.example)})
        assert page.status_code == 200 and "alert-danger" not in page.text, name


def test_calculator_endpoints_are_in_the_openapi_spec(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/calculators", "/api/v1/calculators/{name}"} <= paths.keys()
    responses = paths["/api/v1/calculators/{name}"]["post"]["responses"]
    assert {"200", "404", "422"} <= responses.keys()
