"""Penilaian: the pejabat penilai rates hasil kerja and perilaku kerja of a period once it has ended; the
predikat follows the matrix. Periodic ratings are finalised by the rater; the annual ratings of a unit are
finalised together by its head (or BKPSDM / the pimpinan) after the distribution check.

Distribution decision: the check runs on the whole unit subtree against the unit's own predikat
(`UnitResult`). When the counts break the curve, finalisation is refused unless the finaliser accepts the
violations with a written note; the violations, the note and who accepted them are recorded on every
finalised assessment and in a `DistributionCheck`. The regulation sets the curve as the expected pattern,
and the pimpinan answers for a deviation — the system makes it visible and recorded, not impossible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from simasn.core.audit import audit_record, audit_record_many, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.selectors import own_employee
from simasn.org.models import Unit

from .. import periods, rules
from .. import rules_data as R
from ..models import Assessment, AssessmentStatus, DistributionCheck, Skp, UnitResult
from ..predikat import predikat_for
from ..selectors import annual_in_subtree, unit_distribution
from .common import ASSESSMENT_FIELDS, clean_period, clean_text, ensure_was_agreed, lock_skp, period_name, today_or
from .followup import open_coaching_for


def head_hasil_for(skp: Skp) -> str | None:
    """The hasil rating the unit's result imposes on the SKP of a unit head, or None (not a head, or no
    result set for his unit and year)."""
    if not rules.is_head_position(skp.position):
        return None
    result = UnitResult.objects.filter(unit_id=skp.position.unit_id, year=skp.year).only("predikat").first()
    return R.UNIT_HEAD_HASIL[result.predikat] if result else None


def _clean_ratings(hasil: Any, perilaku: Any, hasil_reason: Any, perilaku_reason: Any) -> tuple[str, str, str, str]:
    for field, value, label in (("hasil", hasil, "Penilaian hasil kerja"), ("perilaku", perilaku,
                                                                             "Penilaian perilaku kerja")):
        if value not in R.RATINGS:
            raise DomainError(f"{label} harus salah satu dari: {', '.join(R.RATINGS.values())}.", field=field)
    hasil_reason = clean_text(hasil_reason, field="hasil_reason", label="Alasan penilaian hasil kerja",
                              required=hasil != "sesuai")
    perilaku_reason = clean_text(perilaku_reason, field="perilaku_reason", label="Alasan penilaian perilaku kerja",
                                 required=perilaku != "sesuai")
    return hasil, perilaku, hasil_reason, perilaku_reason


@transaction.atomic
def assessment_rate(*, actor: Any, skp: Skp, period: int, hasil: str | None, perilaku: str, hasil_reason: str = "",
                    perilaku_reason: str = "", today: dt.date | None = None) -> Assessment:
    """Rate (or re-rate, while draft) one period of a subordinate's SKP; period 0 is the annual assessment.

    A written reason is required for every rating other than "sesuai". For the annual assessment of a unit
    head whose unit has a result for the year, hasil follows that result (pass None, or the same value)."""
    if rules.is_skp_owner(actor, skp):
        raise Forbidden("Anda tidak dapat menilai SKP Anda sendiri.")
    if not rules.is_pejabat_penilai(actor, skp):
        raise Forbidden("Anda hanya dapat menilai SKP pegawai yang Anda nilai sebagai pejabat penilai "
                        "(bawahan langsung).")
    skp = lock_skp(skp)
    ensure_was_agreed(skp, "Penilaian")
    period = clean_period(skp, period, allow_annual=True)
    today = today_or(today)
    if not periods.period_has_ended(skp.year, skp.period_kind, period, today):
        end = periods.period_bounds(skp.year, skp.period_kind, period)[1]
        raise DomainError(f"Periode {period_name(skp, period)} belum berakhir; penilaian dapat diberikan mulai "
                          f"{end:%d-%m-%Y}.", code="period_not_ended", field="period")
    if period == R.ANNUAL_PERIOD:
        imposed = head_hasil_for(skp)
        if imposed is not None:
            if hasil not in (None, "", imposed):
                raise DomainError(f"Hasil kerja kepala unit mengikuti kinerja unitnya: {R.RATINGS[imposed]}.",
                                  code="head_hasil_follows_unit", field="hasil")
            hasil = imposed
    hasil, perilaku, hasil_reason, perilaku_reason = _clean_ratings(hasil, perilaku, hasil_reason, perilaku_reason)
    assessment = Assessment.objects.select_for_update().filter(skp=skp, period=period).first()
    if assessment is not None and assessment.status == AssessmentStatus.FINAL:
        raise Conflict(f"Penilaian {period_name(skp, period)} sudah final.", code="assessment_final")
    before = model_snapshot(assessment, ASSESSMENT_FIELDS) if assessment else None
    assessment = assessment or Assessment(skp=skp, employee_id=skp.employee_id, unit_id=skp.unit_id, year=skp.year,
                                          period=period)
    assessment.hasil, assessment.perilaku = hasil, perilaku
    assessment.hasil_reason, assessment.perilaku_reason = hasil_reason, perilaku_reason
    assessment.predikat = predikat_for(hasil, perilaku)
    assessment.rated_by, assessment.rated_by_user, assessment.rated_at = own_employee(actor), actor, timezone.now()
    assessment.save()
    audit_record(actor=actor, action="performance.assessment_rated", obj=assessment,
                 summary=f"Penilaian {period_name(skp, period)} {skp.employee.nip}: {R.PREDIKAT[assessment.predikat]}",
                 before=before, after=model_snapshot(assessment, ASSESSMENT_FIELDS))
    return assessment


@transaction.atomic
def assessment_finalise(*, actor: Any, assessment: Assessment) -> Assessment:
    """The rater makes a periodic assessment final (visible as result, open to objection). Annual ones are
    finalised per unit (`unit_annual_finalise`), after the distribution check."""
    skp = assessment.skp
    if not rules.is_pejabat_penilai(actor, skp) or rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pejabat penilai yang dapat memfinalkan penilaian ini.")
    assessment = (Assessment.objects.select_for_update(of=("self",)).select_related("skp", "employee")
                  .get(pk=assessment.pk))
    if assessment.is_annual:
        raise DomainError("Penilaian tahunan difinalkan per unit setelah pemeriksaan distribusi predikat.",
                          code="annual_per_unit")
    if assessment.status == AssessmentStatus.FINAL:
        raise Conflict("Penilaian ini sudah final.", code="assessment_final")
    before = model_snapshot(assessment, ASSESSMENT_FIELDS)
    assessment.status, assessment.finalised_at, assessment.finalised_by = AssessmentStatus.FINAL, timezone.now(), actor
    assessment.save(update_fields=["status", "finalised_at", "finalised_by"])
    audit_record(actor=actor, action="performance.assessment_finalised", obj=assessment,
                 summary=f"Penilaian {period_name(skp, assessment.period)} final: {skp}", before=before,
                 after=model_snapshot(assessment, ASSESSMENT_FIELDS))
    open_coaching_for([assessment], actor=actor)
    return assessment


@transaction.atomic
def unit_annual_finalise(*, actor: Any, unit: Unit, year: int, accept_violations: bool = False, note: str = ""
                         ) -> DistributionCheck:
    """Finalise every draft annual assessment in the unit subtree. Refused while the distribution breaks the
    curve of the unit's predikat (or SKPs are still unrated) unless `accept_violations` with a note."""
    if not rules.can_finalise_unit(actor, unit):
        raise Forbidden("Hanya kepala unit, admin BKPSDM, atau pimpinan yang memfinalkan predikat unit ini.")
    result = UnitResult.objects.filter(unit=unit, year=year).first()
    if result is None:
        raise DomainError(f"Predikat kinerja {unit} tahun {year} belum ditetapkan; distribusi predikat pegawai "
                          "tidak dapat diperiksa.", code="unit_result_missing")
    drafts = list(annual_in_subtree(unit, year).filter(status=AssessmentStatus.DRAFT)
                  .select_for_update(of=("self",)).select_related("skp"))
    if not drafts:
        raise DomainError("Tidak ada penilaian tahunan berstatus draf di unit ini.", code="nothing_to_finalise")
    dist = unit_distribution(unit, year)
    warnings = list(dist["violations"])
    if dist["unrated"]:
        warnings.append(f"{dist['unrated']} pegawai dengan SKP yang disetujui belum dinilai")
    note = clean_text(note, field="note", label="Catatan", required=bool(warnings) and accept_violations)
    if warnings and not accept_violations:
        raise DomainError("Distribusi predikat unit belum sesuai: " + "; ".join(warnings) + ".",
                          code="distribution_violation", errors=[{"message": w} for w in warnings])
    now = timezone.now()
    for a in drafts:
        a.status, a.finalised_at, a.finalised_by = AssessmentStatus.FINAL, now, actor
        a.distribution_violations = warnings
    Assessment.objects.bulk_update(drafts, ["status", "finalised_at", "finalised_by", "distribution_violations"])
    check = DistributionCheck.objects.create(unit=unit, year=year, unit_predikat=result.predikat,
                                             counts=dist["counts"], violations=warnings, unrated=dist["unrated"],
                                             note=note, finalised=len(drafts), checked_by=actor)
    audit_record(actor=actor, action="performance.unit_annual_finalised", obj=check,
                 summary=f"Predikat tahunan {unit} {year} difinalkan: {len(drafts)} pegawai"
                         f"{' dengan catatan distribusi' if warnings else ''}",
                 after={"unit_id": unit.pk, "year": year, "counts": dist["counts"], "violations": warnings,
                        "note": note, "finalised": len(drafts)})
    audit_record_many(actor=actor, action="performance.assessment_finalised", entries=[
        {"object_type": "performance.assessment", "object_id": a.pk,
         "summary": f"Penilaian tahunan {year} final: {R.PREDIKAT[a.predikat]}",
         "after": {"status": a.status, "predikat": a.predikat}} for a in drafts
    ])
    open_coaching_for(drafts, actor=actor)
    return check
