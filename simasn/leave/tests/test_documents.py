"""The surat izin cuti (PDF) and its public verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from simasn.core.models import AuditEvent
from simasn.leave import documents, services
from simasn.leave.tests.conftest import TODAY, d
from simasn.leave.tests.ui_helpers import approve_all, freeze_today, submit_cuti


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def approved(world):
    return approve_all(world, submit_cuti(world, d("2026-03-09"), d("2026-03-13"), today=TODAY))


def test_masked_nip_keeps_the_birth_month_and_the_sequence():
    assert documents.masked_nip("198609262015051001") == "198609********1001"
    assert documents.masked_nip("1234") == "****"


@pytest.mark.parametrize("n, words", [
    (1, "satu"), (5, "lima"), (11, "sebelas"), (12, "dua belas"), (14, "empat belas"), (20, "dua puluh"),
    (24, "dua puluh empat"), (100, "seratus"), (118, "seratus delapan belas"), (260, "dua ratus enam puluh"),
])
def test_working_days_are_written_in_words(n, words):
    assert documents.terbilang(n) == words


def test_the_letter_names_the_employee_the_dates_the_approvers_and_the_code(world, approved):
    html = documents.render_letter_html(approved, verify_url="https://simasn.example/cuti/verifikasi/X/")
    employee = world.org.staff_a
    for text in ("PEMERINTAH KOTA KENDARI", "DINAS ALPHA", "SURAT IZIN CUTI TAHUNAN", employee.full_name,
                 employee.nip, "Analis Alpha", "Bidang Alpha Satu", "9 Maret 2026", "13 Maret 2026",
                 "5 (lima) hari kerja", "Jl. Melati 7, Kendari", world.org.kabid.full_name,
                 world.org.head_a.full_name, "Atasan langsung", "Kepala perangkat daerah",
                 approved.verification_code, "https://simasn.example/cuti/verifikasi/X/", "data:image/png;base64,"):
        assert text in html, text
    assert f"{approved.pk:05d}/SIC/" in html


def test_the_pdf_downloads_for_the_owner_and_is_audited(world, client_for, approved):
    response = client_for(world.users.staff_a).get(reverse("leave:letter", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5_000
    assert approved.verification_code in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="leave.letter_downloaded", object_id=str(approved.pk)).count() == 1


@pytest.mark.parametrize("who, status", [
    ("kabid", 200), ("admin_opd_a", 200), ("staff_b", 404), ("admin_bkpsdm", 200),
])
def test_the_pdf_follows_the_request_scope(world, client_for, approved, who, status):
    response = client_for(getattr(world.users, who)).get(reverse("leave:letter", args=[approved.pk]))
    assert response.status_code == status


def test_no_letter_before_the_final_approval(world, client_for):
    req = submit_cuti(world, d("2026-03-09"), d("2026-03-10"), today=TODAY)
    services.request_approve(actor=world.users.kabid, request=req)
    assert client_for(world.users.staff_a).get(reverse("leave:letter", args=[req.pk])).status_code == 404


def test_no_letter_for_a_dinas_luar(world, client_for):
    req = services.request_submit(actor=world.users.staff_a, employee=world.org.staff_a, kind="dinas_luar",
                                  start_date=d("2026-03-09"), end_date=d("2026-03-10"), reason="Rapat koordinasi",
                                  spt_number="094/123/2026", destination="Makassar", today=TODAY)
    services.request_approve(actor=world.users.kabid, request=req)
    req.refresh_from_db()
    assert req.status == "disetujui"
    assert client_for(world.users.staff_a).get(reverse("leave:letter", args=[req.pk])).status_code == 404


def test_the_public_page_confirms_a_valid_letter_without_personal_data(world, client, approved):
    employee = world.org.staff_a
    response = client.get(reverse("leave:verify", args=[approved.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Surat izin cuti sah" in html and "Cuti Tahunan" in html and employee.full_name in html
    assert "9 Maret 2026" in html and "13 Maret 2026" in html
    assert f"{employee.nip[:6]}********{employee.nip[-4:]}" in html
    assert employee.nip not in html and employee.nik not in html
    assert "Jl. Melati 7" not in html and "Mengantar orang tua" not in html  # address and reason stay private
    assert world.org.kabid.full_name not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_public_page_says_when_a_letter_no_longer_holds(world, client, approved, monkeypatch):
    freeze_today(monkeypatch, d("2026-03-10"))
    services.request_cut_short(actor=world.users.staff_a, request=approved, back_at_work_on=d("2026-03-11"),
                               reason="Dipanggil kembali")
    html = client.get(reverse("leave:verify", args=[approved.verification_code])).content.decode()
    assert "Dipersingkat" in html and "kembali bekerja mulai 11 Maret 2026" in html


def test_a_cancelled_letter_is_reported_as_cancelled(world, client):
    req = approve_all(world, submit_cuti(world, d("2026-03-16"), d("2026-03-17"), today=TODAY))
    services.request_cancel(actor=world.users.staff_a, request=req, reason="Batal")
    html = client.get(reverse("leave:verify", args=[req.verification_code])).content.decode()
    assert "telah dibatalkan" in html and "Surat izin cuti sah" not in html


def test_an_unknown_code_is_a_friendly_not_found(db, client):
    response = client.get(reverse("leave:verify", args=["ABCDEFGHJK"]))
    assert response.status_code == 404
    assert "Kode tidak ditemukan." in response.content.decode()


def test_the_code_form_normalises_what_was_typed(db, client, world, approved):
    code = approved.verification_code
    typed = f" {code[:5].lower()}-{code[5:]} "
    response = client.get(reverse("leave:verify_form"), {"kode": typed})
    assert response.status_code == 302 and response["Location"] == reverse("leave:verify", args=[code])
    assert client.get(reverse("leave:verify_form")).status_code == 200
