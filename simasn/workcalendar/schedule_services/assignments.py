"""Which schedule a unit (and its subtree) or an employee follows from which date.

Overlaps for one target: a new open-ended assignment closes the target's assignment that began earlier and
is still running (it now ends the day before); any other overlap is refused, so a date never has two
schedules for one unit or one employee. Employee and unit assignments do not clash: the employee's wins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.org.models import Unit

from .. import days
from ..models import ScheduleAssignment, WorkSchedule
from .common import ASSIGNMENT_FIELDS, can_manage_path, check_date


def _target_path(unit: Unit | None, employee: Employee | None) -> str:
    return unit.path if unit is not None else employee.unit.path


def _overlapping(target: Q, start: dt.date, end: dt.date | None, exclude_pk: int | None = None):
    qs = ScheduleAssignment.objects.filter(target).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        qs = qs.filter(effective_from__lte=end)
    return qs.exclude(pk=exclude_pk)


def _locked(pk: int) -> ScheduleAssignment:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins to unit and employee.
    return (ScheduleAssignment.objects.select_for_update(of=("self",))
            .select_related("unit", "employee__unit", "schedule").get(pk=pk))


def _describe(a: ScheduleAssignment) -> str:
    until = a.effective_to.strftime("%d-%m-%Y") if a.effective_to else _("seterusnya")
    return f"{a.schedule.name} ({a.effective_from:%d-%m-%Y} s.d. {until})"


@transaction.atomic
def assignment_create(*, actor: Any, schedule: WorkSchedule, effective_from: dt.date, unit: Unit | None = None,
                      employee: Employee | None = None, effective_to: dt.date | None = None,
                      note: str = "") -> ScheduleAssignment:
    if (unit is None) == (employee is None):
        raise DomainError(_("Pilih satu sasaran: unit atau pegawai."), field="unit")
    if not can_manage_path(actor, _target_path(unit, employee)):
        raise Forbidden(_("Anda hanya dapat menetapkan jadwal untuk unit dan pegawai yang Anda kelola."))
    # Locked: a deactivation running at the same time either sees this assignment or is seen by it.
    schedule = WorkSchedule.objects.select_for_update().get(pk=schedule.pk)
    if not schedule.is_active:
        raise DomainError(_("Jadwal ini tidak aktif."), field="schedule")
    effective_from = check_date(effective_from, "effective_from")
    if effective_to is not None:
        effective_to = check_date(effective_to, "effective_to")
        if effective_to < effective_from:
            raise DomainError(_("Tanggal berakhir tidak boleh sebelum tanggal mulai."), field="effective_to")
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(_("Keterangan paling panjang 200 karakter."), field="note")
    target = Q(unit=unit) if unit is not None else Q(employee=employee)
    # Lock the target's rows so two admins cannot both close the same previous assignment.
    list(ScheduleAssignment.objects.select_for_update().filter(target).values_list("pk", flat=True))
    clashes = list(_overlapping(target, effective_from, effective_to).select_related("schedule"))
    closable = (effective_to is None and len(clashes) == 1 and clashes[0].effective_from < effective_from)
    if clashes and not closable:
        raise DomainError(
            _("Periode ini bertumpang tindih dengan penetapan %(other)s. Akhiri atau hapus penetapan itu dahulu.")
            % {"other": _describe(clashes[0])}, code="overlap", field="effective_from",
        )
    if clashes:
        previous = clashes[0]
        before = model_snapshot(previous, ASSIGNMENT_FIELDS)
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
        audit_record(actor=actor, action="workcalendar.assignment_ended", obj=previous,
                     summary=f"Penetapan jadwal diakhiri oleh penetapan baru: {previous}", before=before,
                     after=model_snapshot(previous, ASSIGNMENT_FIELDS))
    assignment = ScheduleAssignment.objects.create(schedule=schedule, unit=unit, employee=employee,
                                                   effective_from=effective_from, effective_to=effective_to, note=note)
    days.invalidate_on_commit()  # a unit's week (5 or 6 days) decides its leave day counts
    audit_record(actor=actor, action="workcalendar.assignment_created", obj=assignment,
                 summary=f"Jadwal ditetapkan: {assignment}", after=model_snapshot(assignment, ASSIGNMENT_FIELDS))
    return assignment


@transaction.atomic
def assignment_end(*, actor: Any, assignment: ScheduleAssignment, effective_to: dt.date) -> ScheduleAssignment:
    """Set (or move) the last day of an assignment."""
    assignment = _locked(assignment.pk)
    if not can_manage_path(actor, _target_path(assignment.unit, assignment.employee)):
        raise Forbidden(_("Anda hanya dapat menetapkan jadwal untuk unit dan pegawai yang Anda kelola."))
    effective_to = check_date(effective_to, "effective_to")
    if effective_to < assignment.effective_from:
        raise DomainError(_("Tanggal berakhir tidak boleh sebelum tanggal mulai."), field="effective_to")
    target = Q(unit_id=assignment.unit_id) if assignment.unit_id else Q(employee_id=assignment.employee_id)
    clash = _overlapping(target, assignment.effective_from, effective_to, exclude_pk=assignment.pk
                         ).select_related("schedule").first()
    if clash is not None:
        raise DomainError(_("Tanggal berakhir bertumpang tindih dengan penetapan %(other)s.")
                          % {"other": _describe(clash)}, code="overlap", field="effective_to")
    before = model_snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.effective_to = effective_to
    assignment.save(update_fields=["effective_to"])
    days.invalidate_on_commit()
    audit_record(actor=actor, action="workcalendar.assignment_ended", obj=assignment,
                 summary=f"Penetapan jadwal diakhiri: {assignment}", before=before,
                 after=model_snapshot(assignment, ASSIGNMENT_FIELDS))
    return assignment


@transaction.atomic
def assignment_delete(*, actor: Any, assignment: ScheduleAssignment) -> None:
    """Only an assignment that has not started: one that did is history, and is ended instead."""
    assignment = _locked(assignment.pk)
    if not can_manage_path(actor, _target_path(assignment.unit, assignment.employee)):
        raise Forbidden(_("Anda hanya dapat menetapkan jadwal untuk unit dan pegawai yang Anda kelola."))
    if assignment.effective_from <= timezone.localdate():
        raise DomainError(_("Penetapan yang sudah berlaku tidak dapat dihapus; akhiri saja."), code="started")
    audit_record(actor=actor, action="workcalendar.assignment_deleted", obj=assignment,
                 summary=f"Penetapan jadwal dihapus: {assignment}",
                 before=model_snapshot(assignment, ASSIGNMENT_FIELDS))
    assignment.delete()
    days.invalidate_on_commit()
