"""Tindak lanjut: objections against a final assessment and coaching plans (pembinaan) for poor predikat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from simasn.core.audit import audit_record, audit_record_many, model_snapshot
from simasn.core.errors import Conflict, DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.employees.selectors import atasan_of, employee_in_scope, own_employee

from .. import rules
from .. import rules_data as R
from ..models import Assessment, AssessmentStatus, CoachingPlan, Objection
from ..predikat import predikat_for
from .common import ASSESSMENT_FIELDS, clean_text, period_name, today_or

OBJECTION_FIELDS = ["assessment", "reason", "deadline", "reviewer", "status", "decision_note", "previous_hasil",
                    "previous_perilaku", "previous_predikat", "new_hasil", "new_perilaku", "new_predikat"]
COACHING_FIELDS = ["employee", "assessment", "owner", "start_date", "end_date", "actions", "outcome", "status"]


def objection_deadline(assessment: Assessment) -> dt.date | None:
    """The last day an objection may be filed: N days after the assessment became final."""
    if assessment.finalised_at is None:
        return None
    issued = timezone.localdate(assessment.finalised_at)
    return issued + dt.timedelta(days=R.OBJECTION_DEADLINE.days)


@transaction.atomic
def objection_file(*, actor: Any, assessment: Assessment, reason: str, today: dt.date | None = None) -> Objection:
    """The employee objects to a final assessment before the deadline; the atasan of the pejabat penilai
    reviews it."""
    skp = assessment.skp
    if not rules.is_skp_owner(actor, skp):
        raise Forbidden("Hanya pegawai yang dinilai yang dapat mengajukan keberatan.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.FINAL:
        raise Conflict("Keberatan hanya dapat diajukan atas penilaian yang sudah final.", code="assessment_not_final")
    deadline = objection_deadline(assessment)
    if today_or(today) > deadline:
        raise DomainError(f"Batas waktu pengajuan keberatan ({R.OBJECTION_DEADLINE.days} hari setelah penilaian "
                          f"final) telah lewat pada {deadline:%d-%m-%Y}.", code="objection_late")
    if Objection.objects.filter(assessment=assessment).exists():
        raise Conflict("Keberatan atas penilaian ini sudah diajukan.", code="objection_exists")
    reason = clean_text(reason, field="reason", label="Alasan keberatan")
    penilai = skp.pejabat_penilai
    reviewer = atasan_of(penilai).first() if penilai is not None else None
    objection = Objection.objects.create(assessment=assessment, employee_id=skp.employee_id, reason=reason,
                                         deadline=deadline, reviewer=reviewer)
    audit_record(actor=actor, action="performance.objection_filed", obj=objection,
                 summary=f"Keberatan atas penilaian {period_name(skp, assessment.period)}: {skp}",
                 after=model_snapshot(objection, OBJECTION_FIELDS))
    return objection


@transaction.atomic
def objection_decide(*, actor: Any, objection: Objection, decision: str, note: str, hasil: str | None = None,
                     perilaku: str | None = None) -> Objection:
    """The reviewer upholds the assessment or changes its ratings (the predikat follows the matrix again)."""
    if not rules.is_objection_reviewer(actor, objection):
        raise Forbidden("Hanya atasan pejabat penilai yang memutuskan keberatan ini.")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.PENDING:
        raise Conflict("Keberatan ini sudah diputuskan.", code="objection_decided")
    if decision not in (Objection.Status.UPHELD, Objection.Status.CHANGED):
        raise DomainError("Keputusan harus 'upheld' (penilaian tetap) atau 'changed' (penilaian diubah).",
                          field="decision")
    note = clean_text(note, field="note", label="Catatan keputusan")
    assessment = Assessment.objects.select_for_update().get(pk=objection.assessment_id)
    before = model_snapshot(objection, OBJECTION_FIELDS)
    objection.previous_hasil, objection.previous_perilaku = assessment.hasil, assessment.perilaku
    objection.previous_predikat = assessment.predikat
    if decision == Objection.Status.CHANGED:
        for field, value in (("hasil", hasil), ("perilaku", perilaku)):
            if value not in R.RATINGS:
                raise DomainError(f"Penilaian {field} baru harus salah satu dari: {', '.join(R.RATINGS.values())}.",
                                  field=field)
        if (hasil, perilaku) == (assessment.hasil, assessment.perilaku):
            raise DomainError("Penilaian baru sama dengan penilaian semula; pilih 'penilaian tetap'.", field="hasil")
        assessment_before = model_snapshot(assessment, ASSESSMENT_FIELDS)
        assessment.hasil, assessment.perilaku = hasil, perilaku
        assessment.predikat = predikat_for(hasil, perilaku)
        # The reviewer's note is the reason of the changed ratings.
        assessment.hasil_reason = note if hasil != "sesuai" else ""
        assessment.perilaku_reason = note if perilaku != "sesuai" else ""
        assessment.save(update_fields=["hasil", "perilaku", "predikat", "hasil_reason", "perilaku_reason"])
        objection.new_hasil, objection.new_perilaku, objection.new_predikat = hasil, perilaku, assessment.predikat
        audit_record(actor=actor, action="performance.assessment_changed_on_objection", obj=assessment,
                     summary=f"Penilaian diubah atas keberatan: {R.PREDIKAT[assessment.predikat]}",
                     before=assessment_before, after=model_snapshot(assessment, ASSESSMENT_FIELDS))
    objection.status, objection.decision_note = decision, note
    objection.decided_by, objection.decided_at = actor, timezone.now()
    objection.save()
    audit_record(actor=actor, action="performance.objection_decided", obj=objection,
                 summary=f"Keberatan diputuskan: {objection.get_status_display()}", before=before,
                 after=model_snapshot(objection, OBJECTION_FIELDS))
    if decision == Objection.Status.CHANGED:
        open_coaching_for([assessment], actor=actor)
    return objection


def open_coaching_for(assessments: Iterable[Assessment], *, actor: Any, today: dt.date | None = None
                      ) -> list[CoachingPlan]:
    """Open a coaching plan, owned by the pejabat penilai, for each final assessment whose predikat is Butuh
    Perbaikan or worse — unless the employee already has an open plan. Runs inside the caller's transaction;
    a constant number of queries for any number of assessments."""
    poor = [a for a in assessments if a.predikat in R.COACHING_PREDIKAT and a.status == AssessmentStatus.FINAL]
    if not poor:
        return []
    covered = set(
        CoachingPlan.objects.filter(employee_id__in={a.employee_id for a in poor},
                                    status__in=[CoachingPlan.Status.PLANNED, CoachingPlan.Status.ONGOING])
        .values_list("employee_id", flat=True)
    )
    start = today_or(today)
    end = start + dt.timedelta(days=R.COACHING_PLAN.days)
    plans, seen = [], set()
    for a in poor:
        if a.employee_id in covered or a.employee_id in seen:
            continue
        seen.add(a.employee_id)
        plans.append(CoachingPlan(employee_id=a.employee_id, assessment=a, owner_id=a.skp.pejabat_penilai_id,
                                  start_date=start, end_date=end))
    CoachingPlan.objects.bulk_create(plans)
    audit_record_many(actor=actor, action="performance.coaching_plan_opened", entries=[
        {"object_type": "performance.coachingplan", "object_id": p.pk or "",
         "summary": f"Rencana pembinaan dibuka (predikat {R.PREDIKAT[p.assessment.predikat]})",
         "after": {"employee_id": p.employee_id, "assessment_id": p.assessment.pk, "owner_id": p.owner_id,
                   "start_date": p.start_date, "end_date": p.end_date}} for p in plans
    ])
    return plans


def _clean_dates(start_date: Any, end_date: Any) -> tuple[dt.date, dt.date]:
    for field, value, label in (("start_date", start_date, "Tanggal mulai"), ("end_date", end_date,
                                                                               "Tanggal selesai")):
        if not isinstance(value, dt.date):
            raise DomainError(f"{label} wajib diisi.", field=field)
    if end_date < start_date:
        raise DomainError("Tanggal selesai tidak boleh sebelum tanggal mulai.", field="end_date")
    return start_date, end_date


@transaction.atomic
def coaching_plan_create(*, actor: Any, employee: Employee, start_date: dt.date, end_date: dt.date, actions: str,
                         assessment: Assessment | None = None) -> CoachingPlan:
    """A coaching plan by the atasan (for a bawahan he rates) or by BKPSDM."""
    me = own_employee(actor)
    is_atasan = me is not None and employee.pk != me.pk and employee_in_scope(actor, employee) and (
        atasan_of(employee).filter(pk=me.pk).exists()
    )
    if not (is_atasan or rules.can_set_performance_rules(actor)):
        raise Forbidden("Rencana pembinaan dibuat oleh atasan langsung pegawai atau admin BKPSDM.")
    if assessment is not None and assessment.employee_id != employee.pk:
        raise DomainError("Penilaian yang diacu bukan milik pegawai ini.", field="assessment_id")
    start_date, end_date = _clean_dates(start_date, end_date)
    actions = clean_text(actions, field="actions", label="Rencana tindakan")
    plan = CoachingPlan.objects.create(employee=employee, assessment=assessment,
                                       owner=me if is_atasan else atasan_of(employee).first(),
                                       start_date=start_date, end_date=end_date, actions=actions)
    audit_record(actor=actor, action="performance.coaching_plan_created", obj=plan,
                 summary=f"Rencana pembinaan {employee.nip}", after=model_snapshot(plan, COACHING_FIELDS))
    return plan


@transaction.atomic
def coaching_plan_update(*, actor: Any, plan: CoachingPlan, actions: str, status: str, start_date: dt.date,
                         end_date: dt.date, outcome: str = "") -> CoachingPlan:
    """The owner (or BKPSDM) fills in the actions, moves the plan on and, when done, records the outcome."""
    if not rules.can_manage_coaching(actor, plan):
        raise Forbidden("Hanya penanggung jawab pembinaan atau admin BKPSDM yang dapat mengubah rencana ini.")
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_open:
        raise Conflict("Rencana pembinaan ini sudah ditutup.", code="coaching_closed")
    if status not in CoachingPlan.Status.values:
        raise DomainError("Status pembinaan tidak dikenal.", field="status")
    start_date, end_date = _clean_dates(start_date, end_date)
    actions = clean_text(actions, field="actions", label="Rencana tindakan")
    outcome = clean_text(outcome, field="outcome", label="Hasil pembinaan", required=status == CoachingPlan.Status.DONE)
    before = model_snapshot(plan, COACHING_FIELDS)
    plan.actions, plan.status, plan.outcome = actions, status, outcome
    plan.start_date, plan.end_date = start_date, end_date
    plan.save()
    audit_record(actor=actor, action="performance.coaching_plan_updated", obj=plan,
                 summary=f"Rencana pembinaan diubah: {plan.get_status_display()}", before=before,
                 after=model_snapshot(plan, COACHING_FIELDS))
    return plan
