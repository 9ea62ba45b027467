"""GET /api/v1/employees and /api/v1/employees/{id}: shapes, filters, paging and JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.employees import services
from simasn.employees.tests.master_support import pdf_upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/employees"


@pytest.fixture
def admin(users, client_for):
    return client_for(users.admin_bkpsdm)


def test_list_shape(org, admin):
    response = admin.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page", "page_size", "results"}
    assert (body["count"], body["page"], body["page_size"]) == (5, 1, 25)
    first = next(r for r in body["results"] if r["id"] == org.staff_a.pk)
    assert first == {
        "id": org.staff_a.pk, "nip": org.staff_a.nip, "kind": "PNS", "full_name": org.staff_a.full_name,
        "name": org.staff_a.name, "golongan": "III/a", "status": "aktif",
        "unit": {"id": org.bidang_a.pk, "name": "Bidang Alpha Satu"},
        "position": {"id": org.staf_a.pk, "name": "Analis Alpha"},
        "retirement_date": org.staff_a.retirement_date.isoformat(),
    }
    assert "nik" not in first


@pytest.mark.parametrize(
    ("params", "count"),
    [({"q": "Pegawai Uji"}, 5), ({"unit_id": "{opd_a}"}, 4), ({"golongan": "IV/a"}, 1), ({"kind": "PPPK"}, 0),
     ({"status": "pensiun"}, 0)],
)
def test_list_filters(org, admin, params, count):
    params = {k: v.format(opd_a=org.opd_a.pk) for k, v in params.items()}
    assert admin.get(URL, params).json()["count"] == count


def test_paging(org, admin):
    page1 = admin.get(URL, {"page_size": 2}).json()
    page3 = admin.get(URL, {"page_size": 2, "page": 3}).json()
    assert (page1["count"], len(page1["results"]), len(page3["results"])) == (5, 2, 1)
    assert admin.get(URL, {"page_size": 2, "page": 99}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"page": "satu"}, {"kind": "HONORER"}, {"status": "cuti"},
     {"golongan": "Z/z"}, {"unit_id": "abc"}, {"q": "x" * 101}],
)
def test_bad_query_parameters_are_a_422_json_error(org, admin, params):
    response = admin.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["detail"] == "Data yang dikirim tidak valid."


def test_the_api_list_is_scoped_like_the_page(org, users, client_for):
    body = client_for(users.admin_opd_a).get(URL).json()
    assert body["count"] == 4 and org.staff_b.pk not in {r["id"] for r in body["results"]}
    kabid = client_for(users.kabid).get(URL).json()
    assert {r["id"] for r in kabid["results"]} == {org.kabid.pk, org.staff_a.pk, org.staff_a2.pk}


def test_a_staff_member_gets_a_403_json_for_the_list(org, users, client_for):
    response = client_for(users.staff_a).get(URL)
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda tidak berwenang melihat daftar pegawai.", "code": "forbidden"}


def test_detail_shape_with_histories_and_no_file_paths(org, users, admin, media_root):
    services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a,
                             data={"golongan": "III/b", "tmt_golongan": dt.date(2024, 4, 1)})
    entry = services.history_add(actor=users.admin_bkpsdm, employee=org.staff_a, kind="pangkat",
                                 data={"golongan": "III/a", "tmt": dt.date(2020, 4, 1), "sk_number": "SK-1"},
                                 sk_file=pdf_upload())
    response = admin.get(f"{URL}/{org.staff_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["nik_masked"] == org.staff_a.masked_nik and org.staff_a.nik not in response.content.decode()
    assert body["golongan_label"] == "III/b (Penata Muda Tingkat I)"
    assert body["position"] == {"id": org.staf_a.pk, "name": "Analis Alpha", "jabatan_type": "pelaksana",
                                "jf_level": "", "kelas_jabatan": 7}
    assert body["atasan"] == [{"id": org.kabid.pk, "nip": org.kabid.nip, "full_name": org.kabid.full_name}]
    assert [h["golongan"] for h in body["rank_history"]] == ["III/b", "III/a"]
    with_sk = body["rank_history"][1]
    assert with_sk == {"id": entry.pk, "sk_number": "SK-1", "sk_date": None, "has_sk_file": True,
                       "golongan": "III/a", "golongan_label": "III/a (Penata Muda)", "tmt": "2020-04-01"}
    assert entry.sk_file.name not in response.content.decode()
    assert body["position_history"] == [] and body["education_history"] == []
    assert body["has_photo"] is False


def test_out_of_scope_and_missing_are_the_same_404(org, users, client_for):
    client = client_for(users.admin_opd_a)
    out_of_scope = client.get(f"{URL}/{org.staff_b.pk}")
    missing = client.get(f"{URL}/999999")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json() == {"detail": "Pegawai tidak ditemukan.", "code": "not_found"}


def test_retirement_endpoint(org, users, client_for):
    body = client_for(users.staff_a).get(f"{URL}/{org.head_a.pk}/retirement")
    assert body.status_code == 404  # not his to see
    body = client_for(users.inspektorat).get(f"{URL}/{org.head_a.pk}/retirement").json()
    assert body["bup_age"] == 60 and body["jabatan_type"] == "jpt_pratama"
    assert body["retirement_date"] == org.head_a.retirement_date.isoformat()


def test_the_openapi_schema_documents_the_employee_endpoints(admin):
    paths = admin.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/employees", "/api/v1/employees/{employee_id}",
            "/api/v1/employees/{employee_id}/retirement"} <= set(paths)
