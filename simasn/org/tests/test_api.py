"""The read API of the org structure: shapes, filters, and JSON errors (never a 500)."""

import pytest

from simasn.org.tests.factories import OfficeLocationFactory, PositionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/org"
UNIT_KEYS = {"id", "name", "short_name", "code", "kind", "parent_id", "path", "depth", "is_active"}


def test_requires_authentication(client, org):
    response = client.get(f"{API}/units")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("role", ["admin_bkpsdm", "admin_opd_a", "pimpinan", "staff_b"])
def test_units_flat_list(org, users, client_for, role):
    data = client_for(getattr(users, role)).get(f"{API}/units").json()
    assert [u["name"] for u in data] == ["Dinas Alpha", "Bidang Alpha Satu", "Badan Beta"]  # tree order
    assert set(data[1]) == UNIT_KEYS
    assert data[1] == {
        "id": org.bidang_a.pk, "name": "Bidang Alpha Satu", "short_name": "", "code": org.bidang_a.code,
        "kind": "bidang", "parent_id": org.opd_a.pk, "path": org.bidang_a.path, "depth": 1, "is_active": True}


def test_units_filters(org, users, client_for):
    client = client_for(users.staff_a)
    assert [u["id"] for u in client.get(f"{API}/units", {"parent": org.opd_a.pk}).json()] == [org.bidang_a.pk]
    assert [u["name"] for u in client.get(f"{API}/units", {"q": "beta"}).json()] == ["Badan Beta"]
    bad = client.get(f"{API}/units", {"parent": "abc"})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_unit_detail(org, users, client_for):
    loc = OfficeLocationFactory(unit=org.bidang_a, polygon=[[-3.99, 122.51], [-3.991, 122.51], [-3.99, 122.511]])
    data = client_for(users.staff_b).get(f"{API}/units/{org.bidang_a.pk}").json()
    assert set(data) >= UNIT_KEYS and data["merged_into_id"] is None
    assert [a["id"] for a in data["ancestors"]] == [org.opd_a.pk]
    assert data["children"] == []
    staf = next(p for p in data["positions"] if p["id"] == org.staf_a.pk)
    assert staf == {"id": org.staf_a.pk, "name": "Analis Alpha", "unit_id": org.bidang_a.pk,
                    "parent_id": org.kabid_a.pk, "jabatan_type": "pelaksana", "jf_level": "", "kelas_jabatan": 7,
                    "is_active": True, "holders": sorted([org.staff_a.full_name, org.staff_a2.full_name])}
    assert data["locations"] == [{
        "id": loc.pk, "unit_id": org.bidang_a.pk, "name": loc.name, "address": "", "latitude": -3.99,
        "longitude": 122.51, "radius_m": 100, "polygon": [[-3.99, 122.51], [-3.991, 122.51], [-3.99, 122.511]],
        "timezone": "Asia/Makassar", "is_active": True}]


def test_unknown_unit_is_json_404(org, users, client_for):
    response = client_for(users.staff_a).get(f"{API}/units/999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client_for(users.staff_a).get(f"{API}/positions", {"unit": 999999}).status_code == 404


def test_positions_by_unit(org, users, client_for):
    PositionFactory(unit=org.opd_a, name="Lama", is_active=False)
    client = client_for(users.pimpinan)
    names = [p["name"] for p in client.get(f"{API}/positions", {"unit": org.opd_a.pk}).json()]
    assert names == ["Kepala Dinas Alpha"]
    subtree = client.get(f"{API}/positions", {"unit": org.opd_a.pk, "include_subtree": True}).json()
    assert {p["name"] for p in subtree} == {"Kepala Dinas Alpha", "Kepala Bidang Alpha Satu", "Analis Alpha"}
    assert len(client.get(f"{API}/positions").json()) == 5


def test_positions_list_has_constant_queries(org, users, client_for, django_assert_max_num_queries):
    client = client_for(users.staff_a)
    client.get(f"{API}/positions")
    with django_assert_max_num_queries(6) as ctx:
        client.get(f"{API}/positions")
    PositionFactory.create_batch(20, unit=org.opd_b, parent=org.kepala_b)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert len(client.get(f"{API}/positions").json()) == 25


def test_locations_by_unit(org, users, client_for):
    a = OfficeLocationFactory(unit=org.opd_a)
    b = OfficeLocationFactory(unit=org.bidang_a)
    OfficeLocationFactory(unit=org.opd_b)
    client = client_for(users.staff_a)
    assert [x["id"] for x in client.get(f"{API}/locations", {"unit": org.opd_a.pk}).json()] == [a.pk]
    assert [x["id"] for x in client.get(f"{API}/locations", {"unit": org.opd_a.pk, "include_subtree": "true"}
                                        ).json()] == [a.pk, b.pk]
    assert len(client.get(f"{API}/locations").json()) == 3
