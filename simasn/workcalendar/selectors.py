"""Reads of the work calendar. Holidays are public within the organisation; unit exceptions are shown to
everyone, but only those a viewer manages can be changed (see services.can_manage_unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from simasn.accounts.scopes import can_administer_city, is_city_wide, managed_unit_path
from simasn.core.errors import NotFound
from simasn.org.models import Unit

from .models import (
    Holiday,
    RamadanPeriod,
    ScheduleAssignment,
    ScheduleDay,
    ScheduleKind,
    Shift,
    ShiftRoster,
    UnitHolidayException,
    WorkSchedule,
)


def holiday_list(*, viewer: Any, year: int, include_inactive: bool = False) -> QuerySet[Holiday]:
    qs = Holiday.objects.filter(date__year=year)
    return qs if include_inactive else qs.filter(is_active=True)


def holiday_get_for(*, viewer: Any, pk: Any) -> Holiday:
    holiday = Holiday.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if holiday is None:
        raise NotFound()
    return holiday


def unit_exception_list(*, viewer: Any, year: int) -> QuerySet[UnitHolidayException]:
    return UnitHolidayException.objects.filter(date__year=year).select_related("unit")


def unit_exception_get_for(*, viewer: Any, pk: Any) -> UnitHolidayException:
    """Only an exception the viewer may change: the others are the same 404 as a missing one."""
    qs = UnitHolidayException.objects.select_related("unit")
    if not can_administer_city(viewer):
        path = managed_unit_path(viewer)
        qs = qs.filter(unit__path__startswith=path) if path else qs.none()
    found = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def manageable_units(*, viewer: Any) -> QuerySet[Unit]:
    qs = Unit.objects.filter(is_active=True)
    if can_administer_city(viewer):
        return qs
    path = managed_unit_path(viewer)
    return qs.filter(path__startswith=path) if path else qs.none()


# ── work schedules ──────────────────────────────────────────────────────────────────────────────────────
# Schedules and Ramadan periods are organisation-wide rules everyone may read; assignments and rosters are
# listed to the admins who manage them (BKPSDM: all; admin OPD: his subtree).

def schedule_list(*, viewer: Any, include_inactive: bool = True) -> QuerySet[WorkSchedule]:
    qs = WorkSchedule.objects.prefetch_related(
        Prefetch("days", queryset=ScheduleDay.objects.order_by("is_ramadan", "weekday")),
        Prefetch("shifts", queryset=Shift.objects.order_by("start")),
    )
    return qs if include_inactive else qs.filter(is_active=True)


def schedule_get_for(*, viewer: Any, pk: Any) -> WorkSchedule:
    found = schedule_list(viewer=viewer).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def ramadan_list(*, viewer: Any) -> QuerySet[RamadanPeriod]:
    return RamadanPeriod.objects.all()


def ramadan_get_for(*, viewer: Any, pk: Any) -> RamadanPeriod:
    found = RamadanPeriod.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def _assignment_scope(viewer: Any) -> Q:
    if can_administer_city(viewer) or is_city_wide(viewer):
        return Q()
    path = managed_unit_path(viewer)
    if path:
        return Q(unit__path__startswith=path) | Q(employee__unit__path__startswith=path)
    return Q(pk__in=[])


def assignment_list(*, viewer: Any, target: str = "", current_on: dt.date | None = None
                    ) -> QuerySet[ScheduleAssignment]:
    """Assignments the viewer may see, newest first; `target` "unit"/"employee" narrows; `current_on` keeps
    those covering that date or later."""
    qs = ScheduleAssignment.objects.filter(_assignment_scope(viewer)).select_related(
        "schedule", "unit", "employee__unit",
    ).order_by("unit__path", "employee__name", "-effective_from")
    if target == "unit":
        qs = qs.filter(unit__isnull=False)
    elif target == "employee":
        qs = qs.filter(employee__isnull=False)
    if current_on is not None:
        qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=current_on))
    return qs


def assignment_get_for(*, viewer: Any, pk: Any) -> ScheduleAssignment:
    """Only an assignment the viewer manages: the others are the same 404 as a missing one."""
    qs = ScheduleAssignment.objects.select_related("schedule", "unit", "employee__unit")
    if not can_administer_city(viewer):
        path = managed_unit_path(viewer)
        qs = qs.filter(Q(unit__path__startswith=path) | Q(employee__unit__path__startswith=path)) if path \
            else qs.none()
    found = qs.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def manageable_unit_get(*, viewer: Any, pk: Any) -> Unit:
    found = manageable_units(viewer=viewer).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


@dataclass
class RosterRow:
    employee: Any
    cells: list[tuple[dt.date, Any, list[Any]]]  # (date, current shift id or None, shifts to choose from)


@dataclass
class RosterGrid:
    unit: Unit
    dates: list[dt.date]
    rows: list[RosterRow]


def roster_grid(*, viewer: Any, unit: Unit, week_start: dt.date) -> RosterGrid:
    """The shift workers of a unit subtree for a week: per employee and date the rostered shift and the
    shifts of the schedule he follows that day (empty: not a shift day). Four queries for any unit size."""
    from simasn.employees.models import Employee, EmployeeStatus

    from .schedules import schedules_between

    dates = [week_start + dt.timedelta(days=i) for i in range(7)]
    employees = list(Employee.objects.filter(unit__path__startswith=unit.path, status=EmployeeStatus.AKTIF)
                     .select_related("unit").order_by("unit__path", "name"))
    schedule_of = schedules_between(employees, dates[0], dates[-1])
    shift_schedules = {s.pk for s in schedule_of.values() if s.kind == ScheduleKind.SHIFT}
    shifts_by_schedule: dict[int, list[Shift]] = {}
    for shift in Shift.objects.filter(schedule_id__in=shift_schedules).order_by("start"):
        shifts_by_schedule.setdefault(shift.schedule_id, []).append(shift)
    workers = [e for e in employees if any(
        (s := schedule_of.get((e.pk, d))) is not None and s.pk in shift_schedules for d in dates)]
    current = dict(((r[0], r[1]), r[2]) for r in ShiftRoster.objects.filter(
        employee__in=workers, date__range=(dates[0], dates[-1])).values_list("employee_id", "date", "shift_id"))
    rows = []
    for e in workers:
        cells = []
        for d in dates:
            s = schedule_of.get((e.pk, d))
            options = shifts_by_schedule.get(s.pk, []) if s is not None else []
            cells.append((d, current.get((e.pk, d)), options))
        rows.append(RosterRow(employee=e, cells=cells))
    return RosterGrid(unit=unit, dates=dates, rows=rows)
