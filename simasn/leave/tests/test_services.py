"""Submitting, approving, rejecting, correcting, cancelling and cutting short — and every bad input of the
issue, refused with a clear message and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.core.models import AuditEvent
from simasn.leave import ledger, selectors, services
from simasn.leave.models import AbsenceRequest, ApprovalStep, LeaveLedgerEntry, RequestStatus, StepStatus
from simasn.notifications.models import Notification

from .conftest import TODAY, d

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def upload(content: bytes = PDF, name: str = "surat.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def submit(actor, employee, **kw):
    data = {"kind": "cuti", "leave_type": "tahunan", "start_date": d("2026-03-09"), "end_date": d("2026-03-13"),
            "reason": "Keperluan keluarga", "today": TODAY}
    data.update(kw)
    return services.request_submit(actor=actor, employee=employee, **data)


def approve_all(world, request):
    for step in request.steps.order_by("order"):
        services.request_approve(actor=step.approver.user, request=request)
    request.refresh_from_db()
    return request


# ── The happy path ────────────────────────────────────────────────────────────────────────────────────


def test_a_cuti_goes_to_the_atasan_then_to_the_kepala_opd(world):
    w = world
    req = submit(w.users.staff_a, w.org.staff_a)
    assert req.status == RequestStatus.PENDING and req.working_days == 5
    steps = list(req.steps.order_by("order").values_list("role", "approver", "status"))
    assert steps == [("atasan_langsung", w.org.kabid.pk, StepStatus.PENDING),
                     ("kepala_opd", w.org.head_a.pk, StepStatus.WAITING)]
    assert Notification.objects.filter(recipient=w.users.kabid, category="leave.awaiting_approval").count() == 1
    assert AuditEvent.objects.filter(action="leave.request_submitted", object_id=str(req.pk)).exists()

    services.request_approve(actor=w.users.kabid, request=req, note="Silakan")
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING and req.current_step == 2
    assert Notification.objects.filter(recipient=w.head_a, category="leave.awaiting_approval").count() == 1
    # The atasan's "awaiting" message is no longer news.
    assert not Notification.objects.filter(recipient=w.users.kabid, read_at__isnull=True).exists()

    services.request_approve(actor=w.head_a, request=req)
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED and req.decided_at is not None
    assert len(req.verification_code) == 10 and req.verification_code.isupper()
    assert not set(req.verification_code) & set("01OIL")
    assert selectors.request_by_verification_code(req.verification_code.lower()) == req
    assert ledger.balance(w.org.staff_a, "tahunan", 2026) == 12 - 5
    assert Notification.objects.filter(recipient=w.users.staff_a, category="leave.decided").count() == 1


def test_working_days_skip_weekends_and_holidays(world):
    from simasn.workcalendar.models import Holiday

    Holiday.objects.create(date=d("2026-03-11"), name="Libur uji", category="libur_nasional")
    req = submit(world.users.staff_a, world.org.staff_a, start_date=d("2026-03-06"), end_date=d("2026-03-13"))
    assert req.working_days == 5  # Fri 6, Mon 9, Tue 10, Thu 12, Fri 13


def test_an_admin_opd_files_for_an_employee_of_his_opd(world):
    req = submit(world.users.admin_opd_a, world.org.staff_a)
    assert req.submitted_by == world.users.admin_opd_a and req.employee == world.org.staff_a


# ── Bad input (the list) ──────────────────────────────────────────────────────────────────────

BAD_DATES = [
    ("tanggal selesai sebelum tanggal mulai", {"start_date": d("2026-03-13"), "end_date": d("2026-03-09")},
     "end_before_start"),
    ("rentang 400 hari", {"start_date": d("2026-03-09"), "end_date": d("2026-03-09") + dt.timedelta(days=399)},
     "span_too_long"),
    ("terlalu jauh di masa lalu", {"start_date": d("2026-01-05"), "end_date": d("2026-01-06")}, "too_far_past"),
    ("lebih dari setahun ke depan", {"start_date": d("2027-03-15"), "end_date": d("2027-03-16")}, "too_far_ahead"),
    ("hanya akhir pekan", {"start_date": d("2026-03-07"), "end_date": d("2026-03-08")}, "no_working_days"),
    ("tanggal bukan tanggal", {"start_date": "2025-02-29"}, "invalid_date"),
    ("melewati pergantian tahun", {"start_date": d("2026-12-28"), "end_date": d("2027-01-04")}, "crosses_year"),
]


@pytest.mark.parametrize(("why", "changes", "code"), BAD_DATES, ids=[c[0] for c in BAD_DATES])
def test_bad_dates_are_refused(world, why, changes, code):
    with pytest.raises(DomainError) as caught:
        submit(world.users.staff_a, world.org.staff_a, **changes)
    assert caught.value.code == code, caught.value.message
    assert not AbsenceRequest.objects.exists()


def test_leave_for_someone_else_without_the_right_is_forbidden(world):
    with pytest.raises(Forbidden):
        submit(world.users.staff_b, world.org.staff_a)
    with pytest.raises(Forbidden):  # an atasan does not file for his bawahan
        submit(world.users.kabid, world.org.staff_a)
    with pytest.raises(Forbidden):  # an admin OPD only inside his OPD
        submit(world.users.admin_opd_a, world.org.staff_b)
    assert not AbsenceRequest.objects.exists()


def test_the_same_idempotency_key_returns_the_first_request(world):
    first = submit(world.users.staff_a, world.org.staff_a, idempotency_key="abc-123")
    again = submit(world.users.staff_a, world.org.staff_a, idempotency_key="abc-123")
    assert again.pk == first.pk
    assert AbsenceRequest.objects.count() == 1 and ApprovalStep.objects.count() == 2
    assert Notification.objects.filter(category="leave.awaiting_approval").count() == 1


def test_approving_ones_own_request_is_refused(world):
    req = submit(world.users.kabid, world.org.kabid)  # his chain: kepala A only
    with pytest.raises(Forbidden, match="sendiri"):
        services.request_approve(actor=world.users.kabid, request=req)


def test_approving_out_of_turn_is_refused(world):
    req = submit(world.users.staff_a, world.org.staff_a)
    with pytest.raises(Conflict) as caught:
        services.request_approve(actor=world.head_a, request=req)
    assert caught.value.code == "out_of_turn"
    with pytest.raises(Forbidden):
        services.request_approve(actor=world.users.staff_b, request=req)
    services.request_approve(actor=world.users.kabid, request=req)
    with pytest.raises(Conflict) as caught:  # a second click of the same approver
        services.request_approve(actor=world.users.kabid, request=req)
    assert caught.value.code == "already_decided"


UPLOADS = [
    ("bukan PDF/JPEG/PNG (exe berganti nama)", b"MZ\x90\x00" + b"\0" * 100, "bad_file_type"),
    ("berkas kosong", b"", "empty_file"),
    ("lebih dari 2 MB", PDF + b"\0" * (2 * 1024 * 1024), "file_too_large"),
]


@pytest.mark.parametrize(("why", "content", "code"), UPLOADS, ids=[c[0] for c in UPLOADS])
def test_bad_uploads_are_refused(world, why, content, code):
    with pytest.raises(DomainError) as caught:
        submit(world.users.staff_a, world.org.staff_a, leave_type="sakit", attachment=upload(content))
    assert caught.value.code == code
    assert not AbsenceRequest.objects.exists()


def test_cuti_sakit_of_several_days_needs_a_doctors_note(world):
    with pytest.raises(DomainError, match="surat keterangan dokter") as caught:
        submit(world.users.staff_a, world.org.staff_a, leave_type="sakit")
    assert caught.value.code == "document_required"
    req = submit(world.users.staff_a, world.org.staff_a, leave_type="sakit", attachment=upload(PNG, "x.png"))
    assert req.attachment.name.endswith(".png")


def test_cuti_sakit_over_14_days_names_the_government_doctor(world):
    with pytest.raises(DomainError, match="dokter pemerintah"):
        submit(world.users.staff_a, world.org.staff_a, leave_type="sakit", end_date=d("2026-03-31"))


@pytest.mark.parametrize(("why", "leave_type", "end", "ok"), [
    ("cuti besar 3 bulan: sampai sehari sebelum tanggal yang sama 3 bulan kemudian", "besar", "2026-06-08", True),
    ("cuti besar lebih dari 3 bulan", "besar", "2026-06-09", False),
    ("alasan penting 1 bulan", "alasan_penting", "2026-04-08", True),
    ("alasan penting lebih dari 1 bulan", "alasan_penting", "2026-04-09", False),
])
def test_maximum_length_in_months(world, why, leave_type, end, ok):
    world.org.staff_a.tmt_cpns = d("2010-01-01")
    world.org.staff_a.save()
    kwargs = {"leave_type": leave_type, "end_date": d(end), "attachment": upload()}
    if ok:
        assert submit(world.users.staff_a, world.org.staff_a, **kwargs).pk
    else:
        with pytest.raises(DomainError) as caught:
            submit(world.users.staff_a, world.org.staff_a, **kwargs)
        assert caught.value.code == "too_long"


def test_cuti_melahirkan_from_the_fourth_child_is_cuti_besar(world):
    mother = world.org.staff_a
    mother.sex = "P"
    mother.save()
    with pytest.raises(DomainError, match="anak keempat"):
        submit(world.users.staff_a, mother, leave_type="melahirkan", child_order=4, end_date=d("2026-06-08"))
    req = submit(world.users.staff_a, mother, leave_type="melahirkan", child_order=3, end_date=d("2026-06-08"))
    assert req.child_order == 3


def test_pppk_may_not_take_cuti_besar(world):
    world.org.staff_a.kind = "PPPK"
    world.org.staff_a.tmt_golongan = d("2015-01-01")
    world.org.staff_a.save()
    with pytest.raises(DomainError, match="tidak tersedia bagi PPPK"):
        submit(world.users.staff_a, world.org.staff_a, leave_type="besar")


# ── Overlaps ──────────────────────────────────────────────────────────────────────────────────────────


def test_overlap_with_cuti_dinas_luar_or_izin_is_refused(world):
    submit(world.users.staff_a, world.org.staff_a)
    with pytest.raises(DomainError, match="bertumpang tindih") as caught:
        submit(world.users.staff_a, world.org.staff_a, kind="dinas_luar", leave_type="", spt_number="SPT/1",
               destination="Kolaka", start_date=d("2026-03-13"), end_date=d("2026-03-16"))
    assert caught.value.code == "overlap"
    with pytest.raises(DomainError, match="bertumpang tindih"):
        submit(world.users.staff_a, world.org.staff_a, kind="izin", leave_type="sakit",
               start_date=d("2026-03-10"), end_date=d("2026-03-10"))
    # The day after is free.
    submit(world.users.staff_a, world.org.staff_a, kind="dinas_luar", leave_type="", spt_number="SPT/1",
           destination="Kolaka", start_date=d("2026-03-16"), end_date=d("2026-03-17"))


def test_two_hour_izin_on_one_day_may_pass_when_their_hours_do_not_meet(world):
    izin = {"kind": "izin", "leave_type": "keperluan_penting", "start_date": d("2026-03-10"),
            "end_date": d("2026-03-10")}
    first = submit(world.users.staff_a, world.org.staff_a, start_time=dt.time(8), end_time=dt.time(10), **izin)
    assert first.working_days == 0
    submit(world.users.staff_a, world.org.staff_a, start_time=dt.time(13), end_time=dt.time(15), **izin)
    with pytest.raises(DomainError, match="bertumpang tindih"):
        submit(world.users.staff_a, world.org.staff_a, start_time=dt.time(9), end_time=dt.time(11), **izin)
    with pytest.raises(DomainError, match="paling lama 4 jam"):
        submit(world.users.staff_a, world.org.staff_a, start_time=dt.time(7), end_time=dt.time(12),
               **{**izin, "start_date": d("2026-03-11"), "end_date": d("2026-03-11")})


def test_izin_sakit_is_exactly_one_day(world):
    with pytest.raises(DomainError, match="satu hari"):
        submit(world.users.staff_a, world.org.staff_a, kind="izin", leave_type="sakit")


def test_flexible_work_needs_its_location_and_dinas_luar_its_spt(world):
    with pytest.raises(DomainError, match="lokasi"):
        submit(world.users.staff_a, world.org.staff_a, kind="fleksibel", leave_type="")
    with pytest.raises(DomainError, match="Nomor SPT"):
        submit(world.users.staff_a, world.org.staff_a, kind="dinas_luar", leave_type="", destination="Kolaka")
    req = submit(world.users.staff_a, world.org.staff_a, kind="fleksibel", leave_type="",
                 location_name="Rumah", latitude="-3.9700", longitude=122.5150, radius_m=100)
    assert str(req.latitude) == "-3.970000" and req.steps.count() == 1


# ── Balance, reservation, cuti besar ──────────────────────────────────────────────────────────────────


def test_pending_requests_reserve_days(world):
    submit(world.users.staff_a, world.org.staff_a, start_date=d("2026-03-09"), end_date=d("2026-03-20"))  # 10
    with pytest.raises(DomainError, match="menunggu persetujuan 10") as caught:
        submit(world.users.staff_a, world.org.staff_a, start_date=d("2026-04-06"), end_date=d("2026-04-08"))  # 3
    assert caught.value.code == "insufficient_balance"
    submit(world.users.staff_a, world.org.staff_a, start_date=d("2026-04-06"), end_date=d("2026-04-07"))  # 2


def test_cuti_besar_makes_the_rest_of_the_years_cuti_tahunan_lapse(world, org):
    staff = world.org.staff_a
    staff.tmt_cpns = d("2010-01-01")
    staff.save()
    tahunan = approve_all(world, submit(world.users.staff_a, staff))  # 5 days used
    besar = approve_all(world, submit(world.users.staff_a, staff, leave_type="besar",
                                      start_date=d("2026-04-06"), end_date=d("2026-06-05")))
    assert besar.status == RequestStatus.APPROVED and tahunan.status == RequestStatus.APPROVED
    assert besar.steps.count() == 2  # no Sekretariat Daerah in this org: sekda resolves to nobody
    assert ledger.balance(staff, "tahunan", 2026) == 0
    assert LeaveLedgerEntry.objects.get(request=besar).days == -7
    with pytest.raises(DomainError, match="cuti besar"):
        submit(world.users.staff_a, staff, start_date=d("2026-07-06"), end_date=d("2026-07-06"))
    # Cancelled before it starts: the lapsed days come back.
    services.request_cancel(actor=world.users.staff_a, request=besar, today=TODAY)
    assert ledger.balance(staff, "tahunan", 2026) == 7
    submit(world.users.staff_a, staff, start_date=d("2026-07-06"), end_date=d("2026-07-06"))


# ── Reject, ask for change, resubmit, cancel, cut short ───────────────────────────────────────────────


def test_rejecting_needs_a_reason_and_closes_the_chain(world):
    req = submit(world.users.staff_a, world.org.staff_a)
    with pytest.raises(DomainError, match="wajib"):
        services.request_reject(actor=world.users.kabid, request=req, reason="  ")
    services.request_reject(actor=world.users.kabid, request=req, reason="Sedang audit")
    req.refresh_from_db()
    assert req.status == RequestStatus.REJECTED
    assert list(req.steps.order_by("order").values_list("status", flat=True)) == [StepStatus.REJECTED,
                                                                                   StepStatus.CLOSED]
    assert ledger.balance(world.org.staff_a, "tahunan", 2026) == 12
    # Its dates are free again.
    submit(world.users.staff_a, world.org.staff_a)


def test_asking_for_a_change_then_resubmitting_restarts_the_chain(world):
    req = submit(world.users.staff_a, world.org.staff_a)
    services.request_approve(actor=world.users.kabid, request=req)
    services.request_ask_change(actor=world.head_a, request=req, note="Mulai tanggal 10 saja")
    req.refresh_from_db()
    assert req.status == RequestStatus.CHANGES_REQUESTED
    assert req.steps.get(order=2).status == StepStatus.CHANGES_REQUESTED
    assert Notification.objects.filter(recipient=world.users.staff_a, category="leave.changes_requested").exists()
    with pytest.raises(Forbidden):
        services.request_resubmit(actor=world.users.kabid, request=req, start_date=d("2026-03-10"))
    services.request_resubmit(actor=world.users.staff_a, request=req, start_date=d("2026-03-10"), today=TODAY)
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING and req.current_step == 1 and req.working_days == 4
    assert list(req.steps.order_by("order").values_list("status", flat=True)) == [StepStatus.PENDING,
                                                                                   StepStatus.WAITING]
    event = AuditEvent.objects.get(action="leave.request_resubmitted")
    assert event.before["steps"][1]["note"] == "Mulai tanggal 10 saja"


def test_resubmitting_is_validated_like_a_new_request(world):
    req = submit(world.users.staff_a, world.org.staff_a)
    services.request_ask_change(actor=world.users.kabid, request=req, note="Perbaiki")
    with pytest.raises(DomainError, match="sebelum tanggal mulai"):
        services.request_resubmit(actor=world.users.staff_a, request=req, end_date=d("2026-03-01"), today=TODAY)
    req.refresh_from_db()
    assert req.status == RequestStatus.CHANGES_REQUESTED and req.end_date == d("2026-03-13")


def test_cancel_before_the_start_returns_the_days(world):
    req = approve_all(world, submit(world.users.staff_a, world.org.staff_a))
    assert ledger.balance(world.org.staff_a, "tahunan", 2026) == 7
    with pytest.raises(Forbidden):
        services.request_cancel(actor=world.users.staff_b, request=req, today=TODAY)
    services.request_cancel(actor=world.users.staff_a, request=req, reason="Batal berangkat", today=TODAY)
    req.refresh_from_db()
    assert req.status == RequestStatus.CANCELLED
    assert ledger.balance(world.org.staff_a, "tahunan", 2026) == 12
    with pytest.raises(Conflict):  # twice: nothing more to return
        services.request_cancel(actor=world.users.staff_a, request=req, today=TODAY)
    assert ledger.balance(world.org.staff_a, "tahunan", 2026) == 12


def test_an_approved_leave_cannot_be_cancelled_once_started(world):
    req = approve_all(world, submit(world.users.staff_a, world.org.staff_a))
    with pytest.raises(Conflict, match="sebelum tanggal mulai"):
        services.request_cancel(actor=world.users.staff_a, request=req, today=d("2026-03-09"))


def test_cut_short_returns_the_remaining_working_days(world):
    req = approve_all(world, submit(world.users.staff_a, world.org.staff_a))  # Mon 9 – Fri 13
    with pytest.raises(Conflict, match="sedang berjalan"):
        services.request_cut_short(actor=world.users.staff_a, request=req, back_at_work_on=d("2026-03-11"),
                                   reason="Dipanggil kembali", today=TODAY)
    running = d("2026-03-10")
    for bad in (d("2026-03-09"), d("2026-03-14")):
        with pytest.raises(DomainError, match="harus antara"):
            services.request_cut_short(actor=world.users.staff_a, request=req, back_at_work_on=bad,
                                       reason="Dipanggil kembali", today=running)
    services.request_cut_short(actor=world.users.staff_a, request=req, back_at_work_on=d("2026-03-11"),
                               reason="Dipanggil kembali", today=running)
    req.refresh_from_db()
    assert req.cut_short_from == d("2026-03-11") and req.last_day_away == d("2026-03-10")
    assert ledger.balance(world.org.staff_a, "tahunan", 2026) == 12 - 2
    assert Notification.objects.filter(category="leave.cut_short", recipient=world.users.kabid).exists()
    # The freed days may be requested again.
    submit(world.users.staff_a, world.org.staff_a, kind="dinas_luar", leave_type="", spt_number="SPT/9",
           destination="Baubau", start_date=d("2026-03-12"), end_date=d("2026-03-13"), today=running)


def test_every_transition_is_audited(world):
    req = approve_all(world, submit(world.users.staff_a, world.org.staff_a))
    services.request_cancel(actor=world.users.staff_a, request=req, today=TODAY)
    actions = list(AuditEvent.objects.filter(object_id=str(req.pk), object_type="leave.absencerequest")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["leave.request_submitted", "leave.request_step_approved", "leave.request_approved",
                       "leave.request_cancelled"]


def test_a_refused_request_leaves_no_stored_attachment(world, settings):
    with pytest.raises(DomainError):
        submit(world.users.staff_a, world.org.staff_a, leave_type="sakit", attachment=upload(),
               end_date=d("2026-03-01"))
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
    # Refused after the file was stored (the chain cannot be resolved): the file is removed again.
    world.org.staff_b.position = None
    world.org.staff_b.save()
    with pytest.raises(DomainError, match="Tidak ada pejabat"):
        submit(world.users.staff_b, world.org.staff_b, leave_type="sakit", attachment=upload())
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))
