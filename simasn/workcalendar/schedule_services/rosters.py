"""Shift rosters: which shift each shift worker of a unit works on each date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record
from simasn.core.errors import DomainError
from simasn.employees.models import Employee
from simasn.org.models import Unit

from .. import days
from ..models import ScheduleKind, Shift, ShiftRoster
from ..schedules import schedules_between
from .common import check_date, require_unit

MAX_ROSTER_DAYS = 31


@transaction.atomic
def roster_set(*, actor: Any, unit: Unit, start: dt.date, end: dt.date,
               entries: Iterable[tuple[int, dt.date, int | None]]) -> dict[str, int]:
    """Set the shifts of a unit's shift workers for the dates start..end: each entry is (employee id, date,
    shift id or None to clear). Employees must be in the unit's subtree, follow a shift schedule on that date,
    and the shift must belong to it. All or nothing; one audit event. Returns counts."""
    require_unit(actor, unit)
    check_date(start, "start")
    check_date(end, "end")
    if end < start or (end - start).days + 1 > MAX_ROSTER_DAYS:
        raise DomainError(_("Rentang jadwal shift paling lama %(n)s hari.") % {"n": MAX_ROSTER_DAYS}, field="end")
    wanted: dict[tuple[int, dt.date], int | None] = {}
    for employee_id, day, shift_id in entries:
        if not start <= day <= end:
            raise DomainError(_("Tanggal %(date)s di luar rentang jadwal shift.") % {"date": day.isoformat()})
        wanted[(int(employee_id), day)] = int(shift_id) if shift_id else None
    employee_ids = {e for e, _day in wanted}
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=employee_ids, unit__path__startswith=unit.path
                                                          ).select_related("unit")}
    if employee_ids - employees.keys():
        raise DomainError(_("Ada pegawai yang bukan pegawai unit ini."), code="not_in_unit")
    shifts = Shift.objects.in_bulk({s for s in wanted.values() if s})
    schedule_of = schedules_between(list(employees.values()), start, end)
    for (employee_id, day), shift_id in wanted.items():
        if shift_id is None:
            continue
        shift = shifts.get(shift_id)
        schedule = schedule_of.get((employee_id, day))
        if shift is None or schedule is None or schedule.kind != ScheduleKind.SHIFT or shift.schedule_id != schedule.pk:
            raise DomainError(
                _("%(name)s tidak mengikuti jadwal shift dengan shift tersebut pada %(date)s.")
                % {"name": employees[employee_id].name, "date": day.strftime("%d-%m-%Y")}, code="not_shift_worker",
            )
    existing = {
        (r.employee_id, r.date): r
        for r in ShiftRoster.objects.select_for_update().filter(employee_id__in=employee_ids, date__range=(start, end))
    }
    created, updated, cleared = [], [], []
    for key, shift_id in wanted.items():
        row = existing.get(key)
        if shift_id is None:
            if row is not None:
                cleared.append(row.pk)
        elif row is None:
            created.append(ShiftRoster(employee_id=key[0], date=key[1], shift_id=shift_id))
        elif row.shift_id != shift_id:
            row.shift_id = shift_id
            updated.append(row)
    ShiftRoster.objects.filter(pk__in=cleared).delete()
    ShiftRoster.objects.bulk_create(created)
    ShiftRoster.objects.bulk_update(updated, ["shift"])
    counts = {"created": len(created), "updated": len(updated), "cleared": len(cleared)}
    if any(counts.values()):
        days.invalidate_on_commit()  # check-ins keep the rosters of the next days in their tables
        audit_record(
            actor=actor, action="workcalendar.roster_set", obj=unit,
            summary=f"Jadwal shift {unit.name} {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}: "
                    f"{counts['created']} baru, {counts['updated']} diubah, {counts['cleared']} dikosongkan.",
            after={"start": start, "end": end, **counts,
                   "entries": [[e, d.isoformat(), s] for (e, d), s in sorted(wanted.items())]},
        )
    return counts


def roster_set_week(*, actor: Any, unit: Unit, week_start: dt.date,
                    entries: Iterable[tuple[int, dt.date, int | None]]) -> dict[str, int]:
    return roster_set(actor=actor, unit=unit, start=week_start, end=week_start + dt.timedelta(days=6),
                      entries=entries)
