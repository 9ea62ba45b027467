"""The permission matrix: every role × every employee page and endpoint.

The object is staff A (pelaksana in Bidang Alpha Satu, under Dinas Alpha), except for "admin OPD A → staff B",
which asks for an employee of another OPD. A missing and a forbidden object look the same (404); an object
the viewer may read but not act on is a 403.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from simasn.conftest import user_for
from simasn.core.models import AuditEvent
from simasn.employees import services
from simasn.employees.tests.master_support import JPEG, pdf_upload, upload

pytestmark = pytest.mark.django_db

# viewer (a `users` attribute, or "colleague" = staff A2 who holds the same position as staff A), target
VIEWERS = {
    "admin_bkpsdm": ("admin_bkpsdm", "staff_a"),
    "admin_opd_in_scope": ("admin_opd_a", "staff_a"),
    "admin_opd_out_of_scope": ("admin_opd_a", "staff_b"),
    "pimpinan": ("pimpinan", "staff_a"),
    "inspektorat": ("inspektorat", "staff_a"),
    "atasan_kabid": ("kabid", "staff_a"),
    "staff_self": ("staff_a", "staff_a"),
    "colleague_same_position": ("colleague", "staff_a"),
    "other_staff": ("staff_b", "staff_a"),
}
ENDPOINTS = ("list", "detail", "edit", "reveal_nik", "photo", "sk", "api_list", "api_detail")
MATRIX = {
    #                          list detail edit nik  photo sk   api_list api_detail
    "admin_bkpsdm":           (200, 200, 200, 200, 200, 200, 200, 200),
    "admin_opd_in_scope":     (200, 200, 200, 200, 200, 200, 200, 200),
    "admin_opd_out_of_scope": (200, 404, 404, 404, 404, 404, 200, 404),
    "pimpinan":               (200, 200, 403, 403, 200, 200, 200, 200),
    "inspektorat":            (200, 200, 403, 200, 200, 200, 200, 200),
    "atasan_kabid":           (200, 200, 403, 403, 200, 200, 200, 200),
    "staff_self":             (403, 200, 403, 200, 200, 200, 403, 200),
    "colleague_same_position": (403, 404, 404, 404, 404, 404, 403, 404),
    "other_staff":            (403, 404, 404, 404, 404, 404, 403, 404),
}
CASES = [
    pytest.param(viewer, endpoint, MATRIX[viewer][i], id=f"{viewer}-{endpoint}")
    for viewer in VIEWERS for i, endpoint in enumerate(ENDPOINTS)
]


@pytest.fixture
def documents(org, users, media_root):
    """Staff A and staff B each have a photo and a rank history with an SK scan."""
    entries = {}
    for target in (org.staff_a, org.staff_b):
        services.employee_update(actor=users.admin_bkpsdm, employee=target, data={},
                                 photo=upload(JPEG, "foto.jpg", "image/jpeg"))
        entries[target.pk] = services.history_add(
            actor=users.admin_bkpsdm, employee=target, kind="pangkat",
            data={"golongan": "III/b", "tmt": dt.date(2023, 4, 1)}, sk_file=pdf_upload())
    return entries


def request(client, endpoint: str, employee, entry):
    pk = employee.pk
    if endpoint == "list":
        return client.get(reverse("employees:list"))
    if endpoint == "detail":
        return client.get(reverse("employees:detail", args=[pk]))
    if endpoint == "edit":
        return client.get(reverse("employees:edit", args=[pk]))
    if endpoint == "reveal_nik":
        return client.post(reverse("employees:reveal_nik", args=[pk]), headers={"HX-Request": "true"})
    if endpoint == "photo":
        return client.get(reverse("employees:photo", args=[pk]))
    if endpoint == "sk":
        return client.get(reverse("employees:history_sk", args=[pk, "pangkat", entry.pk]))
    if endpoint == "api_list":
        return client.get("/api/v1/employees")
    return client.get(f"/api/v1/employees/{pk}")


@pytest.mark.parametrize(("viewer", "endpoint", "expected"), CASES)
def test_permission_matrix(org, users, documents, client_for, viewer, endpoint, expected):
    who, target_name = VIEWERS[viewer]
    user = user_for(org.staff_a2) if who == "colleague" else getattr(users, who)
    target = getattr(org, target_name)
    response = request(client_for(user), endpoint, target, documents[target.pk])
    assert response.status_code == expected, response.content[:300]
    if endpoint.startswith("api") and expected != 200:
        assert response.json()["code"] in {"not_found", "forbidden"}


@pytest.mark.parametrize("viewer", ["admin_bkpsdm", "admin_opd_in_scope", "pimpinan", "atasan_kabid"])
def test_the_list_shows_only_employees_in_scope(org, users, client_for, viewer):
    who, _ = VIEWERS[viewer]
    body = client_for(getattr(users, who)).get(reverse("employees:list")).content.decode()
    assert (org.staff_b.name in body) is (viewer in {"admin_bkpsdm", "pimpinan"})
    assert org.staff_a.name in body


def test_anonymous_visitors_are_sent_to_the_login_page_and_the_api_answers_401(org, client):
    for name, args in [("list", []), ("detail", [org.staff_a.pk]), ("me", []), ("photo", [org.staff_a.pk]),
                       ("retirements", [])]:
        response = client.get(reverse(f"employees:{name}", args=args))
        assert response.status_code == 302 and "/akun/" in response["Location"]
    assert client.get("/api/v1/employees").status_code == 401
    assert client.get(f"/api/v1/employees/{org.staff_a.pk}").status_code == 401


@pytest.mark.parametrize(
    ("who", "create", "retirements", "history_add"),
    [("admin_bkpsdm", 200, 200, 200), ("admin_opd_a", 200, 200, 200), ("pimpinan", 403, 200, 403),
     ("inspektorat", 403, 200, 403), ("kabid", 403, 403, 403), ("staff_a", 403, 403, 403)],
)
def test_admin_pages(org, users, client_for, who, create, retirements, history_add):
    client = client_for(getattr(users, who))
    assert client.get(reverse("employees:create")).status_code == create
    assert client.get(reverse("employees:retirements")).status_code == retirements
    assert client.get(reverse("employees:history_add", args=[org.staff_a.pk, "pangkat"])).status_code == history_add


def test_every_sk_read_is_audited_and_a_refused_one_is_not(org, users, documents, client_for):
    entry = documents[org.staff_a.pk]
    url = reverse("employees:history_sk", args=[org.staff_a.pk, "pangkat", entry.pk])
    AuditEvent.objects.all().delete()  # keep the fixture's writes out of the count (the chain is not checked here)
    assert client_for(users.pimpinan).get(url).status_code == 200
    assert client_for(users.staff_b).get(url).status_code == 404
    events = AuditEvent.objects.filter(action="employees.sk_viewed")
    assert [(e.actor_id, e.object_id) for e in events] == [(users.pimpinan.pk, str(entry.pk))]


def test_an_sk_of_one_employee_cannot_be_fetched_through_another(org, users, documents, client_for):
    foreign = documents[org.staff_b.pk]
    url = reverse("employees:history_sk", args=[org.staff_a.pk, "pangkat", foreign.pk])
    assert client_for(users.admin_opd_a).get(url).status_code == 404
