"""The employee pages: list with HTMX filters, profile with the NIK reveal, Profil Saya, forms, histories,
retirements; what a person sees and that bad input gets an Indonesian message, not a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simasn.accounts.models import Role
from simasn.accounts.tests.factories import UserFactory
from simasn.core.models import AuditEvent
from simasn.employees.models import Employee, RankHistory
from simasn.employees.tests.conftest import stored_files
from simasn.employees.tests.factories import EmployeeFactory
from simasn.employees.tests.master_support import EXAMPLE_NIP, JPEG, PNG, pdf_upload, upload

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin(users, client_for):
    return client_for(users.admin_bkpsdm)


# ---- list ---------------------------------------------------------------------------------------------------

def test_the_list_shows_the_total_and_links_to_profiles(org, admin):
    response = admin.get(reverse("employees:list"))
    body = response.content.decode()
    assert "5 pegawai" in body
    assert reverse("employees:detail", args=[org.staff_b.pk]) in body
    assert 'hx-push-url="true"' in body and 'hx-target="#results"' in body
    assert "<html" in body


def test_an_htmx_filter_request_gets_only_the_results_fragment(org, admin):
    response = admin.get(reverse("employees:list"), {"q": org.staff_b.name}, headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="results"')
    assert "1 pegawai" in body and org.staff_b.name in body and org.staff_a.name not in body
    assert "HX-Request" in response["Vary"]


def test_the_address_bar_gets_only_the_filters_that_were_set(org, admin):
    response = admin.get(reverse("employees:list"), {"q": "Pegawai", "unit": "", "golongan": "III/a", "kind": ""},
                         headers=HTMX)
    assert response["HX-Push-Url"] == f"{reverse('employees:list')}?q=Pegawai&golongan=III%2Fa"
    assert admin.get(reverse("employees:list"), {"q": ""}, headers=HTMX)["HX-Push-Url"] == reverse("employees:list")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"golongan": "IV/b"}, 1),
        ({"unit": "{opd_a}"}, 4),
        ({"unit": "{opd_a}", "only_unit": "on"}, 1),
        ({"kind": "PPPK"}, 0),
        ({"status": "aktif"}, 5),
        ({"golongan": "Z/z", "unit": "abc", "status": "<script>"}, 5),  # nonsense filters are ignored, no 500
    ],
)
def test_filters(org, admin, params, expected):
    params = {k: v.format(opd_a=org.opd_a.pk) for k, v in params.items()}
    body = admin.get(reverse("employees:list"), params, headers=HTMX).content.decode()
    assert f"{expected} pegawai" in body


def test_pagination_keeps_the_filters(org, admin):
    for i in range(30):
        EmployeeFactory(unit=org.opd_b, name=f"Zulkifli {i:02d}")
    body = admin.get(reverse("employees:list"), {"q": "Zulkifli"}).content.decode()
    assert "30 pegawai" in body and "Halaman 1 dari 2" in body
    assert "?q=Zulkifli&amp;page=2" in body
    page2 = admin.get(reverse("employees:list"), {"q": "Zulkifli", "page": 2}, headers=HTMX).content.decode()
    assert "Zulkifli 29" in page2 and "Zulkifli 00" not in page2
    assert admin.get(reverse("employees:list"), {"page": "9999"}).status_code == 200


@pytest.mark.parametrize("who", ["admin_bkpsdm", "admin_opd_a", "kabid"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_list_uses_the_same_number_of_queries_for_5_or_50_employees(org, users, client_for, who, htmx,
                                                                        django_assert_num_queries,
                                                                        django_assert_max_num_queries):
    client = client_for(getattr(users, who))
    headers = HTMX if htmx else {}
    params = {"unit": org.bidang_a.pk, "q": "Pegawai"}
    EmployeeFactory.create_batch(5, unit=org.bidang_a, position=org.staf_a)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("employees:list"), params, headers=headers).status_code == 200
    EmployeeFactory.create_batch(45, unit=org.bidang_a, position=org.staf_a)
    with django_assert_num_queries(len(five.captured_queries)):
        client.get(reverse("employees:list"), params, headers=headers)
    with django_assert_max_num_queries(12):
        client.get(reverse("employees:list"), {"golongan": "III/a", "page": 2}, headers=headers)


# ---- profile, NIK, photo ------------------------------------------------------------------------------------

def test_the_profile_shows_the_record_with_the_nik_masked(org, users, admin):
    staff = org.staff_a
    body = admin.get(reverse("employees:detail", args=[staff.pk])).content.decode()
    assert staff.full_name in body
    assert f"{staff.nip[:8]} {staff.nip[8:14]} {staff.nip[14]} {staff.nip[15:]}" in body
    assert staff.masked_nik in body and staff.nik not in body
    assert "Tampilkan NIK" in body
    assert org.kabid.full_name in body  # atasan langsung
    assert "Analis Alpha" in body and "Bidang Alpha Satu" in body
    assert "Riwayat Pangkat" in body and "Riwayat Jabatan" in body and "Riwayat Pendidikan" in body


def test_an_atasan_finds_his_subordinates_on_his_own_profile(org, users, client_for):
    body = client_for(users.kabid).get(reverse("employees:me")).content.decode()
    assert "Bawahan langsung" in body
    assert reverse("employees:detail", args=[org.staff_a.pk]) in body
    assert reverse("employees:detail", args=[org.staff_a2.pk]) in body
    staff = client_for(users.staff_a).get(reverse("employees:me")).content.decode()
    assert "Bawahan langsung" not in staff


def test_pimpinan_sees_no_reveal_button(org, users, client_for):
    body = client_for(users.pimpinan).get(reverse("employees:detail", args=[org.staff_a.pk])).content.decode()
    assert "Tampilkan NIK" not in body and org.staff_a.nik not in body
    assert reverse("employees:edit", args=[org.staff_a.pk]) not in body


def test_revealing_the_nik_returns_a_fragment_and_is_audited(org, users, admin):
    response = admin.post(reverse("employees:reveal_nik", args=[org.staff_a.pk]), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert org.staff_a.nik in body and response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="employees.nik_viewed")
    assert (event.actor_id, event.object_id) == (users.admin_bkpsdm.pk, str(org.staff_a.pk))


def test_revealing_the_nik_without_javascript_shows_a_page(org, admin):
    body = admin.post(reverse("employees:reveal_nik", args=[org.staff_a.pk])).content.decode()
    assert "<html" in body and org.staff_a.nik in body


def test_the_nik_is_revealed_only_by_post(org, admin):
    assert admin.get(reverse("employees:reveal_nik", args=[org.staff_a.pk])).status_code == 405
    assert not AuditEvent.objects.filter(action="employees.nik_viewed").exists()


def test_my_profile(org, users, client_for):
    body = client_for(users.staff_a).get(reverse("employees:me")).content.decode()
    assert "Profil Saya" in body and org.staff_a.full_name in body and "Tampilkan NIK" in body


def test_my_profile_without_an_employee_record_is_a_friendly_404(org, client_for):
    response = client_for(UserFactory(role=Role.PEGAWAI)).get(reverse("employees:me"))
    assert response.status_code == 404
    assert "belum terhubung dengan data pegawai" in response.content.decode()


@pytest.mark.parametrize(("content", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png")])
def test_the_photo_is_served_with_the_type_of_its_content(org, users, admin, media_root, content, content_type):
    from simasn.employees import services

    services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a, data={},
                             photo=upload(content, "foto.bin", "application/octet-stream"))
    response = admin.get(reverse("employees:photo", args=[org.staff_a.pk]))
    assert response["Content-Type"] == content_type
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content
    assert reverse("employees:photo", args=[org.staff_a.pk]) in admin.get(
        reverse("employees:detail", args=[org.staff_a.pk])).content.decode()


def test_no_photo_is_a_404(org, admin):
    assert admin.get(reverse("employees:photo", args=[org.staff_a.pk])).status_code == 404


# ---- create and edit ----------------------------------------------------------------------------------------

def form_data(org, **overrides):
    data = {"kind": "PNS", "nip": "19860926 201505 1 001", "name": "Wa Ode Sitti", "status": "aktif",
            "golongan": "III/a", "tmt_golongan": "2015-05-01", "unit": org.bidang_a.pk, "position": org.staf_a.pk,
            "tmt_jabatan": "2016-01-04", "nik": "7471012609860001"}
    data.update(overrides)
    return data


def test_an_admin_creates_an_employee(org, admin):
    response = admin.post(reverse("employees:create"), form_data(org))
    employee = Employee.objects.get(nip=EXAMPLE_NIP)
    assert response.status_code == 302 and response["Location"] == reverse("employees:detail", args=[employee.pk])
    assert employee.birth_date == dt.date(1986, 9, 26) and employee.retirement_date == dt.date(2044, 10, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nip": "19860926201505100"}, "NIP harus 18 digit, bukan 17 (angka 0 di depan mungkin hilang karena Excel)."),
        ({"nip": "1.98609E+17"}, "notasi ilmiah"),
        ({"birth_date": "1986-09-27"}, "tidak sama dengan yang tertera di NIP"),
        ({"golongan": "IX"}, "Golongan PNS harus I/a–IV/e"),
        ({"nik": "12345"}, "NIK harus 16 digit, bukan 5."),
        ({"birth_date": "30-02-1986"}, "tanggal"),
    ],
)
def test_bad_input_on_the_form_gets_an_indonesian_message(org, admin, overrides, message):
    response = admin.post(reverse("employees:create"), form_data(org, **overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert message.lower() in body.lower() or message.replace("'", "&#x27;") in body
    assert "is-invalid" in body
    assert not Employee.objects.filter(name="Wa Ode Sitti").exists()


def test_a_duplicate_nip_on_the_form(org, admin):
    admin.post(reverse("employees:create"), form_data(org))
    body = admin.post(reverse("employees:create"), form_data(org, name="Orang Lain")).content.decode()
    assert f"NIP {EXAMPLE_NIP} sudah terdaftar untuk pegawai lain." in body


def test_admin_opd_is_offered_only_his_units(org, users, client_for):
    body = client_for(users.admin_opd_a).get(reverse("employees:create")).content.decode()
    assert "Bidang Alpha Satu" in body and "Badan Beta" not in body


def test_choosing_a_unit_narrows_the_positions_by_htmx(org, admin):
    response = admin.get(reverse("employees:create"), {"positions": "1", "unit": org.opd_b.pk}, headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body and "Pengadministrasi Beta" in body and "Analis Alpha" not in body


def test_edit_keeps_the_stored_nik_when_the_field_is_left_empty(org, admin):
    staff = org.staff_a
    form = admin.get(reverse("employees:edit", args=[staff.pk])).content.decode()
    assert staff.nik not in form and staff.masked_nik in form
    data = form_data(org, nip=staff.nip, name="Nama Diperbaiki", nik="", golongan=staff.golongan,
                     tmt_golongan="", birth_date=staff.birth_date.isoformat(), sex=staff.sex)
    response = admin.post(reverse("employees:edit", args=[staff.pk]), data)
    assert response.status_code == 302
    old_nik = staff.nik
    staff.refresh_from_db()
    assert staff.name == "Nama Diperbaiki" and staff.nik == old_nik


def test_edit_with_a_photo_that_is_not_an_image(org, admin, media_root):
    staff = org.staff_a
    data = form_data(org, nip=staff.nip, name=staff.name, nik="", golongan=staff.golongan, tmt_golongan="",
                     birth_date=staff.birth_date.isoformat(), sex=staff.sex,
                     photo=upload(b"GIF89a" + b"0" * 10, "foto.jpg", "image/jpeg"))
    body = admin.post(reverse("employees:edit", args=[staff.pk]), data).content.decode()
    assert "Foto harus berupa gambar JPEG atau PNG." in body
    assert stored_files(media_root) == []


# ---- histories ----------------------------------------------------------------------------------------------

def rank_form(**overrides):
    return {"golongan": "III/b", "tmt": "2023-04-01", "sk_number": "800/55/2023", "sk_date": "2023-03-20",
            **overrides}


def test_adding_a_rank_history_with_its_sk(org, admin, media_root):
    url = reverse("employees:history_add", args=[org.staff_a.pk, "pangkat"])
    response = admin.post(url, rank_form(sk_file=pdf_upload()))
    assert response.status_code == 302 and response["Location"].endswith("#riwayat-pangkat")
    entry = RankHistory.objects.get()
    detail = admin.get(reverse("employees:detail", args=[org.staff_a.pk])).content.decode()
    assert reverse("employees:history_sk", args=[org.staff_a.pk, "pangkat", entry.pk]) in detail
    pdf = admin.get(reverse("employees:history_sk", args=[org.staff_a.pk, "pangkat", entry.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("sk_file", "message"),
    [(upload(PNG, "sk.pdf", "application/pdf"), "Berkas SK harus berupa PDF"),
     (pdf_upload(size=3 * 1024 * 1024), "Berkas SK terlalu besar (3,0 MB); batas 2,0 MB.")],
)
def test_a_bad_sk_is_refused_on_the_page_and_nothing_is_stored(org, admin, media_root, sk_file, message):
    url = reverse("employees:history_add", args=[org.staff_a.pk, "pangkat"])
    body = admin.post(url, rank_form(sk_file=sk_file)).content.decode()
    assert message in body
    assert not RankHistory.objects.exists() and stored_files(media_root) == []


def test_an_unknown_history_kind_is_404(org, admin):
    assert admin.get(reverse("employees:history_add", args=[org.staff_a.pk, "hukuman"])).status_code == 404
    assert admin.get(reverse("employees:history_sk", args=[org.staff_a.pk, "hukuman", 1])).status_code == 404


def test_education_history_form(org, admin):
    url = reverse("employees:history_add", args=[org.staff_a.pk, "pendidikan"])
    assert "Nomor ijazah" in admin.get(url).content.decode()
    response = admin.post(url, {"level": "S1", "institution": "Universitas Halu Oleo", "graduation_year": "2008"})
    assert response.status_code == 302
    assert "Universitas Halu Oleo" in admin.get(reverse("employees:detail", args=[org.staff_a.pk])).content.decode()


# ---- retirements --------------------------------------------------------------------------------------------

def test_upcoming_retirements_page(org, users, client_for):
    org.staff_a.retirement_date = dt.date.today() + dt.timedelta(days=60)
    org.staff_a.save()
    org.staff_b.retirement_date = dt.date.today() + dt.timedelta(days=500)
    org.staff_b.save()
    client = client_for(users.admin_bkpsdm)
    body = client.get(reverse("employees:retirements")).content.decode()
    assert org.staff_a.full_name in body and org.staff_b.full_name not in body
    body = client.get(reverse("employees:retirements"), {"months": "24"}).content.decode()
    assert org.staff_b.full_name in body
    body = client.get(reverse("employees:retirements"), {"months": "-3"}).content.decode()
    assert "Jangka waktu harus 1–120 bulan" in body
    body = client_for(users.admin_opd_a).get(reverse("employees:retirements"), {"months": "24"}).content.decode()
    assert org.staff_b.full_name not in body
