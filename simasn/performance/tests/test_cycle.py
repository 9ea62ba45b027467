"""The whole SKP cycle through the services: plan → agree → realise with evidence → feedback → rate →
object → final, and the records each step leaves (audit, coaching)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from simasn.core.audit import audit_verify
from simasn.core.models import AuditEvent
from simasn.performance import selectors, services
from simasn.performance.models import (
    AssessmentStatus,
    CoachingPlan,
    Evidence,
    Objection,
    SkpRevision,
    SkpStatus,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_plan_agree_realise_feedback_rate_object_final(cast, org, year, agreed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff_skp = agreed["staff"]
    assert staff_skp.status == SkpStatus.AGREED
    assert staff_skp.pejabat_penilai_id == org.kabid.pk
    item = staff_skp.items.get()
    assert item.parent_item.skp_id == agreed["kabid"].pk  # cascaded from the atasan's hasil kerja

    # Pelaksanaan: realisation of March with a PDF and a link.
    realisation = services.realisation_record(actor=cast.staff, item=item, period=3, text="3 dokumen selesai",
                                              value="3")
    assert realisation.value == Decimal("3.00")
    evidence = services.evidence_add_file(
        actor=cast.staff, realisation=realisation,
        upload=SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"), description="Notulen")
    assert evidence.kind == Evidence.Kind.FILE and evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf") and "bukti" not in evidence.file.name
    services.evidence_add_link(actor=cast.staff, realisation=realisation, url="https://drive.example.go.id/x")
    assert realisation.evidence.count() == 2

    # Pemantauan: feedback on the item and on a BerAKHLAK value.
    services.feedback_give(actor=cast.kabid, skp=staff_skp, period=3, item=item, text="Pertahankan ketepatan.")
    services.feedback_give(actor=cast.kabid, skp=staff_skp, period=3, value="kolaboratif",
                           text="Libatkan seksi lain lebih awal.")
    assert staff_skp.feedback.count() == 2

    # Penilaian periodik (March) by the atasan, then final.
    march = services.assessment_rate(actor=cast.kabid, skp=staff_skp, period=3, hasil="di_atas",
                                     hasil_reason="Target terlampaui", perilaku="sesuai")
    assert march.predikat == "baik"
    services.assessment_finalise(actor=cast.kabid, assessment=march)

    # Annual: hasil di bawah → Butuh Perbaikan.
    annual = services.assessment_rate(actor=cast.kabid, skp=staff_skp, period=0, hasil="di_bawah",
                                      hasil_reason="Dua dokumen terlambat", perilaku="sesuai")
    assert annual.predikat == "butuh_perbaikan" and annual.status == AssessmentStatus.DRAFT
    services.assessment_rate(actor=cast.kabid, skp=agreed["staff2"], period=0, hasil="di_atas",
                             hasil_reason="Melampaui target", perilaku="di_atas", perilaku_reason="Teladan")
    services.assessment_rate(actor=cast.head, skp=agreed["kabid"], period=0, hasil="sesuai", perilaku="sesuai")
    # The OPD's own result is "baik": its head's hasil follows it (sesuai) without the rater choosing.
    services.unit_result_set(actor=cast.admin, unit=org.opd_a, year=year, predikat="baik", basis="LKjIP")
    head_rating = services.assessment_rate(actor=cast.pimpinan, skp=agreed["head"], period=0, hasil=None,
                                           perilaku="sesuai")
    assert head_rating.hasil == "sesuai"

    # Distribution: counts SB 1, B 2, BP 1 → "Baik" 50% ≤ 70% and one Butuh Perbaikan → fits the "baik" curve.
    dist = selectors.unit_distribution(org.opd_a, year)
    assert dist["counts"] == {"sangat_baik": 1, "baik": 2, "butuh_perbaikan": 1, "kurang": 0, "sangat_kurang": 0}
    assert dist["fits"] is True and dist["unrated"] == 0
    check = services.unit_annual_finalise(actor=cast.head, unit=org.opd_a, year=year)
    assert check.finalised == 4 and check.violations == []
    annual.refresh_from_db()
    assert annual.status == AssessmentStatus.FINAL

    # Tindak lanjut: the Butuh Perbaikan got a coaching plan owned by the atasan.
    plan = CoachingPlan.objects.get(employee=org.staff_a)
    assert plan.owner_id == org.kabid.pk and plan.assessment_id == annual.pk and plan.is_open
    assert selectors.final_predikat_for([org.staff_a, org.staff_a2.pk], year) == {
        org.staff_a.pk: "butuh_perbaikan", org.staff_a2.pk: "sangat_baik"}

    # Keberatan: reviewed by the atasan of the pejabat penilai (head_a), who changes hasil to sesuai.
    objection = services.objection_file(actor=cast.staff, assessment=annual, reason="Keterlambatan karena "
                                        "sistem down; ada bukti.")
    assert objection.reviewer_id == org.head_a.pk
    assert objection.deadline == timezone.localdate() + dt.timedelta(days=14)
    assert [o.pk for o in selectors.inbox(viewer=cast.head).objections_to_decide] == [objection.pk]
    services.objection_decide(actor=cast.head, objection=objection, decision="changed", note="Bukti diterima.",
                              hasil="sesuai", perilaku="sesuai")
    annual.refresh_from_db()
    objection.refresh_from_db()
    assert annual.predikat == "baik" and objection.status == Objection.Status.CHANGED
    assert (objection.previous_predikat, objection.new_predikat) == ("butuh_perbaikan", "baik")
    assert selectors.final_predikat_for([org.staff_a], year) == {org.staff_a.pk: "baik"}

    # Every step is in the audit chain, and the chain holds.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"performance.skp_created", "performance.skp_submitted", "performance.skp_agreed",
            "performance.realisation_recorded", "performance.evidence_added", "performance.feedback_given",
            "performance.assessment_rated", "performance.assessment_finalised", "performance.unit_annual_finalised",
            "performance.coaching_plan_opened", "performance.objection_filed", "performance.objection_decided",
            "performance.assessment_changed_on_objection"} <= actions
    assert audit_verify().ok


def test_return_then_resubmit_and_revision_after_agreement(cast, org, year, agreed):
    kabid_item = agreed["kabid"].items.get()
    staff_skp = agreed["staff"]
    # A locked SKP refuses direct edits…
    with pytest.raises(Exception) as exc:
        services.skp_item_add(actor=cast.staff, skp=staff_skp, text="Baru", parent_item_id=kabid_item.pk)
    assert getattr(exc.value, "code", "") == "skp_locked"
    # …a revision with a reason opens it, keeps the agreed plan, and the atasan agrees again.
    revision = services.skp_revision_request(actor=cast.staff, skp=staff_skp, reason="Tugas tambahan dari kepala")
    assert revision.number == 1 and revision.before["items"][0]["text"] == "Dokumen analisis"
    services.skp_item_add(actor=cast.staff, skp=staff_skp, text="Dokumen tambahan", is_additional=True)
    item = staff_skp.items.get(is_additional=True)
    services.skp_indicator_add(actor=cast.staff, item=item, text="Jumlah", target_kind="kuantitas",
                               target_value=2, target_unit="dokumen")
    services.skp_submit(actor=cast.staff, skp=staff_skp)
    services.skp_return(actor=cast.kabid, skp=staff_skp, comment="Lengkapi satuan")
    staff_skp.refresh_from_db()
    assert staff_skp.status == SkpStatus.RETURNED and staff_skp.return_comment == "Lengkapi satuan"
    services.skp_submit(actor=cast.staff, skp=staff_skp)
    services.skp_agree(actor=cast.kabid, skp=staff_skp)
    staff_skp.refresh_from_db()
    revision.refresh_from_db()
    assert staff_skp.status == SkpStatus.AGREED and staff_skp.revision == 1 and staff_skp.return_comment == ""
    assert revision.status == SkpRevision.Status.AGREED and len(revision.after["items"]) == 2


def test_expectations_of_the_pejabat_penilai(cast, year, agreed):
    skp = services.skp_create(actor=cast.staff_b, year=year + 1)
    with pytest.raises(Exception) as exc:
        services.skp_expectation_set(actor=cast.kabid, skp=skp, value="akuntabel", text="Tepat waktu")
    assert getattr(exc.value, "status_code", 0) == 403
    # On an agreed SKP the expectation is locked like the rest of the plan.
    with pytest.raises(Exception) as exc:
        services.skp_expectation_set(actor=cast.kabid, skp=agreed["staff"], value="akuntabel", text="Tepat")
    assert getattr(exc.value, "code", "") == "skp_locked"


def test_expectation_set_and_cleared_while_submitted(cast, year, agreed):
    kabid_item = agreed["kabid"].items.get()
    services.skp_revision_request(actor=cast.staff, skp=agreed["staff"], reason="Perubahan target")
    skp = agreed["staff"]
    e = services.skp_expectation_set(actor=cast.kabid, skp=skp, value="akuntabel", text="Laporan tepat waktu")
    assert e.text == "Laporan tepat waktu"
    item = skp.items.get()
    services.skp_expectation_set(actor=cast.kabid, skp=skp, item=item, text="Kualitas tanpa revisi")
    assert skp.expectations.count() == 2
    assert services.skp_expectation_set(actor=cast.kabid, skp=skp, value="akuntabel", text="") is None
    assert skp.expectations.count() == 1
    assert kabid_item.cascaded_items.count() == 2
