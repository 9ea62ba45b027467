"""The Kinerja pages: SKP Saya (plan, submit, revision), the atasan's agree / return / feedback / rating with
the live predikat, evidence, objections, coaching — status, content and scope of each page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simasn.core.models import AuditEvent
from simasn.performance import services
from simasn.performance.models import (
    Assessment,
    AssessmentStatus,
    CoachingPlan,
    Evidence,
    Feedback,
    Objection,
    Realisation,
    Skp,
    SkpItem,
    SkpStatus,
)

from .factories import AssessmentFactory, UnitResultFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def url(name: str, *args) -> str:
    return reverse(f"performance:{name}", args=args)


# ------------------------------------------------------------------------------------------ SKP Saya


def test_my_skp_offers_to_draft_then_shows_the_draft(cast, client_for, agreed, year):
    c = client_for(cast.staff_b)
    page = c.get(url("my_skp") + f"?tahun={year}")
    assert page.status_code == 200
    assert "Susun SKP" in page.content.decode()
    r = c.post(url("skp_create"), {"year": year, "approach": "kuantitatif", "tahun": year})
    skp = Skp.objects.get(employee__user=cast.staff_b, year=year)
    assert r.status_code == 302 and r["Location"] == url("skp_detail", skp.pk)
    page = c.get(url("my_skp") + f"?tahun={year}").content.decode()
    assert "SKP Saya" in page and "Draf" in page and "Tambah hasil kerja" in page
    # A second SKP for the same year is refused with the service's message, not a 500.
    r = c.post(url("skp_create"), {"year": year, "approach": "kuantitatif", "tahun": year}, follow=True)
    assert "sudah ada" in r.content.decode()
    assert Skp.objects.filter(employee__user=cast.staff_b, year=year).count() == 1


def test_a_login_without_employee_record_gets_an_explanation(users, client_for):
    page = client_for(users.admin_bkpsdm).get(url("my_skp"))
    assert page.status_code == 200 and "tidak terhubung dengan data pegawai" in page.content.decode()


def test_item_is_cascaded_from_an_agreed_item_of_the_atasan(cast, client_for, agreed, year):
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Tambah hasil kerja")
    c = client_for(cast.staff)
    form = c.get(url("item_add", agreed["staff"].pk)).content.decode()
    kabid_item = agreed["kabid"].items.get()
    assert f'value="{kabid_item.pk}"' in form and kabid_item.text in form
    r = c.post(url("item_add", agreed["staff"].pk), {
        "text": "Kajian kebijakan", "parent_item_id": kabid_item.pk,
        "ind-text": "Jumlah kajian", "ind-target_kind": "kuantitas", "ind-target_value": "2,5",
        "ind-target_unit": "dokumen"})
    item = SkpItem.objects.get(text="Kajian kebijakan")
    assert r.status_code == 302 and item.parent_item == kabid_item
    assert str(item.indicators.get().target_value) == "2.50"
    page = c.get(url("skp_detail", agreed["staff"].pk)).content.decode()
    assert "Kajian kebijakan" in page and "2,5 dokumen" in page and kabid_item.text in page


@pytest.mark.parametrize("value, message", [("dua belas", "harus berupa angka"), ("-3", "tidak boleh negatif")])
def test_bad_target_is_refused_on_the_form_and_nothing_is_written(cast, client_for, agreed, value, message):
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Ubah")
    items_before = SkpItem.objects.count()
    r = client_for(cast.staff).post(url("item_add", agreed["staff"].pk), {
        "text": "Kajian", "parent_item_id": agreed["kabid"].items.get().pk,
        "ind-text": "Jumlah", "ind-target_kind": "kuantitas", "ind-target_value": value, "ind-target_unit": "x"})
    assert r.status_code == 200 and message in r.content.decode()
    assert SkpItem.objects.count() == items_before  # the item was rolled back with its refused indicator


def test_uncascaded_main_item_is_refused(cast, client_for, agreed):
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Ubah")
    r = client_for(cast.staff).post(url("item_add", agreed["staff"].pk), {
        "text": "Tanpa induk", "ind-text": "Jumlah", "ind-target_kind": "kuantitas", "ind-target_value": "1",
        "ind-target_unit": "x"})
    assert "harus diturunkan dari hasil kerja atasan" in r.content.decode()
    assert not SkpItem.objects.filter(text="Tanpa induk").exists()


def test_submit_return_with_comment_then_agree(cast, client_for, agreed, year):
    staff = client_for(cast.staff)
    skp = agreed["staff"]
    staff.post(url("skp_revision", skp.pk), {"reason": "Target berubah"})
    assert Skp.objects.get(pk=skp.pk).status == SkpStatus.REVISING
    staff.post(url("skp_submit", skp.pk))
    assert Skp.objects.get(pk=skp.pk).status == SkpStatus.SUBMITTED
    kabid = client_for(cast.kabid)
    page = kabid.get(url("skp_detail", skp.pk)).content.decode()
    assert "Setujui SKP" in page and "menunggu persetujuan Anda" in page
    kabid.post(url("skp_return", skp.pk), {"comment": "Target terlalu rendah"})
    assert Skp.objects.get(pk=skp.pk).status == SkpStatus.RETURNED
    page = staff.get(url("skp_detail", skp.pk)).content.decode()
    assert "Target terlalu rendah" in page and "Dikembalikan" in page
    staff.post(url("skp_submit", skp.pk))
    kabid.post(url("skp_agree", skp.pk))
    skp.refresh_from_db()
    assert skp.status == SkpStatus.AGREED and skp.revision == 1


def test_the_owner_cannot_agree_and_a_colleague_cannot_see(cast, client_for, agreed):
    skp = agreed["staff"]
    services.skp_revision_request(actor=cast.staff, skp=skp, reason="Ubah")
    services.skp_submit(actor=cast.staff, skp=skp)
    assert client_for(cast.staff).post(url("skp_agree", skp.pk)).status_code == 403
    assert Skp.objects.get(pk=skp.pk).status == SkpStatus.SUBMITTED
    for user in (cast.staff2, cast.staff_b):
        c = client_for(user)
        assert c.get(url("skp_detail", skp.pk)).status_code == 404
        assert c.post(url("skp_agree", skp.pk)).status_code == 404
        assert c.get(url("skp_period", skp.pk, 1)).status_code == 404
        assert c.get(url("skp_pdf", skp.pk)).status_code == 404


def test_plan_forms_are_the_owners(cast, client_for, users, agreed):
    skp = agreed["staff"]
    item = skp.items.get()
    indicator = item.indicators.get()
    for user, status in ((cast.kabid, 403), (users.admin_opd_a, 403), (cast.staff2, 404)):
        c = client_for(user)
        assert c.get(url("item_add", skp.pk)).status_code == status
        assert c.get(url("item_edit", item.pk)).status_code == status
        assert c.get(url("indicator_add", item.pk)).status_code == status
        assert c.get(url("indicator_edit", indicator.pk)).status_code == status


def test_locked_skp_offers_no_edit(cast, client_for, agreed):
    page = client_for(cast.staff).get(url("skp_detail", agreed["staff"].pk)).content.decode()
    assert "Tambah hasil kerja" not in page and "Ajukan revisi SKP" in page
    item = agreed["staff"].items.get()
    r = client_for(cast.staff).post(url("item_remove", item.pk), follow=True)
    assert "terkunci" in r.content.decode() and SkpItem.objects.filter(pk=item.pk).exists()


def test_expectation_by_the_penilai(cast, client_for, year):
    # staff_b's atasan position has no holder: the SKP has no ASN penilai and the pimpinan acts for it.
    skp = services.skp_create(actor=cast.staff_b, year=year)
    assert skp.pejabat_penilai is None
    c = client_for(cast.pimpinan)
    assert "Simpan ekspektasi" in c.get(url("skp_detail", skp.pk)).content.decode()
    r = c.post(url("expectation_set", skp.pk), {"target": "v:akuntabel", "text": "Laporan tepat waktu"})
    assert r.status_code == 302 and skp.expectations.get().text == "Laporan tepat waktu"
    page = client_for(cast.staff_b).get(url("skp_detail", skp.pk)).content.decode()
    assert "Laporan tepat waktu" in page and "Simpan ekspektasi" not in page
    assert client_for(cast.staff_b).post(url("expectation_set", skp.pk), {"target": "v:loyal", "text": "x"}
                                         ).status_code == 403


# ------------------------------------------------------------------------------------------ pelaksanaan


def test_realisation_with_link_and_file_evidence(cast, client_for, agreed):
    skp = agreed["staff"]
    item = skp.items.get()
    c = client_for(cast.staff)
    r = c.post(url("realisation_record", item.pk, 2), {f"r{item.pk}-text": "Dua dokumen selesai",
                                                        f"r{item.pk}-value": "2"})
    assert r.status_code == 302
    realisation = Realisation.objects.get(item=item, period=2)
    c.post(url("evidence_add", item.pk, 2), {f"e{item.pk}-kind": "link",
                                             f"e{item.pk}-url": "https://drive.example.id/laporan"})
    c.post(url("evidence_add", item.pk, 2), {
        f"e{item.pk}-kind": "file", f"e{item.pk}-file": SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")})
    assert realisation.evidence.count() == 2
    page = c.get(url("skp_period", skp.pk, 2)).content.decode()
    assert "Dua dokumen selesai" in page and "https://drive.example.id/laporan" in page and "bukti.pdf" in page
    file_ev = realisation.evidence.get(kind=Evidence.Kind.FILE)
    # The atasan opens the file; a colleague gets a 404.
    r = client_for(cast.kabid).get(url("evidence_file", file_ev.pk))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and b"".join(r.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="performance.evidence_read", object_id=str(file_ev.pk)).exists()
    assert client_for(cast.staff2).get(url("evidence_file", file_ev.pk)).status_code == 404


def test_wrong_evidence_file_type_is_refused(cast, client_for, agreed):
    item = agreed["staff"].items.get()
    services.realisation_record(actor=cast.staff, item=item, period=1, text="Selesai")
    r = client_for(cast.staff).post(url("evidence_add", item.pk, 1), {
        f"e{item.pk}-kind": "file",
        f"e{item.pk}-file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert r.status_code == 400 and "harus berupa PDF, JPEG, atau PNG" in r.content.decode()
    assert not Evidence.objects.exists()


def test_realisation_by_someone_else_is_forbidden(cast, client_for, agreed):
    item = agreed["staff"].items.get()
    r = client_for(cast.kabid).post(url("realisation_record", item.pk, 1), {f"r{item.pk}-text": "x"})
    assert r.status_code == 403 and not Realisation.objects.exists()


def test_feedback_per_item_and_per_value(cast, client_for, agreed):
    skp = agreed["staff"]
    item = skp.items.get()
    kabid = client_for(cast.kabid)
    kabid.post(url("feedback_give", skp.pk, 3), {"target": f"i:{item.pk}", "text": "Lengkapi lampiran"})
    kabid.post(url("feedback_give", skp.pk, 3), {"target": "v:kolaboratif", "text": "Bantu rekan satu tim"})
    assert Feedback.objects.filter(skp=skp, period=3).count() == 2
    page = client_for(cast.staff).get(url("skp_period", skp.pk, 3)).content.decode()
    assert "Lengkapi lampiran" in page and "Kolaboratif" in page and "Bantu rekan satu tim" in page
    r = client_for(cast.staff).post(url("feedback_give", skp.pk, 3), {"target": "v:loyal", "text": "Saya hebat"})
    assert r.status_code == 403


# ------------------------------------------------------------------------------------------ penilaian


def test_rating_needs_reasons_shows_the_predikat_and_is_finalised(cast, client_for, agreed):
    skp = agreed["staff"]
    kabid = client_for(cast.kabid)
    page = kabid.get(url("assessment_rate", skp.pk, 4))
    assert page.status_code == 200 and "pratinjau-predikat" in page.content.decode()
    r = kabid.post(url("assessment_rate", skp.pk, 4), {"hasil": "di_bawah", "perilaku": "sesuai"})
    assert r.status_code == 400 and "Alasan penilaian hasil kerja wajib diisi" in r.content.decode()
    assert not Assessment.objects.exists()
    r = kabid.post(url("assessment_rate", skp.pk, 4), {"hasil": "di_bawah", "hasil_reason": "Target tidak tercapai",
                                                       "perilaku": "sesuai"})
    assessment = Assessment.objects.get(skp=skp, period=4)
    assert r.status_code == 302 and assessment.predikat == "butuh_perbaikan"
    assert "belum final" in client_for(cast.staff).get(url("skp_period", skp.pk, 4)).content.decode()
    kabid.post(url("assessment_finalise", assessment.pk))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINAL
    page = client_for(cast.staff).get(url("skp_period", skp.pk, 4)).content.decode()
    assert "Butuh Perbaikan" in page and "Ajukan keberatan" in page
    assert CoachingPlan.objects.filter(employee=skp.employee).exists()


def test_who_may_not_rate(cast, client_for, users, agreed):
    skp = agreed["staff"]
    assert client_for(cast.staff).get(url("assessment_rate", skp.pk, 1)).status_code == 403  # own SKP
    assert client_for(users.admin_opd_a).get(url("assessment_rate", skp.pk, 1)).status_code == 403  # reads, not rater
    assert client_for(cast.staff2).get(url("assessment_rate", skp.pk, 1)).status_code == 404  # cannot read it
    r = client_for(cast.staff2).post(url("assessment_rate", skp.pk, 1), {"hasil": "sesuai", "perilaku": "sesuai"})
    assert r.status_code == 404 and not Assessment.objects.exists()


def test_rating_before_the_period_ends_is_refused(cast, client_for, org, year):
    from .factories import SkpFactory

    skp = SkpFactory(employee=org.staff_a, pejabat_penilai=org.kabid, year=year + 2, agreed=True)
    kabid = client_for(cast.kabid)
    assert "belum berakhir" in kabid.get(url("assessment_rate", skp.pk, 1)).content.decode()
    r = kabid.post(url("assessment_rate", skp.pk, 1), {"hasil": "sesuai", "perilaku": "sesuai"})
    assert r.status_code == 400 and "belum berakhir" in r.content.decode() and not Assessment.objects.exists()


@pytest.mark.parametrize("hasil, perilaku, label", [
    ("di_atas", "di_atas", "Sangat Baik"), ("sesuai", "di_bawah", "Kurang"), ("di_bawah", "di_bawah", "Sangat Kurang"),
])
def test_live_predikat_preview(cast, client_for, agreed, hasil, perilaku, label):
    r = client_for(cast.kabid).get(url("predikat_preview"), {"hasil": hasil, "perilaku": perilaku,
                                                             "skp": agreed["staff"].pk, "periode": 2},
                                   HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and label in body and "<html" not in body


def test_annual_preview_shows_the_unit_distribution_with_the_new_rating(cast, client_for, org, agreed, year):
    UnitResultFactory(unit=org.opd_a, year=year, predikat="baik")
    AssessmentFactory(skp=agreed["staff2"], status=AssessmentStatus.DRAFT)  # baik
    r = client_for(cast.kabid).get(url("predikat_preview"), {"hasil": "sesuai", "perilaku": "sesuai",
                                                             "skp": agreed["staff"].pk, "periode": 0})
    body = r.content.decode()
    # Two Baik out of two rated: above 70% Baik and nobody Butuh Perbaikan/Kurang.
    assert "Distribusi belum sesuai" in body and "melebihi batas 70%" in body and "Dinas Alpha" in body
    r = client_for(cast.kabid).get(url("predikat_preview"), {"hasil": "di_bawah", "perilaku": "sesuai",
                                                             "skp": agreed["staff"].pk, "periode": 0})
    assert "Distribusi sesuai kurva" in r.content.decode() or "belum sesuai" in r.content.decode()
    assert client_for(cast.staff2).get(url("predikat_preview"), {"skp": agreed["staff"].pk}).status_code == 404


def test_objection_filed_and_decided(cast, client_for, agreed):
    skp = agreed["staff"]
    a = services.assessment_rate(actor=cast.kabid, skp=skp, period=5, hasil="di_bawah", hasil_reason="Kurang",
                                 perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    staff = client_for(cast.staff)
    r = staff.post(url("objection_file", a.pk), {"reason": ""})
    assert r.status_code == 400 and not Objection.objects.exists()
    staff.post(url("objection_file", a.pk), {"reason": "Bukti dukung belum dipertimbangkan"})
    objection = Objection.objects.get(assessment=a)
    # The reviewer is the atasan of the pejabat penilai (head_a); the penilai himself cannot decide.
    assert client_for(cast.kabid).get(url("objection_decide", objection.pk)).status_code == 403
    head = client_for(cast.head)
    assert "Keberatan" in head.get(url("objection_list")).content.decode()
    r = head.post(url("objection_decide", objection.pk), {"decision": "changed", "hasil": "sesuai",
                                                          "perilaku": "sesuai", "note": "Bukti cukup"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.predikat == "baik" and Objection.objects.get(pk=objection.pk).status == Objection.Status.CHANGED
    page = staff.get(url("skp_period", skp.pk, 5)).content.decode()
    assert "Penilaian diubah" in page and "Bukti cukup" in page


def test_objection_after_the_deadline_is_refused(cast, client_for, agreed):
    import datetime as dt

    from django.utils import timezone

    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=6, hasil="sesuai",
                                 perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    Assessment.objects.filter(pk=a.pk).update(finalised_at=timezone.now() - dt.timedelta(days=40))
    page = client_for(cast.staff).get(url("skp_period", agreed["staff"].pk, 6)).content.decode()
    assert "Batas pengajuan keberatan telah lewat" in page
    r = client_for(cast.staff).post(url("objection_file", a.pk), {"reason": "Terlambat"})
    assert r.status_code == 400 and "telah lewat" in r.content.decode() and not Objection.objects.exists()


# ------------------------------------------------------------------------------------------ SKP Bawahan, pembinaan


def test_subordinates_page_lists_skps_and_who_has_none(cast, client_for, org, agreed, year):
    Skp.objects.filter(pk=agreed["staff2"].pk).delete()
    page = client_for(cast.kabid).get(url("subordinates") + f"?tahun={year}").content.decode()
    assert org.staff_a.name in page and "Disetujui" in page
    assert org.staff_a2.name in page and "Belum menyusun SKP" in page
    page = client_for(cast.staff_b).get(url("subordinates")).content.decode()
    assert "tidak memiliki bawahan langsung" in page


def test_subordinates_page_in_constant_queries(cast, client_for, org, agreed, year, django_assert_max_num_queries):
    from simasn.employees.tests.factories import EmployeeFactory

    from .factories import SkpFactory

    c = client_for(cast.kabid)
    c.get(url("subordinates") + f"?tahun={year}")
    for _ in range(8):
        e = EmployeeFactory(unit=org.bidang_a, position=org.staf_a)
        SkpFactory(employee=e, pejabat_penilai=org.kabid, agreed=True, year=year)
    with django_assert_max_num_queries(16):
        assert c.get(url("subordinates") + f"?tahun={year}").status_code == 200


def test_coaching_plan_list_and_update(cast, client_for, users, agreed):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=7, hasil="di_bawah",
                                 hasil_reason="Kurang", perilaku="di_bawah", perilaku_reason="Sering terlambat")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    plan = CoachingPlan.objects.get()
    kabid = client_for(cast.kabid)
    page = kabid.get(url("coaching_list")).content.decode()
    assert agreed["staff"].employee.name in page and "Kelola" in page
    r = kabid.post(url("coaching_edit", plan.pk), {
        "status": "ongoing", "start_date": plan.start_date.isoformat(), "end_date": plan.end_date.isoformat(),
        "actions": "Pendampingan mingguan", "outcome": ""})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "ongoing" and plan.actions == "Pendampingan mingguan"
    # The employee sees his plan but cannot change it; another employee does not see it at all.
    staff = client_for(cast.staff)
    assert staff.get(url("coaching_edit", plan.pk)).status_code == 200
    assert staff.post(url("coaching_edit", plan.pk), {"status": "done"}).status_code == 403
    assert client_for(cast.staff_b).get(url("coaching_edit", plan.pk)).status_code == 404
    assert agreed["staff"].employee.name in client_for(users.admin_bkpsdm).get(url("coaching_list")).content.decode()
