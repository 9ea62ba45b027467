"""The leave pages: my requests and balances, the request form, a request's page and its actions, the inbox.
Each page is checked for its status, its content and its scope (another employee's request is a 404)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simasn.leave import services
from simasn.leave.models import AbsenceRequest, RequestStatus
from simasn.leave.tests.conftest import TODAY, d
from simasn.leave.tests.ui_helpers import approve_all, freeze_today, submit_cuti

MINE = reverse("leave:mine")
SUBMIT = reverse("leave:submit")
INBOX = reverse("leave:inbox")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze_today(monkeypatch, TODAY)
    return TODAY


def cuti_post(**overrides) -> dict:
    data = {"kind": "cuti", "leave_type": "tahunan", "start_date": "2026-03-09", "end_date": "2026-03-13",
            "reason": "Acara keluarga di Baubau", "address_during": "Jl. Kenanga 3, Baubau",
            "idempotency_key": "a" * 32}
    data.update(overrides)
    return data


# ── Cuti & Izin Saya ──────────────────────────────────────────────────────────────────────────────────────


def test_my_page_shows_the_balance_and_my_requests_with_their_status(world, client_for):
    submit_cuti(world, d("2026-03-09"), d("2026-03-11"), today=TODAY)
    page = client_for(world.users.staff_a).get(MINE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Saldo cuti 2026" in html and "Cuti Tahunan" in html
    # 12 days of hak, 3 working days reserved by the pending request → 9 available.
    assert re.search(r'display-6 mb-1">9 ', html)
    assert "Menunggu persetujuan" in html and "09 Mar 2026" in html
    assert f'href="{SUBMIT}?kind=dinas_luar"' in html


def test_my_page_lists_only_my_own_requests(world, client_for):
    submit_cuti(world, d("2026-03-09"), d("2026-03-11"), today=TODAY)
    html = client_for(world.users.staff_b).get(MINE).content.decode()
    assert "Belum ada permohonan." in html


def test_my_page_costs_the_same_queries_for_one_or_many_requests(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users.staff_a)
    submit_cuti(world, d("2026-03-09"), d("2026-03-09"), today=TODAY)
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for day in ("2026-03-10", "2026-03-11", "2026-03-12", "2026-03-16"):
        submit_cuti(world, d(day), d(day), today=TODAY)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(MINE).status_code == 200


def test_a_login_without_an_employee_record_is_told_why(world, client_for):
    page = client_for(world.users.admin_bkpsdm).get(MINE)
    assert page.status_code == 404
    assert "tidak terhubung dengan data pegawai" in page.content.decode()


def test_pages_need_a_login(client, world):
    for url in (MINE, SUBMIT, INBOX, reverse("leave:calendar")):
        assert client.get(url).status_code == 302


# ── The request form ──────────────────────────────────────────────────────────────────────────────────────


def test_the_form_shows_the_fields_of_the_chosen_kind(world, client_for):
    client = client_for(world.users.staff_a)
    cuti = client.get(SUBMIT).content.decode()
    assert 'name="leave_type"' in cuti and "Cuti Tahunan" in cuti and 'name="address_during"' in cuti
    assert 'name="spt_number"' not in cuti
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', cuti)
    assert key, "a fresh idempotency key is rendered with the form"
    assert key.group(1) not in client.get(SUBMIT).content.decode(), "each rendering gets its own key"
    dinas = client.get(SUBMIT, {"kind": "dinas_luar"}).content.decode()
    assert 'name="spt_number"' in dinas and 'name="destination"' in dinas and 'name="latitude"' in dinas
    assert 'name="address_during"' not in dinas and 'name="leave_type"' not in dinas
    izin = client.get(SUBMIT, {"kind": "izin"}).content.decode()
    assert "Izin sakit (1 hari)" in izin and 'name="start_time"' in izin
    assert 'name="location_name"' in client.get(SUBMIT, {"kind": "fleksibel"}).content.decode()


def test_cuti_types_the_employee_cannot_take_yet_are_explained_not_offered(world, client_for):
    html = client_for(world.users.staff_a).get(SUBMIT).content.decode()
    select = html[html.index('name="leave_type"'):html.index("</select>", html.index('name="leave_type"'))]
    assert "Cuti Tahunan" in select
    assert "Cuti Bersama" not in select  # declared by the Presiden, never requested


def test_submitting_creates_one_request_even_when_sent_twice(world, client_for):
    client = client_for(world.users.staff_a)
    first = client.post(SUBMIT, cuti_post())
    req = AbsenceRequest.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("leave:detail", args=[req.pk])
    again = client.post(SUBMIT, cuti_post())  # a double click: same key
    assert again["Location"] == first["Location"]
    assert AbsenceRequest.objects.count() == 1
    assert (req.status, req.working_days, req.address_during) == (RequestStatus.PENDING, 5, "Jl. Kenanga 3, Baubau")


def test_a_refusal_of_the_service_is_shown_on_the_form_in_indonesian(world, client_for):
    client = client_for(world.users.staff_a)
    page = client.post(SUBMIT, cuti_post(start_date="2026-03-13", end_date="2026-03-09"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "is-invalid" in html and "Tanggal selesai" in html and "sebelum" in html
    assert not AbsenceRequest.objects.exists()
    # Too many days for the balance: 12 days of hak, 15 working days asked.
    html = client.post(SUBMIT, cuti_post(end_date="2026-03-27", idempotency_key="b" * 32)).content.decode()
    assert "Sisa cuti tahunan 2026" in html


def test_an_overlapping_request_is_refused_on_the_form(world, client_for):
    submit_cuti(world, d("2026-03-10"), d("2026-03-10"), today=TODAY)
    html = client_for(world.users.staff_a).post(SUBMIT, cuti_post()).content.decode()
    assert "alert-danger" in html or "invalid-feedback" in html
    assert AbsenceRequest.objects.count() == 1


def test_an_upload_that_is_not_a_document_is_refused(world, client_for):
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    html = client_for(world.users.staff_a).post(SUBMIT, {**cuti_post(), "attachment": fake}).content.decode()
    assert "id_attachment_error" in html
    assert not AbsenceRequest.objects.exists()


def test_a_missing_field_is_named_on_the_form(world, client_for):
    html = client_for(world.users.staff_a).post(SUBMIT, cuti_post(reason="")).content.decode()
    assert 'id="id_reason_error"' in html


def test_the_working_day_preview_counts_for_the_employee(world, client_for):
    client = client_for(world.users.staff_a)
    html = client.get(reverse("leave:preview"), {"start_date": "2026-03-09", "end_date": "2026-03-15"}).content.decode()
    assert "5 hari kerja" in html and "dari 7 hari kalender" in html
    assert "sebelum" in client.get(reverse("leave:preview"),
                                   {"start_date": "2026-03-09", "end_date": "2026-03-01"}).content.decode()
    # 29 February 2025 does not exist: asked to fill the dates, no error page.
    page = client.get(reverse("leave:preview"), {"start_date": "2025-02-29", "end_date": "2025-03-03"})
    assert page.status_code == 200 and "Isi tanggal mulai" in page.content.decode()


def test_the_preview_names_the_holidays(world, client_for):
    from simasn.workcalendar.models import Holiday

    Holiday.objects.create(date=d("2026-03-19"), name="Hari Suci Nyepi", category="libur_nasional")
    html = client_for(world.users.staff_a).get(
        reverse("leave:preview"), {"start_date": "2026-03-16", "end_date": "2026-03-20"}).content.decode()
    assert "4 hari kerja" in html and "Hari Suci Nyepi" in html


# ── A request's page ──────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def pending(world):
    return submit_cuti(world, d("2026-03-09"), d("2026-03-13"), today=TODAY)


def test_the_detail_shows_the_data_and_the_approval_chain(world, client_for, pending):
    html = client_for(world.users.staff_a).get(reverse("leave:detail", args=[pending.pk])).content.decode()
    assert "Cuti — Cuti Tahunan" in html and "Jl. Melati 7, Kendari" in html
    assert "1. Atasan langsung" in html and world.org.kabid.full_name in html
    assert "2. Kepala perangkat daerah" in html and world.org.head_a.full_name in html
    assert "Menunggu keputusan" in html and "Menunggu giliran" in html
    assert "Batalkan permohonan" in html and "Setujui" not in html


def test_only_the_approver_of_the_current_step_gets_the_decision_buttons(world, client_for, pending):
    url = reverse("leave:detail", args=[pending.pk])
    kabid = client_for(world.users.kabid).get(url).content.decode()
    assert "Keputusan Anda" in kabid and "Minta perbaikan" in kabid and "Batalkan permohonan" not in kabid
    head = client_for(world.head_a).get(url)
    assert head.status_code == 200 and "Keputusan Anda" not in head.content.decode()


@pytest.mark.parametrize("who, status", [
    ("staff_a", 200), ("kabid", 200), ("admin_opd_a", 200), ("admin_bkpsdm", 200),
    ("staff_b", 404), ("inspektorat", 200),
])
def test_the_detail_is_a_404_outside_the_viewer_scope(world, client_for, pending, who, status):
    assert client_for(getattr(world.users, who)).get(reverse("leave:detail", args=[pending.pk])).status_code == status


def test_a_colleague_in_the_same_position_cannot_open_the_request(world, client_for, pending):
    from simasn.conftest import user_for

    colleague = user_for(world.org.staff_a2)
    assert client_for(colleague).get(reverse("leave:detail", args=[pending.pk])).status_code == 404
    assert client_for(colleague).post(reverse("leave:cancel", args=[pending.pk])).status_code == 404


def test_approving_through_both_steps_gives_the_letter(world, client_for, pending):
    kabid = client_for(world.users.kabid)
    response = kabid.post(reverse("leave:approve", args=[pending.pk]), {"note": "Lanjut"})
    assert response.status_code == 302
    head = client_for(world.head_a)
    inbox = head.get(INBOX).content.decode()
    assert world.org.staff_a.full_name in inbox and "1 permohonan menunggu" in inbox
    head.post(reverse("leave:approve", args=[pending.pk]), {"next": INBOX})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.APPROVED and pending.verification_code
    html = client_for(world.users.staff_a).get(reverse("leave:detail", args=[pending.pk])).content.decode()
    assert "Disetujui" in html and "Unduh surat izin cuti" in html and pending.verification_code in html
    assert "Tidak ada permohonan yang menunggu" in head.get(INBOX).content.decode()


def test_approving_out_of_turn_is_refused(world, client_for, pending):
    response = client_for(world.head_a).post(reverse("leave:approve", args=[pending.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("leave:detail", args=[pending.pk])
    assert "Belum giliran Anda" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING


def test_the_requester_cannot_approve_his_own_request(world, client_for, pending):
    response = client_for(world.users.staff_a).post(reverse("leave:approve", args=[pending.pk]))
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.steps.get(order=1).status == "menunggu"


def test_rejecting_needs_a_reason(world, client_for, pending):
    client = client_for(world.users.kabid)
    url = reverse("leave:reject", args=[pending.pk])
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200 and 'id="reject_reason_error"' in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING
    client.post(url, {"reason": "Bertepatan dengan pemeriksaan BPK"})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.REJECTED
    html = client_for(world.users.staff_a).get(reverse("leave:detail", args=[pending.pk])).content.decode()
    assert "Ditolak" in html and "Bertepatan dengan pemeriksaan BPK" in html


def test_a_quick_reject_from_the_inbox_without_reason_stays_on_the_inbox(world, client_for, pending):
    response = client_for(world.users.kabid).post(reverse("leave:reject", args=[pending.pk]),
                                                  {"reason": "", "next": INBOX}, follow=True)
    assert response.redirect_chain[-1][0] == INBOX
    assert "Alasan penolakan: " in response.content.decode()


def test_asking_for_a_change_then_resubmitting(world, client_for, pending):
    client_for(world.users.kabid).post(reverse("leave:ask_change", args=[pending.pk]),
                                       {"note": "Lampirkan alamat lengkap"})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.CHANGES_REQUESTED
    owner = client_for(world.users.staff_a)
    detail = owner.get(reverse("leave:detail", args=[pending.pk])).content.decode()
    assert "Perbaiki & ajukan ulang" in detail and "Lampirkan alamat lengkap" in detail
    form = owner.get(reverse("leave:resubmit", args=[pending.pk])).content.decode()
    assert "Lampirkan alamat lengkap" in form and 'value="2026-03-09"' in form
    response = owner.post(reverse("leave:resubmit", args=[pending.pk]), {
        "leave_type": "tahunan", "start_date": "2026-03-09", "end_date": "2026-03-12",
        "reason": "Acara keluarga", "address_during": "Jl. Kenanga 3 RT 02, Baubau",
    })
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.working_days, pending.current_step) == (RequestStatus.PENDING, 4, 1)
    assert pending.address_during == "Jl. Kenanga 3 RT 02, Baubau"


def test_only_the_requester_may_resubmit(world, client_for, pending):
    services.request_ask_change(actor=world.users.kabid, request=pending, note="Perbaiki")
    assert client_for(world.users.kabid).get(reverse("leave:resubmit", args=[pending.pk])).status_code == 404


def test_cancelling_before_the_start(world, client_for, pending):
    client_for(world.users.staff_a).post(reverse("leave:cancel", args=[pending.pk]), {"reason": "Batal berangkat"})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.CANCELLED


def test_cutting_a_running_leave_short(world, client_for, pending, monkeypatch):
    approve_all(world, pending)
    freeze_today(monkeypatch, d("2026-03-10"))
    client = client_for(world.users.staff_a)
    detail = client.get(reverse("leave:detail", args=[pending.pk])).content.decode()
    assert "Persingkat cuti" in detail and "Batalkan permohonan" not in detail
    bad = client.post(reverse("leave:cut_short", args=[pending.pk]),
                      {"back_at_work_on": "2026-03-20", "reason": "Urusan selesai"})
    assert bad.status_code == 200 and 'id="cut_back_at_work_on_error"' in bad.content.decode()
    client.post(reverse("leave:cut_short", args=[pending.pk]),
                {"back_at_work_on": "2026-03-12", "reason": "Urusan selesai"})
    pending.refresh_from_db()
    assert pending.cut_short_from == d("2026-03-12")
    html = client.get(MINE).content.decode()
    # Away 9–11 March (3 working days), back on the 12th: 2 of the 5 days return, 12 − 3 = 9 left.
    assert re.search(r'display-6 mb-1">9 ', html)


def test_the_inbox_costs_the_same_queries_for_one_or_many(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users.kabid)
    submit_cuti(world, d("2026-03-09"), d("2026-03-09"), today=TODAY)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for day in ("2026-03-10", "2026-03-11", "2026-03-12"):
        submit_cuti(world, d(day), d(day), today=TODAY)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(INBOX).content.decode()
    assert "4 permohonan menunggu" in html


def test_the_attachment_opens_for_the_approver_and_is_audited(world, client_for):
    from simasn.core.models import AuditEvent

    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n",
                             content_type="application/pdf")
    req = submit_cuti(world, d("2026-03-09"), d("2026-03-09"), today=TODAY, attachment=pdf)
    url = reverse("leave:attachment", args=[req.pk])
    response = client_for(world.users.kabid).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="leave.attachment_read", object_id=str(req.pk)).exists()
    assert client_for(world.users.staff_b).get(url).status_code == 404
