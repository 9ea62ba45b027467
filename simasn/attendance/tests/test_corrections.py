"""Corrections: the employee asks with a reason and evidence, the atasan langsung decides, an approval adds
"koreksi" events and recomputes the day; every step audit-logged; bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from simasn.attendance import corrections
from simasn.attendance.models import CheckInEvent, CorrectionRequest, CorrectionStatus, DailyRecord, EventSource
from simasn.attendance.recompute import recompute_days
from simasn.core.errors import Conflict, DomainError, Forbidden, NotFound
from simasn.core.models import AuditEvent
from simasn.workcalendar.schedule_services import assignment_create
from simasn.workcalendar.tests.schedule_helpers import SYSTEM, standard_schedules

from .records_helpers import MONDAY, at

pytestmark = pytest.mark.urls("simasn.attendance.tests.urls_records")

TODAY = MONDAY + dt.timedelta(days=3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bukti.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def std(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = standard_schedules()
    for unit in (org.opd_a, org.opd_b):
        assignment_create(actor=SYSTEM, schedule=made.five_day, unit=unit, effective_from=dt.date(2026, 1, 1))
    return made


def ask(user, **kw):
    data = {"date": MONDAY, "check_in_time": "07:25", "check_out_time": "16:05", "reason": "Lupa presensi, ponsel "
            "mati.", "attachment": pdf(), "today": TODAY}
    data.update(kw)
    return corrections.correction_request(actor=user, **data)


def test_request_goes_to_the_atasan_and_is_audited(std, org, users):
    c = ask(users.staff_a)
    assert (c.status, c.approver, c.employee) == (CorrectionStatus.PENDING, org.kabid, org.staff_a)
    assert c.attachment.name.endswith(".pdf") and "bukti" not in c.attachment.name  # our name, not theirs
    assert AuditEvent.objects.filter(action="attendance.correction_requested", object_id=str(c.pk)).exists()


@pytest.mark.parametrize(("kw", "field"), [
    ({"date": TODAY + dt.timedelta(days=1)}, "date"),  # not yet happened
    ({"date": TODAY - dt.timedelta(days=31)}, "date"),  # too long ago
    ({"check_in_time": "", "check_out_time": None}, "check_in_time"),
    ({"check_in_time": "25:00"}, "check_in_time"),
    ({"reason": "   "}, "reason"),
    ({"reason": "x" * 2001}, "reason"),
    ({"attachment": None}, "attachment"),
    ({"attachment": pdf(content=b"")}, "attachment"),
    ({"attachment": pdf("bukti.pdf", b"<html><script>alert(1)</script></html>")}, "attachment"),  # HTML posing as PDF
    ({"attachment": pdf("x.pdf", PDF + b"0" * (2 * 1024 * 1024))}, "attachment"),  # over 2 MB
])
def test_bad_requests_are_refused_and_nothing_is_stored(std, users, kw, field):
    with pytest.raises(DomainError) as exc:
        ask(users.staff_a, **kw)
    assert exc.value.field == field
    assert not CorrectionRequest.objects.exists()


def test_jpeg_and_png_evidence_are_accepted(std, users):
    ask(users.staff_a, attachment=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100))
    ask(users.staff_a, date=MONDAY + dt.timedelta(days=1),
        attachment=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100))
    assert CorrectionRequest.objects.count() == 2


def test_one_pending_request_per_day_and_only_employees_with_an_atasan(std, org, users):
    ask(users.staff_a)
    with pytest.raises(Conflict):
        ask(users.staff_a)
    from simasn.conftest import user_for

    head = user_for(org.head_a)  # the kepala dinas has no atasan in the tree
    with pytest.raises(DomainError) as exc:
        ask(head)
    assert exc.value.code == "no_approver"
    with pytest.raises(Forbidden):
        ask(users.pimpinan)  # no employee record


def test_approval_adds_koreksi_events_and_recomputes_the_day(std, org, users):
    recompute_days([org.staff_a.pk], MONDAY, MONDAY, now=at(TODAY, "09:00"))
    assert DailyRecord.objects.get(employee=org.staff_a, date=MONDAY).codes == ["TK"]
    c = ask(users.staff_a)
    corrections.correction_decide(actor=users.kabid, correction=c, approve=True, note="Sesuai bukti.")
    c.refresh_from_db()
    assert c.status == CorrectionStatus.APPROVED and c.decided_by == users.kabid
    events = CheckInEvent.objects.filter(employee=org.staff_a, source=EventSource.CORRECTION).order_by("kind")
    assert [(e.kind, e.server_time) for e in events] == [("in", at(MONDAY, "07:25")), ("out", at(MONDAY, "16:05"))]
    assert DailyRecord.objects.get(employee=org.staff_a, date=MONDAY).codes == ["H"]
    assert AuditEvent.objects.filter(action="attendance.correction_approved", object_id=str(c.pk)).exists()
    with pytest.raises(Conflict):
        corrections.correction_decide(actor=users.kabid, correction=c, approve=False, note="Batal")


def test_only_the_atasan_decides_and_a_rejection_needs_a_note(std, org, users):
    c = ask(users.staff_a)
    with pytest.raises(Forbidden):
        corrections.correction_decide(actor=users.admin_opd_a, correction=c, approve=True)
    with pytest.raises(NotFound):
        corrections.correction_get_for(viewer=users.staff_b, pk=c.pk)  # another OPD's pegawai: not even visible
    assert corrections.correction_get_for(viewer=users.admin_opd_a, pk=c.pk) == c
    with pytest.raises(DomainError):
        corrections.correction_decide(actor=users.kabid, correction=c, approve=False, note="  ")
    corrections.correction_decide(actor=users.kabid, correction=c, approve=False, note="Bukti tidak sesuai.")
    assert not CheckInEvent.objects.exists()
    assert AuditEvent.objects.filter(action="attendance.correction_rejected").exists()


def test_night_shift_check_out_correction_lands_next_morning(std, org, users):
    from simasn.workcalendar.models import ShiftRoster

    assignment_create(actor=SYSTEM, schedule=std.shift, employee=org.staff_a, effective_from=dt.date(2026, 1, 1))
    ShiftRoster.objects.create(employee=org.staff_a, date=MONDAY, shift=std.shift_of("malam"))
    c = ask(users.staff_a, check_in_time="20:55", check_out_time="08:02")
    corrections.correction_decide(actor=users.kabid, correction=c, approve=True)
    out = CheckInEvent.objects.get(kind="out")
    assert out.server_time == at(MONDAY + dt.timedelta(days=1), "08:02")
    assert DailyRecord.objects.get(employee=org.staff_a, date=MONDAY).codes == ["H"]


# ── pages ─────────────────────────────────────────────────────────────────────────────────────────────

@override_settings(SIMASN_ATTENDANCE_CORRECTION_MAX_DAYS=100000)
def test_pages_request_inbox_decide_and_evidence(std, org, users, client_for):
    staff = client_for(users.staff_a)
    page = staff.get(reverse("attendance:correction_create") + f"?tanggal={MONDAY:%Y-%m-%d}")
    assert page.status_code == 200 and "Ajukan Koreksi Presensi" in page.text
    bad = staff.post(reverse("attendance:correction_create"), {
        "date": MONDAY.isoformat(), "check_in_time": "07:25", "reason": "Lupa", "attachment": pdf(content=b"GIF89a")})
    assert bad.status_code == 200 and "PDF, JPEG atau PNG" in bad.text
    ok = staff.post(reverse("attendance:correction_create"), {
        "date": MONDAY.isoformat(), "check_in_time": "07:25", "check_out_time": "16:00", "reason": "Lupa",
        "attachment": pdf()})
    assert ok.status_code == 302
    c = CorrectionRequest.objects.get()
    assert "Lupa" in staff.get(reverse("attendance:corrections")).text

    atasan = client_for(users.kabid)
    inbox = atasan.get(reverse("attendance:correction_inbox"))
    assert inbox.status_code == 200 and org.staff_a.name in inbox.text
    evidence = atasan.get(reverse("attendance:correction_attachment", args=[c.pk]))
    assert evidence.status_code == 200 and evidence["Content-Type"] == "application/pdf"
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="attendance.correction_attachment_read").count() == 1

    other = client_for(users.staff_b)
    assert other.get(reverse("attendance:correction_attachment", args=[c.pk])).status_code == 404
    assert other.post(reverse("attendance:correction_decide", args=[c.pk]), {"keputusan": "setujui"}).status_code == 404
    assert staff.post(reverse("attendance:correction_decide", args=[c.pk]), {"keputusan": "setujui"}).status_code == 403

    done = atasan.post(reverse("attendance:correction_decide", args=[c.pk]), {"keputusan": "setujui", "catatan": ""})
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.status == CorrectionStatus.APPROVED


def test_inbox_query_count_is_constant(std, org, users, client_for, django_assert_max_num_queries):
    for offset in range(3):
        ask(users.staff_a, date=MONDAY + dt.timedelta(days=offset))
    atasan = client_for(users.kabid)
    with django_assert_max_num_queries(12):
        assert atasan.get(reverse("attendance:correction_inbox")).status_code == 200
