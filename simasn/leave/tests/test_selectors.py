"""Reads: who sees which request, the inbox, balances, allowed types, and excused days for attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from simasn.core.errors import NotFound
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave import selectors, services
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.workcalendar.models import Holiday

from .conftest import TODAY, d
from .test_services import approve_all, submit


def test_who_sees_a_request(world):
    w = world
    req = submit(w.users.staff_a, w.org.staff_a)
    visible = {
        "pemohon": w.users.staff_a, "atasan (tahap 1)": w.users.kabid, "kepala OPD (tahap 2)": w.head_a,
        "admin OPD Alpha": w.users.admin_opd_a, "admin BKPSDM": w.users.admin_bkpsdm, "pimpinan": w.users.pimpinan,
    }
    for who, user in visible.items():
        assert selectors.request_get_for(viewer=user, pk=req.pk) == req, who
        assert list(selectors.request_list_for(viewer=user)) == [req], who
    for user in (w.users.staff_b,):
        with pytest.raises(NotFound):
            selectors.request_get_for(viewer=user, pk=req.pk)
        assert not selectors.request_list_for(viewer=user).exists()
    with pytest.raises(NotFound):
        selectors.request_get_for(viewer=w.users.staff_a, pk="abc")


def test_the_inbox_holds_only_the_current_step(world, django_assert_num_queries):
    w = world
    for start in ("2026-03-09", "2026-03-16", "2026-03-23"):
        submit(w.users.staff_a, w.org.staff_a, start_date=d(start), end_date=d(start))
    assert not selectors.approval_inbox(viewer=w.head_a).exists()
    with django_assert_num_queries(1):
        steps = list(selectors.approval_inbox(viewer=w.users.kabid))
        assert [s.request.employee.name for s in steps] == [w.org.staff_a.name] * 3
    services.request_approve(actor=w.users.kabid, request=steps[0].request)
    assert selectors.approval_inbox(viewer=w.users.kabid).count() == 2
    assert [s.request_id for s in selectors.approval_inbox(viewer=w.head_a)] == [steps[0].request_id]
    assert not selectors.approval_inbox(viewer=w.users.admin_bkpsdm).exists()


def test_balances_for_lists_tahunan_first_and_the_other_types_used_days(world):
    w = world
    approve_all(w, submit(w.users.staff_a, w.org.staff_a))
    submit(w.users.staff_a, w.org.staff_a, start_date=d("2026-03-16"), end_date=d("2026-03-17"))
    sick = approve_all(w, submit(w.users.staff_a, w.org.staff_a, kind="cuti", leave_type="alasan_penting",
                                 start_date=d("2026-03-23"), end_date=d("2026-03-25"),
                                 attachment=_pdf()))
    assert sick.working_days == 3
    balances = {b.leave_type: b for b in selectors.balances_for(w.org.staff_a, 2026)}
    tahunan = balances["tahunan"]
    assert (tahunan.entitlement, tahunan.used, tahunan.pending, tahunan.available) == (12, 5, 2, 5)
    assert balances["alasan_penting"].used == 3 and balances["alasan_penting"].available is None
    assert "bersama" not in balances
    assert list(balances)[0] == "tahunan"


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", "application/pdf")


def test_allowed_leave_types_explain_the_refusals(world):
    staff = world.org.staff_a
    staff.tmt_cpns = d("2023-01-01")
    staff.sex = "L"
    staff.save()
    options = {o.code: o for o in selectors.allowed_leave_types(staff, on=TODAY)}
    assert options["tahunan"].allowed and options["sakit"].allowed and options["alasan_penting"].allowed
    assert not options["besar"].allowed and "5 tahun" in options["besar"].reason
    assert not options["melahirkan"].allowed and "perempuan" in options["melahirkan"].reason
    assert "bersama" not in options  # declared by the government, never requested
    pppk = EmployeeFactory(kind="PPPK", tmt_cpns=None, tmt_golongan=d("2020-01-01"), sex="P")
    assert {o.code for o in selectors.allowed_leave_types(pppk, on=TODAY)} == {"tahunan", "sakit", "melahirkan"}


def test_excused_days_for_attendance(world, django_assert_max_num_queries):
    w = world
    Holiday.objects.create(date=d("2026-03-11"), name="Libur uji", category="libur_nasional")
    cuti = approve_all(w, submit(w.users.staff_a, w.org.staff_a))  # 9–13 March
    services.request_cut_short(actor=w.users.staff_a, request=cuti, back_at_work_on=d("2026-03-13"),
                               reason="Kembali", today=d("2026-03-10"))
    dl = approve_all(w, submit(w.users.staff_a, w.org.staff_a, kind="dinas_luar", leave_type="", spt_number="SPT/2",
                               destination="Kolaka", latitude=Decimal("-4.05"), longitude=Decimal("121.59"),
                               radius_m=300, location_name="Kantor Bupati Kolaka",
                               start_date=d("2026-03-16"), end_date=d("2026-03-17")))
    submit(w.users.staff_a, w.org.staff_a, kind="izin", leave_type="sakit", start_date=d("2026-03-18"),
           end_date=d("2026-03-18"))  # pending: not an excuse
    others = [EmployeeFactory(unit=w.org.bidang_a) for _ in range(20)]
    for person in others:
        AbsenceRequestFactory(employee=person, start_date=d("2026-03-09"), end_date=d("2026-03-20"))
    ids = [w.org.staff_a.pk, *(p.pk for p in others)]
    selectors.excused_days(ids, d("2026-03-01"), d("2026-03-31"))  # warm the holiday table
    with django_assert_max_num_queries(1):
        excused = selectors.excused_days(ids, d("2026-03-01"), d("2026-03-31"))
    mine = sorted(day for (employee_id, day) in excused if employee_id == w.org.staff_a.pk)
    # 9, 10 (cuti; 11 is a holiday, back at work on 13 so 12 is the last day away), 16, 17 (dinas luar)
    assert mine == [d("2026-03-09"), d("2026-03-10"), d("2026-03-12"), d("2026-03-16"), d("2026-03-17")]
    assert excused[(w.org.staff_a.pk, d("2026-03-09"))].kind == "cuti"
    excuse = excused[(w.org.staff_a.pk, d("2026-03-16"))]
    assert excuse.request_id == dl.pk and excuse.location.radius_m == 300
    assert excuse.location.latitude == Decimal("-4.050000")
    assert len([k for k in excused if k[0] == others[0].pk]) == 9  # 10 weekdays minus the holiday
    assert selectors.excused_days([], d("2026-03-01"), d("2026-03-31")) == {}
    assert selectors.excused_days(ids, d("2026-03-31"), d("2026-03-01")) == {}


def test_verification_code_lookup_only_finds_approved_requests(world):
    req = AbsenceRequestFactory(employee=world.org.staff_a, verification_code="ABCDEFGH23")
    assert selectors.request_by_verification_code(" abcd-efgh23 ") == req
    req.status = "dibatalkan"
    req.save()
    assert selectors.request_by_verification_code("ABCDEFGH23") is None
    assert selectors.request_by_verification_code(None) is None
    assert selectors.request_by_verification_code("X" * 40) is None


def test_excused_days_spans_only_the_asked_range(world):
    AbsenceRequestFactory(employee=world.org.staff_a, start_date=d("2026-02-23"), end_date=d("2026-03-06"))
    days = selectors.excused_days([world.org.staff_a.pk], d("2026-03-02"), d("2026-03-03"))
    assert sorted(day for _pk, day in days) == [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
