"""Schedules (with their day rows and shifts) and the Ramadan periods: admin BKPSDM only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError

from .. import rules_data
from ..models import RamadanPeriod, ScheduleDay, ScheduleKind, Shift, ShiftRoster, WorkSchedule
from .common import RAMADAN_FIELDS, SCHEDULE_FIELDS, check_date, require_city_admin
from .specs import Block, DaySpec, ShiftSpec, clean_block


def _clean_schedule(*, name: str, kind: str, grace_minutes: Any, legal_basis: str, note: str,
                    days: Sequence[DaySpec], shifts: Sequence[ShiftSpec], exclude_pk: int | None = None
                    ) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Nama jadwal wajib diisi."), field="name")
    if len(name) > 120:
        raise DomainError(_("Nama jadwal paling panjang 120 karakter."), field="name")
    if WorkSchedule.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise DomainError(_("Jadwal bernama \"%(name)s\" sudah ada.") % {"name": name}, code="duplicate",
                          field="name")
    if kind not in ScheduleKind.values:
        raise DomainError(_("Jenis jadwal tidak dikenal."), field="kind")
    if not isinstance(grace_minutes, int) or not 0 <= grace_minutes <= rules_data.MAX_GRACE_MINUTES:
        raise DomainError(_("Toleransi keterlambatan harus 0–%(max)s menit.") % {"max": rules_data.MAX_GRACE_MINUTES},
                          field="grace_minutes")
    legal_basis, note = (legal_basis or "").strip(), (note or "").strip()
    if len(legal_basis) > 200:
        raise DomainError(_("Dasar hukum paling panjang 200 karakter."), field="legal_basis")
    if len(note) > 300:
        raise DomainError(_("Keterangan paling panjang 300 karakter."), field="note")
    if kind == ScheduleKind.SHIFT:
        if days:
            raise DomainError(_("Jadwal shift diatur per shift, bukan per hari."), field="kind")
        if not shifts:
            raise DomainError(_("Jadwal shift memerlukan minimal satu shift."), field="kind")
        codes = [s.code for s in shifts]
        if len(set(codes)) != len(codes):
            raise DomainError(_("Kode shift tidak boleh kembar."), code="duplicate")
        for s in shifts:
            if not s.code or slugify(s.code) != s.code or len(s.code) > 20:
                raise DomainError(_("Kode shift hanya huruf kecil, angka dan tanda hubung (paling panjang 20)."))
            if not (s.name or "").strip() or len(s.name) > 60:
                raise DomainError(_("Nama shift wajib diisi (paling panjang 60 karakter)."))
            clean_block(s.block, s.name)
    else:
        if shifts:
            raise DomainError(_("Shift hanya untuk jadwal berjenis shift."), field="kind")
        if not any(not d.is_ramadan for d in days):
            raise DomainError(_("Jadwal memerlukan minimal satu hari kerja."))
        keys = [(d.is_ramadan, d.weekday) for d in days]
        if len(set(keys)) != len(keys):
            raise DomainError(_("Satu hari hanya boleh diatur sekali."), code="duplicate")
        for d in days:
            if d.weekday not in rules_data.WEEKDAY_LABELS:
                raise DomainError(_("Hari tidak dikenal."))
            label = str(rules_data.WEEKDAY_LABELS[d.weekday]) + (" (Ramadan)" if d.is_ramadan else "")
            clean_block(d.block, label)
    return {"name": name, "kind": kind, "grace_minutes": grace_minutes, "legal_basis": legal_basis, "note": note}


def _snapshot(schedule: WorkSchedule) -> dict[str, Any]:
    data = model_snapshot(schedule, SCHEDULE_FIELDS)
    data["days"] = [
        {"weekday": d.weekday, "ramadan": d.is_ramadan, **{k: str(v) for k, v in Block.of(d).as_fields().items()}}
        for d in schedule.days.all()
    ]
    data["shifts"] = [
        {"code": s.code, "name": s.name, **{k: str(v) for k, v in Block.of(s).as_fields().items()}}
        for s in schedule.shifts.all()
    ]
    return data


def _write_rows(schedule: WorkSchedule, days: Sequence[DaySpec], shifts: Sequence[ShiftSpec]) -> None:
    # Nothing points at a ScheduleDay, so its rows are replaced; rosters point at shifts, so those are
    # matched by code and a shift still on a roster cannot be removed.
    schedule.days.all().delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, weekday=d.weekday, is_ramadan=d.is_ramadan, **d.block.as_fields())
        for d in days
    )
    existing = {s.code: s for s in schedule.shifts.all()}
    wanted = {s.code for s in shifts}
    removed = [s for code, s in existing.items() if code not in wanted]
    if removed:
        used = ShiftRoster.objects.filter(shift__in=removed).values_list("shift__name", flat=True).first()
        if used:
            raise DomainError(_("Shift %(name)s masih dipakai dalam jadwal shift pegawai; tidak dapat dihapus.")
                              % {"name": used}, code="in_use")
        Shift.objects.filter(pk__in=[s.pk for s in removed]).delete()
    for spec in shifts:
        row = existing.get(spec.code) or Shift(schedule=schedule, code=spec.code)
        row.name = spec.name.strip()
        for key, value in spec.block.as_fields().items():
            setattr(row, key, value)
        row.save()


@transaction.atomic
def schedule_create(*, actor: Any, name: str, kind: str, grace_minutes: int = rules_data.DEFAULT_GRACE_MINUTES,
                    legal_basis: str = "", note: str = "", days: Sequence[DaySpec] = (),
                    shifts: Sequence[ShiftSpec] = ()) -> WorkSchedule:
    require_city_admin(actor)
    data = _clean_schedule(name=name, kind=kind, grace_minutes=grace_minutes, legal_basis=legal_basis, note=note,
                           days=days, shifts=shifts)
    schedule = WorkSchedule.objects.create(**data, is_active=True)
    _write_rows(schedule, days, shifts)
    audit_record(actor=actor, action="workcalendar.schedule_created", obj=schedule,
                 summary=f"Jadwal kerja dibuat: {schedule}", after=_snapshot(schedule))
    return schedule


@transaction.atomic
def schedule_update(*, actor: Any, schedule: WorkSchedule, name: str, kind: str, grace_minutes: int,
                    legal_basis: str = "", note: str = "", days: Sequence[DaySpec] = (),
                    shifts: Sequence[ShiftSpec] = ()) -> WorkSchedule:
    require_city_admin(actor)
    schedule = WorkSchedule.objects.select_for_update().get(pk=schedule.pk)
    before = _snapshot(schedule)
    data = _clean_schedule(name=name, kind=kind, grace_minutes=grace_minutes, legal_basis=legal_basis, note=note,
                           days=days, shifts=shifts, exclude_pk=schedule.pk)
    if data["kind"] != schedule.kind and ShiftRoster.objects.filter(shift__schedule=schedule).exists():
        raise DomainError(_("Jenis jadwal tidak dapat diubah karena shift-nya sudah dipakai dalam jadwal shift."),
                          code="in_use", field="kind")
    for key, value in data.items():
        setattr(schedule, key, value)
    schedule.save()
    _write_rows(schedule, days, shifts)
    audit_record(actor=actor, action="workcalendar.schedule_updated", obj=schedule,
                 summary=f"Jadwal kerja diubah: {schedule}", before=before, after=_snapshot(schedule))
    return schedule


@transaction.atomic
def schedule_set_active(*, actor: Any, schedule: WorkSchedule, active: bool) -> WorkSchedule:
    """Deactivating keeps the schedule for the dates it was assigned (history stays resolvable) but refuses
    while it is assigned for today or later: end those assignments first."""
    require_city_admin(actor)
    schedule = WorkSchedule.objects.select_for_update().get(pk=schedule.pk)
    if schedule.is_active == active:
        return schedule
    if not active:
        today = timezone.localdate()
        if schedule.assignments.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today)).exists():
            raise DomainError(_("Jadwal ini masih ditetapkan untuk hari ini atau sesudahnya. Akhiri penetapannya "
                                "terlebih dahulu."), code="in_use")
    before = model_snapshot(schedule, SCHEDULE_FIELDS)
    schedule.is_active = active
    schedule.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="workcalendar.schedule_activated" if active else
                 "workcalendar.schedule_deactivated", obj=schedule,
                 summary=f"Jadwal kerja {'diaktifkan' if active else 'dinonaktifkan'}: {schedule}",
                 before=before, after=model_snapshot(schedule, SCHEDULE_FIELDS))
    return schedule


# ── Ramadan ─────────────────────────────────────────────────────────────────────────────────────────────

@transaction.atomic
def ramadan_create(*, actor: Any, name: str, start_date: dt.date, end_date: dt.date,
                   legal_basis: str = "") -> RamadanPeriod:
    require_city_admin(actor)
    start_date, end_date = check_date(start_date, "start_date"), check_date(end_date, "end_date")
    name, legal_basis = (name or "").strip(), (legal_basis or "").strip()
    if not name or len(name) > 100:
        raise DomainError(_("Nama periode wajib diisi (paling panjang 100 karakter)."), field="name")
    if len(legal_basis) > 200:
        raise DomainError(_("Dasar hukum paling panjang 200 karakter."), field="legal_basis")
    if end_date < start_date:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_date")
    if (end_date - start_date).days + 1 > rules_data.MAX_RAMADAN_DAYS:
        raise DomainError(_("Periode Ramadan paling lama %(n)s hari.") % {"n": rules_data.MAX_RAMADAN_DAYS},
                          field="end_date")
    if RamadanPeriod.objects.filter(start_date__lte=end_date, end_date__gte=start_date).exists():
        raise DomainError(_("Periode ini bertumpang tindih dengan periode Ramadan lain."), code="overlap",
                          field="start_date")
    period = RamadanPeriod.objects.create(name=name, start_date=start_date, end_date=end_date,
                                          legal_basis=legal_basis)
    audit_record(actor=actor, action="workcalendar.ramadan_created", obj=period,
                 summary=f"Periode Ramadan ditetapkan: {period}", after=model_snapshot(period, RAMADAN_FIELDS))
    return period


@transaction.atomic
def ramadan_delete(*, actor: Any, period: RamadanPeriod) -> None:
    require_city_admin(actor)
    audit_record(actor=actor, action="workcalendar.ramadan_deleted", obj=period,
                 summary=f"Periode Ramadan dihapus: {period}", before=model_snapshot(period, RAMADAN_FIELDS))
    period.delete()
