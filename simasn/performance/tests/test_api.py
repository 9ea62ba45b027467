"""The SKP API: the cycle over HTTP, and bad input answered with JSON errors carrying an Indonesian detail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simasn.performance.models import Assessment, Evidence, Objection, Realisation, Skp, SkpStatus

pytestmark = pytest.mark.django_db

BASE = "/api/v1/skp"
PDF = b"%PDF-1.4\n%%EOF\n"


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type="application/json")


def test_plan_submit_agree_over_the_api(cast, client_for, agreed, year):
    staff_b = client_for(cast.staff_b)
    assert staff_b.get(f"{BASE}/mine?year={year + 1}").status_code == 404
    r = post(staff_b, "/mine", {"year": year + 1})
    assert r.status_code == 201, r.content
    skp = r.json()
    assert skp["status"] == "draft" and skp["pejabat_penilai"] is None and skp["items"] == []
    item = post(staff_b, f"/{skp['id']}/items", {"text": "Surat keluar", "unit_target": "Layanan surat"}).json()
    r = post(staff_b, f"/items/{item['id']}/indicators",
             {"text": "Jumlah surat", "target_kind": "kuantitas", "target_value": "120", "target_unit": "surat"})
    assert r.status_code == 201 and r.json()["target_value"] == "120.00"
    r = post(staff_b, f"/{skp['id']}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    mine = staff_b.get(f"{BASE}/mine?year={year + 1}").json()
    assert mine["items"][0]["indicators"][0]["target_unit"] == "surat"
    # No ASN atasan: the pimpinan agrees.
    pimpinan = client_for(cast.pimpinan)
    assert [s["id"] for s in pimpinan.get(f"{BASE}/inbox").json()["skps_to_agree"]] == [skp["id"]]
    r = post(pimpinan, f"/{skp['id']}/agree")
    assert r.status_code == 200 and r.json()["status"] == "agreed"


def test_realise_feedback_rate_object_over_the_api(cast, client_for, agreed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff, kabid, head = client_for(cast.staff), client_for(cast.kabid), client_for(cast.head)
    skp = agreed["staff"]
    item = skp.items.get()
    r = staff.post(f"{BASE}/items/{item.pk}/realisations", {
        "period": 2, "text": "Dua dokumen", "value": "2", "url": "https://arsip.example.go.id/d/2",
        "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n0000")],
    })
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["value"] == "2.00" and sorted(e["kind"] for e in body["evidence"]) == ["file", "file", "link"]
    r = post(kabid, f"/{skp.pk}/feedback", {"period": 2, "value": "akuntabel", "text": "Laporan rapi."})
    assert r.status_code == 201
    r = post(kabid, f"/{skp.pk}/feedback", {"period": 2, "item_id": item.pk, "text": "Tepat waktu."})
    assert r.status_code == 201 and r.json()["item_id"] == item.pk
    r = post(kabid, f"/{skp.pk}/assessments", {"period": 2, "hasil": "di_bawah", "hasil_reason": "Kurang satu",
                                               "perilaku": "sesuai"})
    assert r.status_code == 201 and r.json()["predikat"] == "butuh_perbaikan"
    assessment_id = r.json()["id"]
    r = post(kabid, f"/assessments/{assessment_id}/finalise")
    assert r.status_code == 200 and r.json()["status"] == "final" and r.json()["objection_deadline"]
    r = post(staff, f"/assessments/{assessment_id}/objection", {"reason": "Dokumen ketiga ada di arsip."})
    assert r.status_code == 201
    objection_id = r.json()["id"]
    assert [o["id"] for o in head.get(f"{BASE}/inbox").json()["objections_to_decide"]] == [objection_id]
    r = post(head, f"/objections/{objection_id}/decision", {"decision": "changed", "note": "Bukti diterima",
                                                           "hasil": "sesuai", "perilaku": "sesuai"})
    assert r.status_code == 200 and r.json()["new_predikat"] == "baik"
    assert staff.get(f"{BASE}/{skp.pk}/assessments").json()[0]["predikat"] == "baik"


def test_inbox_lists_due_assessments(cast, client_for, agreed):
    due = client_for(cast.kabid).get(f"{BASE}/inbox").json()["assessments_due"]
    assert {d["skp_id"] for d in due} == {agreed["staff"].pk, agreed["staff2"].pk}
    assert {d["period"] for d in due} >= {0, 1, 12} and due[0]["label"]


# --- bad input ------------------------------------------------------------------------------------------


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] and body["code"]
    return body


def test_rating_own_or_foreign_skp_or_too_early(cast, client_for, agreed, year):
    kabid = client_for(cast.kabid)
    body = _error(post(kabid, f"/{agreed['kabid'].pk}/assessments", {"period": 0, "perilaku": "sesuai",
                                                                     "hasil": "sesuai"}), 403)
    assert "sendiri" in body["detail"]
    # Someone else's SKP outside his scope is simply not there.
    _error(post(client_for(cast.staff_b), f"/{agreed['staff'].pk}/assessments",
                {"period": 0, "hasil": "sesuai", "perilaku": "sesuai"}), 404)
    # The colleague may not even see it; the atasan of the atasan neither.
    _error(post(client_for(cast.staff2), f"/{agreed['staff'].pk}/assessments",
                {"period": 0, "hasil": "sesuai", "perilaku": "sesuai"}), 404)
    # Missing reason, unknown rating, malformed body.
    body = _error(post(kabid, f"/{agreed['staff'].pk}/assessments", {"period": 0, "hasil": "di_atas",
                                                                     "perilaku": "sesuai"}), 400)
    assert body["field"] == "hasil_reason" and "wajib" in body["detail"]
    _error(post(kabid, f"/{agreed['staff'].pk}/assessments", {"period": 0, "hasil": "hebat", "perilaku": "sesuai"}),
           400)
    _error(post(kabid, f"/{agreed['staff'].pk}/assessments", {"period": "satu", "perilaku": "sesuai"}), 422)
    assert not Assessment.objects.exists()


def test_rating_before_the_period_ends(cast, client_for, agreed):
    staff_b = client_for(cast.staff_b)
    skp = post(staff_b, "/mine", {"year": agreed["staff"].year + 2}).json()
    Skp.objects.filter(pk=skp["id"]).update(status=SkpStatus.AGREED, agreed_at="2020-01-01T00:00Z")
    body = _error(post(client_for(cast.pimpinan), f"/{skp['id']}/assessments",
                       {"period": 0, "hasil": "sesuai", "perilaku": "sesuai"}), 400)
    assert body["code"] == "period_not_ended" and "belum berakhir" in body["detail"]


def test_locked_skp_and_bad_targets(cast, client_for, agreed, year):
    staff = client_for(cast.staff)
    body = _error(post(staff, f"/{agreed['staff'].pk}/items", {"text": "Baru", "is_additional": True}), 409)
    assert body["code"] == "skp_locked"
    staff_b = client_for(cast.staff_b)
    skp = post(staff_b, "/mine", {"year": year + 1}).json()
    item = post(staff_b, f"/{skp['id']}/items", {"text": "Surat", "unit_target": "t"}).json()
    for value, code in (("-5", "negative"), ("seratus", "not_a_number"), (-1, "negative"), (None, "required")):
        body = _error(post(staff_b, f"/items/{item['id']}/indicators",
                           {"text": "x", "target_kind": "kuantitas", "target_value": value, "target_unit": "s"}),
                      400)
        assert body["code"] == code and body["field"] == "target_value"
    _error(post(staff_b, f"/items/{item['id']}/indicators", {"text": "x", "target_kind": "jumlah",
                                                            "target_value": 1, "target_unit": "s"}), 400)
    _error(post(staff_b, "/mine", {"year": year + 1}), 409)


def test_evidence_of_the_wrong_type_or_size(cast, client_for, agreed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = client_for(cast.staff)
    item = agreed["staff"].items.get()
    r = staff.post(f"{BASE}/items/{item.pk}/realisations", {
        "period": 1, "text": "ok", "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", b"MZ..")],
    })
    body = _error(r, 400)
    assert body["code"] == "file_type_not_allowed" and "PDF, JPEG, atau PNG" in body["detail"]
    assert not Realisation.objects.exists() and not Evidence.objects.exists()  # all or nothing
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    r = staff.post(f"{BASE}/items/{item.pk}/realisations", {"period": 1, "text": "ok", "url": "ftp://x.go.id/a"})
    assert _error(r, 400)["field"] == "url"
    realisation = staff.post(f"{BASE}/items/{item.pk}/realisations", {"period": 1, "text": "ok"}).json()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    body = _error(staff.post(f"{BASE}/realisations/{realisation['id']}/evidence", {"file": big}), 400)
    assert body["code"] == "file_too_large" and "5 MB" in body["detail"]
    r = staff.post(f"{BASE}/realisations/{realisation['id']}/evidence", {"file": SimpleUploadedFile("c.jpg",
                                                                                                   b"\xff\xd8\xff00")})
    assert r.status_code == 201 and r.json()["content_type"] == "image/jpeg"
    r = post(staff, f"/realisations/{realisation['id']}/links", {"url": "javascript:alert(1)"})
    _error(r, 400)
    # Only the owner adds evidence; the atasan reads but may not write.
    _error(post(client_for(cast.kabid), f"/realisations/{realisation['id']}/links", {"url": "https://x.go.id"}),
           403)


def test_objection_after_the_deadline(cast, client_for, agreed):
    from django.utils import timezone

    kabid, staff = client_for(cast.kabid), client_for(cast.staff)
    a = post(kabid, f"/{agreed['staff'].pk}/assessments", {"period": 1, "hasil": "sesuai", "perilaku": "sesuai"})
    post(kabid, f"/assessments/{a.json()['id']}/finalise")
    Assessment.objects.filter(pk=a.json()["id"]).update(finalised_at=timezone.now() - timezone.timedelta(days=20))
    body = _error(post(staff, f"/assessments/{a.json()['id']}/objection", {"reason": "Tidak adil"}), 400)
    assert body["code"] == "objection_late" and "telah lewat" in body["detail"]
    assert not Objection.objects.exists()


def test_unknown_ids_and_anonymous(client, cast, client_for, agreed):
    staff = client_for(cast.staff)
    _error(staff.get(f"{BASE}/999999"), 404)
    _error(post(staff, "/items/999999/indicators", {"text": "x", "target_kind": "kuantitas"}), 404)
    _error(post(staff, "/assessments/999999/objection", {"reason": "x"}), 404)
    assert client.get(f"{BASE}/mine").status_code == 401
    _error(post(staff, f"/{agreed['staff'].pk}/return", {"comment": "x"}), 403)
