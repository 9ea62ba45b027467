"""Org screens: everyone reads the structure; only admins in scope write it (404 outside, 403 not allowed)."""

import datetime as dt

import pytest
from django.urls import reverse

from simasn.employees.models import Employee
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import OfficeLocation, Position, Unit, UnitHistory, UnitKind
from simasn.org.tests.factories import OfficeLocationFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db

READERS = ["admin_bkpsdm", "admin_opd_a", "pimpinan", "inspektorat", "kabid", "staff_a", "staff_b"]


def url(name, *args):
    return reverse(f"org:{name}", args=args)


@pytest.mark.parametrize("role", READERS)
def test_everyone_logged_in_reads_tree_and_detail(org, users, client_for, role):
    client = client_for(getattr(users, role))
    tree = client.get(url("unit_tree"))
    assert tree.status_code == 200
    assert "Dinas Alpha" in tree.text and "Badan Beta" in tree.text
    detail = client.get(url("unit_detail", org.bidang_a.pk))
    assert detail.status_code == 200
    assert "Analis Alpha" in detail.text and org.staff_a.full_name in detail.text  # holders shown
    assert "Dinas Alpha" in detail.text  # breadcrumb


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(url("unit_tree"))
    assert response.status_code == 302 and "/akun/" in response["Location"]


def test_edit_buttons_only_for_writers(org, users, client_for):
    edit_link = url("unit_edit", org.bidang_a.pk)
    assert edit_link in client_for(users.admin_bkpsdm).get(url("unit_detail", org.bidang_a.pk)).text
    assert edit_link in client_for(users.admin_opd_a).get(url("unit_detail", org.bidang_a.pk)).text
    for role in ("pimpinan", "kabid", "staff_a"):
        page = client_for(getattr(users, role)).get(url("unit_detail", org.bidang_a.pk)).text
        assert edit_link not in page and url("position_create") not in page
    other = client_for(users.admin_opd_a).get(url("unit_detail", org.opd_b.pk)).text
    assert url("unit_edit", org.opd_b.pk) not in other
    own_root = client_for(users.admin_opd_a).get(url("unit_detail", org.opd_a.pk)).text
    assert url("unit_edit", org.opd_a.pk) in own_root and url("unit_delete", org.opd_a.pk) not in own_root


def test_tree_search_htmx_fragment(org, users, client_for):
    response = client_for(users.staff_a).get(url("unit_tree"), {"q": "satu"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Bidang Alpha Satu" in response.text and "Dinas Alpha" in response.text  # ancestor kept
    assert "Badan Beta" not in response.text


def test_tree_page_query_count_is_constant(org, users, client_for, django_assert_max_num_queries):
    client = client_for(users.admin_opd_a)
    client.get(url("unit_tree"))  # warm up session and caches
    with django_assert_max_num_queries(9) as small:
        client.get(url("unit_tree"))
    parents = [org.opd_a, org.opd_b]
    for i in range(60):
        unit = UnitFactory(parent=parents[i % 2], kind=UnitKind.BIDANG)
        parents.append(unit)
        Employee.objects.filter(pk=org.staff_b.pk).update(unit=unit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url("unit_tree")).status_code == 200
    fragment = client.get(url("unit_tree"), HTTP_HX_REQUEST="true").text
    assert fragment.count("<li>") == 63


def test_admin_creates_unit_under_parent(org, users, client_for):
    client = client_for(users.admin_opd_a)
    assert client.get(url("unit_create") + f"?parent={org.bidang_a.pk}").status_code == 200
    response = client.post(url("unit_create") + f"?parent={org.bidang_a.pk}", {
        "name": "Seksi Pengadaan", "code": "A-1-2", "kind": UnitKind.SEKSI, "parent": org.bidang_a.pk,
        "legal_basis": "Perwali 7/2025"})
    unit = Unit.objects.get(code="A-1-2")
    assert response.status_code == 302 and response["Location"] == url("unit_detail", unit.pk)
    assert unit.path == f"{org.bidang_a.path}{unit.pk}/"


def test_form_shows_indonesian_field_errors(org, users, client_for):
    response = client_for(users.admin_bkpsdm).post(url("unit_create"), {
        "name": "Dinas Lain", "code": org.opd_a.code, "kind": UnitKind.DINAS})
    assert response.status_code == 200
    assert "sudah dipakai oleh Dinas Alpha" in response.text and "is-invalid" in response.text


def test_move_into_own_subtree_shows_cycle_error(org, users, client_for):
    seksi = UnitFactory(parent=org.bidang_a, kind=UnitKind.SEKSI)
    # BKPSDM may pick any unit in the form except the unit's own subtree: a forged POST is refused too.
    response = client_for(users.admin_bkpsdm).post(url("unit_edit", org.opd_a.pk), {
        "name": "Dinas Alpha", "code": org.opd_a.code, "kind": UnitKind.DINAS, "parent": seksi.pk,
        "is_active": "on"})
    assert response.status_code == 200 and "is-invalid" in response.text
    assert Unit.objects.get(pk=org.opd_a.pk).parent_id is None


def test_rename_through_form_records_history(org, users, client_for):
    response = client_for(users.admin_bkpsdm).post(url("unit_edit", org.opd_b.pk), {
        "name": "Badan Beta Baru", "code": org.opd_b.code, "kind": UnitKind.BADAN, "is_active": "on",
        "effective_date": "2025-02-01", "legal_basis": "Perwali 2/2025"})
    assert response.status_code == 302
    entry = UnitHistory.objects.get(unit=org.opd_b, change=UnitHistory.Change.RENAMED)
    assert entry.old_name == "Badan Beta" and entry.effective_date == dt.date(2025, 2, 1)
    page = client_for(users.staff_b).get(url("unit_detail", org.opd_b.pk)).text
    assert "Ganti nama" in page and "Perwali 2/2025" in page


class TestScope:
    def test_admin_opd_gets_404_for_units_of_another_opd(self, org, users, client_for):
        client = client_for(users.admin_opd_a)
        for name in ("unit_edit", "unit_merge", "unit_delete"):
            assert client.get(url(name, org.opd_b.pk)).status_code == 404, name
        assert client.post(url("unit_edit", org.opd_b.pk), {"name": "X", "code": "X", "kind": "dinas"}
                           ).status_code == 404
        assert client.get(url("unit_create") + f"?parent={org.opd_b.pk}").status_code == 404
        assert client.get(url("position_edit", org.staf_b.pk)).status_code == 404
        assert client.get(url("position_create") + f"?unit={org.opd_b.pk}").status_code == 404
        loc = OfficeLocationFactory(unit=org.opd_b)
        assert client.get(url("location_edit", loc.pk)).status_code == 404
        assert Unit.objects.get(pk=org.opd_b.pk).name == "Badan Beta"

    def test_admin_opd_cannot_move_unit_out_of_subtree(self, org, users, client_for):
        response = client_for(users.admin_opd_a).post(url("unit_edit", org.bidang_a.pk), {
            "name": org.bidang_a.name, "code": org.bidang_a.code, "kind": UnitKind.BIDANG, "parent": org.opd_b.pk,
            "is_active": "on"})
        assert response.status_code == 200  # the other OPD is not a valid choice
        assert "parent" in response.context["form"].errors
        assert Unit.objects.get(pk=org.bidang_a.pk).parent_id == org.opd_a.pk

    def test_admin_opd_cannot_move_own_scope_root(self, org, users, client_for):
        client = client_for(users.admin_opd_a)
        response = client.post(url("unit_edit", org.opd_a.pk), {
            "name": "Dinas Alpha", "code": org.opd_a.code, "kind": UnitKind.DINAS, "parent": org.opd_b.pk})
        assert response.status_code == 302  # the parent field is disabled: the name is saved, the place is not
        assert Unit.objects.get(pk=org.opd_a.pk).parent_id is None
        assert client.get(url("unit_merge", org.opd_a.pk)).status_code == 403
        assert client.post(url("unit_delete", org.opd_a.pk)).status_code == 403

    @pytest.mark.parametrize("role", ["pimpinan", "inspektorat", "kabid", "staff_a"])
    def test_non_admins_get_403_on_every_form(self, org, users, client_for, role):
        client = client_for(getattr(users, role))
        loc = OfficeLocationFactory(unit=org.opd_a)
        for link in (url("unit_create"), url("unit_edit", org.bidang_a.pk), url("unit_merge", org.bidang_a.pk),
                     url("unit_delete", org.bidang_a.pk), url("position_create"), url("position_edit", org.staf_a.pk),
                     url("location_create"), url("location_edit", loc.pk)):
            assert client.get(link).status_code == 403, link
        assert client.post(url("unit_delete", org.bidang_a.pk)).status_code == 403
        assert Unit.objects.filter(pk=org.bidang_a.pk).exists()


def test_delete_page_explains_refusal(org, users, client_for):
    client = client_for(users.admin_bkpsdm)
    page = client.get(url("unit_delete", org.bidang_a.pk))
    assert "masih memiliki 3 pegawai dan 2 jabatan" in page.text
    response = client.post(url("unit_delete", org.bidang_a.pk))
    assert response.status_code == 409 and "3 pegawai" in response.text
    empty = UnitFactory(parent=org.opd_a)
    assert client.post(url("unit_delete", empty.pk)).status_code == 302
    assert not Unit.objects.filter(pk=empty.pk).exists()


def test_merge_form(org, users, client_for):
    client = client_for(users.admin_bkpsdm)
    assert "1 pegawai" in client.get(url("unit_merge", org.opd_b.pk)).text
    response = client.post(url("unit_merge", org.opd_b.pk), {
        "target": org.opd_a.pk, "effective_date": "2025-07-01", "legal_basis": "Perda 2/2025"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    response = client.post(url("unit_merge", org.opd_b.pk), {
        "target": org.opd_a.pk, "effective_date": "2025-07-01", "legal_basis": "Perda 2/2025", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url("unit_detail", org.opd_a.pk)
    assert Employee.objects.get(pk=org.staff_b.pk).unit_id == org.opd_a.pk
    assert "Digabung" in client.get(url("unit_detail", org.opd_b.pk)).text


def test_position_forms(org, users, client_for):
    client = client_for(users.admin_opd_a)
    page = client.get(url("position_create") + f"?unit={org.bidang_a.pk}")
    assert page.status_code == 200 and "Kepala Dinas Alpha" in page.text  # atasan candidates from ancestors
    assert "Kepala Badan Beta" not in page.text
    response = client.post(url("position_create") + f"?unit={org.bidang_a.pk}", {
        "name": "Pranata Komputer", "unit": org.bidang_a.pk, "parent": org.kabid_a.pk,
        "jabatan_type": "fungsional", "jf_level": "", "kelas_jabatan": 8})
    assert response.status_code == 200 and "wajib diisi untuk jabatan fungsional" in response.text
    response = client.post(url("position_create") + f"?unit={org.bidang_a.pk}", {
        "name": "Pranata Komputer", "unit": org.bidang_a.pk, "parent": org.kabid_a.pk,
        "jabatan_type": "fungsional", "jf_level": "ahli_pertama", "kelas_jabatan": 8})
    assert response.status_code == 302
    created = Position.objects.get(name="Pranata Komputer")
    response = client.post(url("position_edit", org.kepala_a.pk), {
        "name": "Kepala Dinas Alpha", "unit": org.opd_a.pk, "parent": created.pk,
        "jabatan_type": "jpt_pratama", "kelas_jabatan": 14, "is_active": "on"})
    assert response.status_code == 200  # a subordinate is not a valid atasan choice
    assert "parent" in response.context["form"].errors


def test_position_parent_fragment_follows_unit(org, users, client_for):
    response = client_for(users.admin_bkpsdm).get(
        url("position_create"), {"fragment": "parent", "unit": org.opd_b.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.text
    assert "Kepala Badan Beta" in response.text and "Kepala Dinas Alpha" not in response.text


def test_location_forms(org, users, client_for):
    client = client_for(users.admin_opd_a)
    base = {"unit": org.bidang_a.pk, "name": "Kantor Bidang", "latitude": "-3.99", "longitude": "122.51",
            "radius_m": "100", "timezone": "Asia/Makassar"}
    for bad, message in [({"latitude": "91"}, "Lintang harus antara"), ({"longitude": "181"}, "Bujur harus antara"),
                         ({"radius_m": "0"}, "Radius harus"), ({"latitude": "nan"}, "bilangan"),
                         ({"polygon": "[[1,2]"}, "Poligon harus berupa JSON"),
                         ({"polygon": "[[-3.99,122.51],[-3.99,122.5101]]"}, "paling sedikit 3 titik")]:
        response = client.post(url("location_create"), base | bad)
        assert response.status_code == 200 and message in response.text, bad
    assert not OfficeLocation.objects.exists()
    polygon = "[[-3.9895,122.5095],[-3.9895,122.5105],[-3.9905,122.5105]]"
    assert client.post(url("location_create"), base | {"polygon": polygon}).status_code == 302
    loc = OfficeLocation.objects.get()
    assert loc.polygon == [[-3.9895, 122.5095], [-3.9895, 122.5105], [-3.9905, 122.5105]]
    page = client.get(url("location_edit", loc.pk))
    assert "-3.9895" in page.text  # polygon shown back as JSON
    assert client.post(url("location_edit", loc.pk), base | {"radius_m": "250", "is_active": "on"}).status_code == 302
    loc.refresh_from_db()
    assert loc.radius_m == 250 and loc.polygon is None
    detail = client.get(url("unit_detail", org.bidang_a.pk)).text
    assert "openstreetmap.org/?mlat=-3.990000&amp;mlon=122.510000" in detail


def test_unknown_ids_are_404(org, users, client_for):
    client = client_for(users.admin_bkpsdm)
    assert client.get(url("unit_detail", 999999)).status_code == 404
    assert client.get(url("unit_create") + "?parent=abc").status_code == 404
    assert client.get(url("position_edit", 999999)).status_code == 404


def test_inactive_position_shown_on_detail(org, users, client_for):
    PositionFactory(unit=org.opd_a, name="Jabatan Lama", is_active=False)
    assert "Jabatan Lama" in client_for(users.pimpinan).get(url("unit_detail", org.opd_a.pk)).text


def test_detail_page_query_count_is_constant(org, users, client_for, django_assert_max_num_queries):
    def add_one_of_each():
        position = PositionFactory(unit=org.bidang_a, parent=org.kabid_a)
        EmployeeFactory(unit=org.bidang_a, position=position)
        OfficeLocationFactory(unit=org.bidang_a)
        UnitFactory(parent=org.bidang_a, kind=UnitKind.SEKSI)

    add_one_of_each()
    client = client_for(users.admin_bkpsdm)
    client.get(url("unit_detail", org.bidang_a.pk))
    with django_assert_max_num_queries(16) as small:
        client.get(url("unit_detail", org.bidang_a.pk))
    for _ in range(10):
        add_one_of_each()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("unit_detail", org.bidang_a.pk))
    assert response.text.count("/organisasi/jabatan/") >= 13
