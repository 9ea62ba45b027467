"""The review queue of flagged check-ins (API and page), the audited selfie viewer and selfie retention."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from simasn.attendance.models import CheckInEvent, DailyRecord, EventStatus, ReviewStatus
from simasn.attendance.tasks_capture import purge_expired_selfies_now
from simasn.core.models import AuditEvent

from .capture_helpers import API, URLCONF, at, bearer, face_jpeg, five_day_schedule, token_for, working_monday

pytestmark = pytest.mark.urls(URLCONF)

MONDAY = working_monday()


def flagged(employee, *, minutes: int = 0, photo: bool = False) -> CheckInEvent:
    moment = at(MONDAY, "07:20") + dt.timedelta(minutes=minutes)
    event = CheckInEvent(employee=employee, kind="in", server_time=moment, client_time=moment, work_date=MONDAY,
                         client_id=uuid.uuid4(), latitude=-3.98, longitude=122.6, accuracy_m=15,
                         flags=["OUTSIDE_GEOFENCE"], flag_details={"OUTSIDE_GEOFENCE": {"distance_m": 1234.5,
                                                                                         "nearest": "Kantor"}},
                         status=EventStatus.FLAGGED, review_status=ReviewStatus.PENDING)
    if photo:
        event.photo = default_storage.save("selfies/2026/03/uji.jpg", ContentFile(face_jpeg()))
    event.save()
    return event


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_atasan_sees_his_subordinates_flags_only(client_for, users, org):
    mine = flagged(org.staff_a)
    flagged(org.staff_b)
    flagged(org.kabid)  # his own event: never his to review
    response = client_for(users.kabid).get(f"{API}/reviews")
    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == [mine.pk]
    item = response.json()[0]
    assert item["flag_labels"] == ["Di luar lokasi presensi yang diizinkan"]
    assert item["employee"]["nip"] == org.staff_a.nip


def test_admin_opd_sees_his_unit_and_admin_bkpsdm_the_city(client_for, users, org):
    a, b = flagged(org.staff_a), flagged(org.staff_b)
    assert {e["id"] for e in client_for(users.admin_opd_a).get(f"{API}/reviews").json()} == {a.pk}
    assert {e["id"] for e in client_for(users.admin_bkpsdm).get(f"{API}/reviews").json()} == {a.pk, b.pk}
    assert client_for(users.staff_b).get(f"{API}/reviews").json() == []


def test_accepting_counts_the_event_and_is_audited(client_for, users, org):
    five_day_schedule(org.opd_a)
    event = flagged(org.staff_a)
    web = client_for(users.kabid)
    response = web.post(f"{API}/reviews/{event.pk}", json.dumps({"decision": "accept", "note": "Rapat di luar"}),
                        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["review_status"] == "diterima"
    event.refresh_from_db()
    assert event.reviewed_by == users.kabid and event.review_note == "Rapat di luar"
    audit = AuditEvent.objects.get(action="attendance.checkin_accepted")
    assert audit.object_id == str(event.pk) and audit.after["note"] == "Rapat di luar"
    record = DailyRecord.objects.get(employee=org.staff_a, date=MONDAY)
    assert record.first_in == event.server_time and record.has_pending_review is False
    again = web.post(f"{API}/reviews/{event.pk}", json.dumps({"decision": "reject", "note": "x"}),
                     content_type="application/json")
    assert again.status_code == 409


def test_reject_needs_a_note_and_bad_input_is_422(client_for, users, org):
    event = flagged(org.staff_a)
    web = client_for(users.kabid)
    url = f"{API}/reviews/{event.pk}"
    assert web.post(url, json.dumps({"decision": "reject"}), content_type="application/json").status_code == 400
    for bad in ({"decision": "maybe"}, {"decision": "accept", "extra": 1}, {"decision": True}):
        assert web.post(url, json.dumps(bad), content_type="application/json").status_code == 422
    event.refresh_from_db()
    assert event.review_status == ReviewStatus.PENDING


def test_out_of_scope_review_is_404(client_for, users, org):
    event = flagged(org.staff_b)
    response = client_for(users.kabid).post(f"{API}/reviews/{event.pk}", json.dumps({"decision": "accept"}),
                                            content_type="application/json")
    assert response.status_code == 404


def test_device_token_of_an_admin_gives_no_admin_review(client, users, org):
    flagged(org.staff_a)
    response = client.get(f"{API}/reviews", **bearer(token_for(users.admin_opd_a)))
    assert response.status_code == 200 and response.json() == []


def test_review_page_lists_and_decides_with_htmx(client_for, users, org, django_assert_max_num_queries):
    events = [flagged(org.staff_a, minutes=i) for i in range(5)]
    web = client_for(users.kabid)
    with django_assert_max_num_queries(12):
        page = web.get(reverse("attendance_capture:reviews"))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('<tr id="review-') == 5
    assert "1235 m dari Kantor" in html
    response = web.post(reverse("attendance_capture:review_decide", args=[events[0].pk]),
                        {"decision": "reject", "note": "Tidak di kantor"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Ditolak" in response.content.decode()
    assert "<html" not in response.content.decode()
    missing_note = web.post(reverse("attendance_capture:review_decide", args=[events[1].pk]),
                            {"decision": "reject"}, HTTP_HX_REQUEST="true")
    assert "Alasan penolakan wajib diisi." in missing_note.content.decode()


def test_review_page_is_forbidden_without_anyone_to_review(client_for, users):
    assert client_for(users.staff_b).get(reverse("attendance_capture:reviews")).status_code == 403


def test_selfie_is_served_to_reviewers_and_the_owner_and_the_read_is_audited(client_for, users, org, media):
    event = flagged(org.staff_a, photo=True)
    url = reverse("attendance_capture:selfie", args=[event.pk])
    response = client_for(users.kabid).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == face_jpeg()
    assert client_for(users.staff_a).get(url).status_code == 200
    assert client_for(users.staff_b).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="attendance.selfie_viewed").count() == 2


def test_retention_deletes_old_selfies_and_keeps_the_hash(users, org, media):
    old = flagged(org.staff_a, photo=True)
    CheckInEvent.objects.filter(pk=old.pk).update(photo_hash="0123456789abcdef")
    path = media / old.photo.name
    assert path.exists()
    later = old.server_time + dt.timedelta(days=30)
    assert purge_expired_selfies_now(later) == 0
    assert purge_expired_selfies_now(old.server_time + dt.timedelta(days=91)) == 1
    old.refresh_from_db()
    assert not path.exists() and old.photo == "" and old.photo_deleted_at is not None
    assert old.photo_hash == "0123456789abcdef"
    assert AuditEvent.objects.filter(action="attendance.selfies_purged").count() == 1
