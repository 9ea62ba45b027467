"""/api/v1/leave: balances, my requests, submit (JSON and multipart), cancel, approvals — and JSON errors with
an Indonesian detail and a code for every bad input, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simasn.conftest import user_for
from simasn.leave.models import AbsenceRequest, RequestStatus

URL = "/api/v1/leave"

pytestmark = pytest.mark.usefixtures("frozen_today")

CUTI = {"kind": "cuti", "leave_type": "tahunan", "start_date": "2026-03-09", "end_date": "2026-03-13",
        "reason": "Keperluan keluarga"}


@pytest.fixture
def staff(world, client_for):
    return client_for(world.users.staff_a)


def post(client, path, data=None, **headers):
    return client.post(f"{URL}{path}", data or {}, content_type="application/json", headers=headers)


def test_submit_then_approve_through_the_chain(world, staff, client_for):
    response = post(staff, "/requests", CUTI, **{"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "diajukan" and body["working_days"] == 5 and body["leave_type_label"] == "Cuti Tahunan"
    assert [s["role"] for s in body["steps"]] == ["atasan_langsung", "kepala_opd"]

    kabid = client_for(world.users.kabid)
    inbox = kabid.get(f"{URL}/approvals").json()
    assert [item["request"]["id"] for item in inbox] == [body["id"]]
    assert post(kabid, f"/approvals/{body['id']}/approve", {"note": "ok"}).status_code == 200
    head = client_for(world.head_a)
    approved = post(head, f"/approvals/{body['id']}/approve").json()
    assert approved["status"] == "disetujui" and len(approved["verification_code"]) == 10

    balances = staff.get(f"{URL}/balances", {"year": 2026}).json()
    assert balances[0] == {"leave_type": "tahunan", "label": "Cuti Tahunan", "entitlement": 12, "carried_over": 0,
                           "used": 5, "pending": 0, "forfeited": 0, "available": 7, "uses_ledger": True}
    assert {b["leave_type"] for b in balances} >= {"sakit", "besar", "melahirkan", "alasan_penting", "cltn"}
    mine = staff.get(f"{URL}/requests", {"status": "disetujui"}).json()
    assert [r["id"] for r in mine] == [body["id"]]
    assert staff.get(f"{URL}/requests", {"status": "ditolak"}).json() == []


def test_double_submit_with_the_same_key_returns_the_same_request(world, staff):
    first = post(staff, "/requests", CUTI, **{"Idempotency-Key": "same"})
    second = post(staff, "/requests", CUTI, **{"Idempotency-Key": "same"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert AbsenceRequest.objects.count() == 1


@pytest.mark.parametrize(("why", "changes", "status", "code"), [
    ("2025-02-29 bukan tanggal", {"start_date": "2025-02-29"}, 422, "invalid_date"),
    ("tanggal selesai sebelum mulai", {"end_date": "2026-03-06"}, 400, "end_before_start"),
    ("rentang 400 hari", {"end_date": "2027-04-12"}, 400, "span_too_long"),
    ("terlalu jauh di masa lalu", {"start_date": "2025-12-01", "end_date": "2025-12-02"}, 400, "too_far_past"),
    ("jenis permohonan tidak dikenal", {"kind": "libur"}, 422, "validation_error"),
    ("jam bukan jam", {"kind": "izin", "leave_type": "keperluan_penting", "end_date": "2026-03-09",
                       "start_time": "25:00", "end_time": "10:00"}, 422, "invalid_time"),
    ("tanpa alasan", {"reason": " "}, 400, "required"),
])
def test_bad_input_is_a_json_error(world, staff, why, changes, status, code):
    response = post(staff, "/requests", {**CUTI, **changes})
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"]
    assert not AbsenceRequest.objects.exists()


def test_someone_elses_request_is_a_404(world, staff, client_for):
    other = post(client_for(user_for(world.org.staff_a2)), "/requests", {**CUTI, "kind": "dinas_luar", "leave_type": "",
                                                               "spt_number": "SPT/1", "destination": "Muna"})
    assert other.status_code == 201, other.json()
    pk = other.json()["id"]
    for response in (staff.get(f"{URL}/requests/{pk}"), post(staff, f"/requests/{pk}/cancel"),
                     post(staff, f"/approvals/{pk}/approve")):
        assert response.status_code == 404
        assert response.json() == {"detail": "Permohonan tidak ditemukan.", "code": "not_found"}


def test_approving_ones_own_request_is_refused(world, client_for):
    kabid = client_for(world.users.kabid)
    pk = post(kabid, "/requests", CUTI).json()["id"]
    response = post(kabid, f"/approvals/{pk}/approve")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_out_of_turn_is_a_409(world, staff, client_for):
    pk = post(staff, "/requests", CUTI).json()["id"]
    response = post(client_for(world.head_a), f"/approvals/{pk}/approve")
    assert response.status_code == 409 and response.json()["code"] == "out_of_turn"


def test_reject_needs_a_reason_and_ask_change_a_note(world, staff, client_for):
    pk = post(staff, "/requests", CUTI).json()["id"]
    kabid = client_for(world.users.kabid)
    assert post(kabid, f"/approvals/{pk}/reject", {}).status_code == 422
    assert post(kabid, f"/approvals/{pk}/ask-change", {"note": "Lampirkan tiket"}).json()["status"] == (
        RequestStatus.CHANGES_REQUESTED)
    pk2 = post(staff, "/requests", {**CUTI, "start_date": "2026-03-16", "end_date": "2026-03-16"}).json()["id"]
    rejected = post(kabid, f"/approvals/{pk2}/reject", {"reason": "Rapat anggaran"}).json()
    assert rejected["status"] == "ditolak" and rejected["steps"][0]["note"] == "Rapat anggaran"


def test_cancel(world, staff):
    pk = post(staff, "/requests", CUTI).json()["id"]
    response = post(staff, f"/requests/{pk}/cancel", {"reason": "Tidak jadi"})
    assert response.status_code == 200 and response.json()["status"] == "dibatalkan"
    again = post(staff, f"/requests/{pk}/cancel")
    assert again.status_code == 409 and "tidak dapat dibatalkan" in again.json()["detail"]


def test_upload_variant_carries_the_document(world, staff):
    data = {**CUTI, "leave_type": "sakit",
            "attachment": SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat dokter", "application/pdf")}
    response = staff.post(f"{URL}/requests/upload", data, headers={"Idempotency-Key": "up-1"})
    assert response.status_code == 201, response.json()
    assert response.json()["has_attachment"] is True
    fake = {**CUTI, "leave_type": "sakit", "start_date": "2026-03-16", "end_date": "2026-03-17",
            "attachment": SimpleUploadedFile("surat.pdf", b"GIF89a not a pdf", "application/pdf")}
    refused = staff.post(f"{URL}/requests/upload", fake)
    assert refused.status_code == 400 and refused.json()["code"] == "bad_file_type"
    assert refused.json()["field"] == "attachment"


def test_json_submit_of_a_type_that_needs_a_document_says_so(world, staff):
    response = post(staff, "/requests", {**CUTI, "leave_type": "sakit"})
    assert response.status_code == 400
    assert response.json()["code"] == "document_required" and "surat keterangan dokter" in response.json()["detail"]


def test_a_login_without_an_employee_record_gets_a_404(world, client_for):
    response = client_for(world.users.pimpinan).get(f"{URL}/balances")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_list_queries_do_not_grow_with_the_number_of_requests(world, staff, client_for,
                                                              django_assert_max_num_queries):
    kabid = client_for(world.users.kabid)
    for day in ("2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16"):
        assert post(staff, "/requests", {**CUTI, "kind": "izin", "leave_type": "sakit", "start_date": day,
                                          "end_date": day}).status_code == 201
    with django_assert_max_num_queries(8):
        assert len(staff.get(f"{URL}/requests").json()) == 6
    with django_assert_max_num_queries(8):
        assert len(kabid.get(f"{URL}/approvals").json()) == 6


def test_unauthenticated_is_a_401(client):
    assert client.get(f"{URL}/balances").status_code == 401
