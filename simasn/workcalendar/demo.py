"""Work schedules of the Kota Kendari demo: the standard schedules, who follows which, a shift roster for the
RSUD and the Ramadan periods. Called by core.demo.loader after the organisation and the employees exist."""

from __future__ import annotations

import datetime as dt
import re

import holidays as holidays_package
from django.db.models import Q

from simasn.employees.models import Employee, EmployeeStatus
from simasn.org.models import Unit, UnitKind

from . import rules_data, schedule_services
from .models import RamadanPeriod, WorkSchedule

ACTOR = "seed_demo"
# UnitKind has no school; the demo's schools are UPTD named "SD Negeri …" / "SMP Negeri …".
SCHOOL_NAME = re.compile(r"^(SD|SMP|SMA|SMK)\b")
# A week of the rotation, shifted by one day per employee so every shift is staffed every day.
ROTATION = ("pagi", "pagi", "siang", "siang", "malam", None, None)
ROSTER_WEEKS = 3  # the current week and the next two
IDUL_FITRI = "Hari Raya Idul Fitri"
RAMADAN_BASIS = ("Perkiraan: 30 hari sebelum Idul Fitri menurut paket holidays; sesuaikan dengan penetapan "
                 "Pemerintah (sidang isbat).")


def ramadan_estimate(year: int) -> tuple[dt.date, dt.date] | None:
    """Ramadan of a Gregorian year as the 30 days before Idul Fitri (the `holidays` package's date, itself an
    estimate for future years; Ramadan has 29 or 30 days, so the first day may be one early)."""
    table = holidays_package.Indonesia(years=year, language="id")
    eid = next((d for d in sorted(table) if any(n.startswith(IDUL_FITRI) for n in table.get_list(d))), None)
    if eid is None:
        return None
    return eid - dt.timedelta(days=30), eid - dt.timedelta(days=1)


def _schedule(key: str) -> WorkSchedule:
    name = rules_data.SCHEDULE_TEMPLATES[key].name
    existing = WorkSchedule.objects.filter(name=name).first()
    return existing or schedule_services.schedule_create(actor=ACTOR, **schedule_services.specs_from_template(key))


def _assign(schedule: WorkSchedule, unit: Unit, start: dt.date) -> int:
    if unit.schedule_assignments.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start)).exists():
        return 0
    schedule_services.assignment_create(actor=ACTOR, schedule=schedule, unit=unit, effective_from=start,
                                        note="Data demo")
    return 1


def seed_schedules(*, today: dt.date) -> dict[str, int]:
    """Create the standard schedules and assign them; idempotent (a second run adds nothing)."""
    counts = {"schedules": WorkSchedule.objects.count(), "assignments": 0, "rosters": 0, "ramadan_periods": 0}
    five_day, six_day, shift = (_schedule(k) for k in (rules_data.KIND_FIVE_DAY, rules_data.KIND_SIX_DAY,
                                                        rules_data.KIND_SHIFT))
    counts["schedules"] = WorkSchedule.objects.count() - counts["schedules"]
    # From the start of last year, so recaps of the demo's history have a schedule too.
    since = dt.date(today.year - 1, 1, 1)

    # The pemda root (the demo has one; several roots without a pemda: the first).
    roots = sorted(Unit.objects.filter(parent__isnull=True, is_active=True), key=lambda u: (u.kind != UnitKind.PEMDA,
                                                                                              u.path))
    if roots:
        counts["assignments"] += _assign(five_day, roots[0], since)

    schools = [u for u in Unit.objects.filter(kind=UnitKind.UPTD, is_active=True) if SCHOOL_NAME.match(u.name)]
    for school in schools:
        counts["assignments"] += _assign(six_day, school, since)

    hospital = (Unit.objects.filter(kind=UnitKind.RSUD, is_active=True).order_by("path").first()
                or Unit.objects.filter(name__icontains="Rumah Sakit", is_active=True).order_by("path").first())
    if hospital is not None:
        counts["assignments"] += _assign(shift, hospital, since)
        counts["rosters"] = _roster(hospital, shift, today)

    for year in (today.year, today.year + 1):
        dates = ramadan_estimate(year)
        if dates and not RamadanPeriod.objects.filter(start_date__lte=dates[1], end_date__gte=dates[0]).exists():
            schedule_services.ramadan_create(actor=ACTOR, name=f"Ramadan {year} (perkiraan)", start_date=dates[0],
                                             end_date=dates[1], legal_basis=RAMADAN_BASIS)
            counts["ramadan_periods"] += 1
    return counts


def _roster(hospital: Unit, schedule: WorkSchedule, today: dt.date) -> int:
    start = today - dt.timedelta(days=today.weekday())
    dates = [start + dt.timedelta(days=i) for i in range(7 * ROSTER_WEEKS)]
    shift_ids = dict(schedule.shifts.values_list("code", "pk"))
    staff = list(Employee.objects.filter(unit__path__startswith=hospital.path, status=EmployeeStatus.AKTIF)
                 .order_by("pk").values_list("pk", flat=True))
    entries = [
        (employee_id, day, shift_ids.get(ROTATION[(i + n) % len(ROTATION)] or ""))
        for n, employee_id in enumerate(staff) for i, day in enumerate(dates)
    ]
    result = schedule_services.roster_set(actor=ACTOR, unit=hospital, start=dates[0], end=dates[-1], entries=entries)
    return result["created"] + result["updated"]
