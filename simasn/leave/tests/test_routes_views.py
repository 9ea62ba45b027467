"""The Alur Persetujuan page: BKPSDM edits, pimpinan and inspektorat read, everyone else is refused; form
errors in Indonesian; coba alur with and without HTMX; the table costs the same queries for few or many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simasn.core.models import AuditEvent
from simasn.leave import route_services
from simasn.leave.models import ApprovalRoute

ROUTES = reverse("leave:routes")
CREATE = reverse("leave:route_create")
TRY = reverse("leave:route_try")


def route_post(**overrides) -> dict:
    data = {"target": "cuti:tahunan", "jabatan_type": "pelaksana", "step_1": "atasan_langsung",
            "step_2": "kepala_opd", "step_3": "sekda", "step_4": "", "step_5": "", "note": "SE Sekda 2026"}
    data.update(overrides)
    return data


def make_route(world, **kw) -> ApprovalRoute:
    data = {"kind": "cuti", "leave_type": "tahunan", "jabatan_type": "pelaksana",
            "steps": ["atasan_langsung", "kepala_opd", "sekda"], "note": "SE Sekda 2026"}
    data.update(kw)
    return route_services.route_create(actor=world.users.admin_bkpsdm, **data)


def test_admin_bkpsdm_sees_the_table_with_its_buttons(world, client_for):
    make_route(world)
    page = client_for(world.users.admin_bkpsdm).get(ROUTES)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1 class=\"h3 mb-0\">Alur Persetujuan</h1>" in html
    assert "Cuti Tahunan" in html and "Pelaksana" in html and "SE Sekda 2026" in html
    assert "3. Sekretaris Daerah" in html and "Bawaan sistem" in html and "Diatur BKPSDM" in html
    assert f'href="{CREATE}"' in html and "Nonaktifkan" in html and "Ya, hapus alur ini" in html
    assert f'href="{CREATE}?jenis=cuti%3Abesar"' in html  # "Ubah" on a default starts a route from it
    assert "Coba alur" in html


@pytest.mark.parametrize("who", ["pimpinan", "inspektorat"])
def test_pimpinan_and_inspektorat_read_the_table_without_buttons(world, client_for, who):
    make_route(world)
    client = client_for(getattr(world.users, who))
    html = client.get(ROUTES).content.decode()
    assert "Cuti Tahunan" in html and "Coba alur" in html
    assert "Tambah alur" not in html and "Nonaktifkan" not in html and "Ubah" not in html
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, route_post(jabatan_type="fungsional")).status_code == 403
    assert ApprovalRoute.objects.count() == 1


@pytest.mark.parametrize("who", ["staff_a", "kabid", "admin_opd_a"])
def test_pegawai_and_admin_opd_are_refused(world, client_for, who):
    route = make_route(world)
    client = client_for(getattr(world.users, who))
    assert client.get(ROUTES).status_code == 403
    assert client.get(TRY, {"nip": world.org.staff_a.nip, "target": "cuti:tahunan"}).status_code == 403
    assert client.post(reverse("leave:route_delete", args=[route.pk])).status_code == 403
    assert client.post(reverse("leave:route_toggle", args=[route.pk]), {"aktif": "0"}).status_code == 403
    assert ApprovalRoute.objects.filter(pk=route.pk, is_active=True).exists()


def test_the_pages_need_a_login(client, world):
    for url in (ROUTES, CREATE, TRY):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_adding_a_route(world, client_for):
    client = client_for(world.users.admin_bkpsdm)
    response = client.post(CREATE, route_post(), follow=True)
    assert response.redirect_chain[-1][0] == ROUTES
    route = ApprovalRoute.objects.get()
    assert (route.kind, route.leave_type, route.jabatan_type) == ("cuti", "tahunan", "pelaksana")
    assert route.steps == ["atasan_langsung", "kepala_opd", "sekda"] and route.is_active
    assert "Alur Cuti — Cuti Tahunan — Pelaksana disimpan" in response.content.decode()


def test_empty_boxes_between_steps_are_skipped(world, client_for):
    client = client_for(world.users.admin_bkpsdm)
    client.post(CREATE, route_post(target="izin:", jabatan_type="", step_1="", step_2="kepala_opd", step_3="",
                                   step_4="sekda"))
    route = ApprovalRoute.objects.get()
    assert (route.kind, route.leave_type, route.steps) == ("izin", "", ["kepala_opd", "sekda"])


@pytest.mark.parametrize(("data", "message"), [
    ({"step_2": "atasan_langsung", "step_1": "atasan_langsung", "step_3": ""},
     "Peran &quot;Atasan langsung&quot; tercantum dua kali berturut-turut"),
    ({"step_1": "", "step_2": "", "step_3": ""}, "Isi paling sedikit satu tahap persetujuan"),
    ({"target": "cuti:haji"}, "Masukkan pilihan yang valid"),
    ({"step_1": "walikota"}, "Masukkan pilihan yang valid"),
])
def test_form_errors_are_shown_in_indonesian(world, client_for, data, message):
    response = client_for(world.users.admin_bkpsdm).post(CREATE, route_post(**data))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "is-invalid" in html
    assert not ApprovalRoute.objects.exists()


def test_a_duplicate_key_is_refused_on_the_form(world, client_for):
    make_route(world)
    html = client_for(world.users.admin_bkpsdm).post(CREATE, route_post(step_3="")).content.decode()
    assert "Alur untuk Cuti — Cuti Tahunan — Pelaksana sudah ada." in html
    assert ApprovalRoute.objects.get().steps == ["atasan_langsung", "kepala_opd", "sekda"]


def test_ubah_on_a_default_starts_from_its_steps(world, client_for):
    html = client_for(world.users.admin_bkpsdm).get(CREATE, {"jenis": "cuti:besar"}).content.decode()
    assert '<option value="cuti:besar" selected>' in html
    assert '<option value="sekda" selected>' in html
    # An unknown value falls back to "cuti, semua jenis" rather than failing.
    html = client_for(world.users.admin_bkpsdm).get(CREATE, {"jenis": "x:y"}).content.decode()
    assert '<option value="cuti:" selected>' in html


def test_editing_a_route(world, client_for):
    route = make_route(world)
    client = client_for(world.users.admin_bkpsdm)
    url = reverse("leave:route_edit", args=[route.pk])
    html = client.get(url).content.decode()
    assert "Cuti — Cuti Tahunan — Pelaksana" in html and 'name="target"' not in html
    assert '<option value="sekda" selected>' in html and 'value="SE Sekda 2026"' in html
    response = client.post(url, {"step_1": "kepala_opd", "step_2": "sekda", "note": "Diubah", "is_active": "on"})
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.steps == ["kepala_opd", "sekda"] and route.note == "Diubah" and route.is_active
    html = client.post(url, {"step_1": "sekda", "step_2": "sekda"}).content.decode()
    assert "tercantum dua kali berturut-turut" in html
    assert client.get(reverse("leave:route_edit", args=[route.pk + 100])).status_code == 404


def test_switching_a_route_off_and_on_and_deleting_it(world, client_for):
    route = make_route(world)
    client = client_for(world.users.admin_bkpsdm)
    toggle = reverse("leave:route_toggle", args=[route.pk])
    html = client.post(toggle, {"aktif": "0"}, follow=True).content.decode()
    route.refresh_from_db()
    assert not route.is_active and "dinonaktifkan" in html and "Berlakukan" in html
    client.post(toggle, {"aktif": "1"})
    route.refresh_from_db()
    assert route.is_active
    assert client.get(toggle).status_code == 405
    html = client.post(reverse("leave:route_delete", args=[route.pk]), follow=True).content.decode()
    assert not ApprovalRoute.objects.exists() and "dihapus" in html
    assert AuditEvent.objects.filter(action="leave.route_deleted").count() == 1
    assert client.post(reverse("leave:route_delete", args=[route.pk])).status_code == 404


def test_a_stored_route_the_rules_now_refuse_cannot_be_toggled_but_is_explained(world, client_for):
    route = ApprovalRoute.objects.create(kind="cuti", leave_type="", jabatan_type="", steps=["bupati"])
    response = client_for(world.users.admin_bkpsdm).post(reverse("leave:route_toggle", args=[route.pk]),
                                                          {"aktif": "0"}, follow=True)
    assert response.status_code == 200
    assert "tidak dapat diubah: Peran pejabat &quot;bupati&quot; tidak dikenal." in response.content.decode()


# ── Coba alur ─────────────────────────────────────────────────────────────────────────────────────────────


def test_the_try_box_shows_the_officials_in_order(world, client_for):
    o = world.org
    make_route(world, steps=["kepala_opd", "atasan_langsung"])
    response = client_for(world.users.admin_bkpsdm).get(TRY, {"nip": o.staff_a.nip, "target": "cuti:tahunan"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html  # without JavaScript: the whole page
    assert html.index(o.head_a.full_name) < html.index(o.kabid.full_name)
    assert "Kepala Dinas Alpha" in html and "sebagai Kepala perangkat daerah" in html
    assert "Tahapan alur" in html and "Cuti — Cuti Tahunan — Pelaksana" in html


def test_the_try_box_answers_htmx_with_a_fragment(world, client_for):
    o = world.org
    response = client_for(world.users.pimpinan).get(TRY, {"nip": o.staff_a.nip, "target": "izin:sakit"},
                                                    HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="coba-alur">')
    assert o.kabid.full_name in html and o.head_a.full_name not in html


@pytest.mark.parametrize(("params", "message"), [
    ({"nip": "199001012015031999", "target": "cuti:tahunan"}, "Pegawai dengan NIP ini tidak ditemukan."),
    ({"nip": "", "target": "cuti:tahunan"}, "Bidang ini tidak boleh kosong."),
    ({"target": "cuti:tahunan"}, "Bidang ini tidak boleh kosong."),
    ({"nip": "1", "target": "umroh:"}, "Masukkan pilihan yang valid"),
])
def test_the_try_box_explains_what_it_cannot_find(world, client_for, params, message):
    html = client_for(world.users.admin_bkpsdm).get(TRY, params, HTTP_HX_REQUEST="true").content.decode()
    assert message in html and "is-invalid" in html


def test_the_try_box_says_when_nobody_could_decide(world, client_for):
    o = world.org
    o.staff_b.position = None
    o.staff_b.save()
    html = client_for(world.users.admin_bkpsdm).get(TRY, {"nip": o.staff_b.nip, "target": "izin:sakit"},
                                                    HTTP_HX_REQUEST="true").content.decode()
    assert "Tidak ada pejabat yang dapat menyetujui permohonan ini" in html


# ── Queries ───────────────────────────────────────────────────────────────────────────────────────────────


def test_the_table_page_costs_the_same_queries_for_one_or_many_routes(world, client_for,
                                                                       django_assert_max_num_queries):
    client = client_for(world.users.admin_bkpsdm)
    make_route(world)
    client.get(ROUTES)  # warm whatever a first request loads once
    with CaptureQueriesContext(connection) as one:
        assert client.get(ROUTES).status_code == 200
    for kind, leave_type, jabatan in [("cuti", "besar", ""), ("cuti", "sakit", "fungsional"), ("izin", "", ""),
                                      ("izin", "sakit", "pengawas"), ("dinas_luar", "", "pelaksana"),
                                      ("fleksibel", "", ""), ("cuti", "", "administrator")]:
        make_route(world, kind=kind, leave_type=leave_type, jabatan_type=jabatan)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(ROUTES).content.decode()
    assert html.count("Diatur BKPSDM") == 8
