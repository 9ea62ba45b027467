"""Reads of daily records, scoped to the viewer.

Who sees whose attendance: everyone his own; an atasan his bawahan langsung; an admin OPD his unit subtree;
admin BKPSDM, pimpinan and inspektorat the whole city. `monitoring_scope` turns a viewer into that filter
once, so the live board, the recap and the exports agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.core.errors import DomainError
from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES, employee_get_for, has_subordinates, own_employee
from simasn.org.models import Unit

from .models import DailyRecord

CITY, UNIT, ATASAN = "kota", "unit", "atasan"


@dataclass(frozen=True)
class MonitoringScope:
    """What part of the city a viewer monitors: the whole city, an admin OPD's unit subtree, or an atasan's
    bawahan langsung."""

    kind: str
    unit: Unit | None = None
    position_id: int | None = None

    def employee_q(self, prefix: str = "") -> Q:
        if self.kind == CITY:
            return Q()
        if self.kind == UNIT:
            return Q(**{f"{prefix}unit__path__startswith": self.unit.path})
        return (Q(**{f"{prefix}position__parent_id": self.position_id})
                & ~Q(**{f"{prefix}status__in": DEPARTED_STATUSES}))

    def covers_unit(self, unit: Unit) -> bool:
        if self.kind == CITY:
            return True
        if self.kind == UNIT:
            return unit.path.startswith(self.unit.path)
        return False

    @property
    def title(self) -> str:
        if self.kind == CITY:
            return _("Seluruh kota")
        if self.kind == UNIT:
            return self.unit.name
        return _("Bawahan langsung")


def monitoring_scope(viewer: Any) -> MonitoringScope | None:
    """The widest monitoring scope of the viewer, or None (a pegawai without bawahan monitors nobody)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    if is_city_wide(viewer):
        return MonitoringScope(CITY)
    if managed_unit_path(viewer) is not None:
        return MonitoringScope(UNIT, unit=viewer.scope_unit)
    me = own_employee(viewer)
    if me is not None and me.position_id and has_subordinates(viewer):
        return MonitoringScope(ATASAN, position_id=me.position_id)
    return None


def parse_month(raw: Any, *, today: dt.date) -> dt.date:
    """'2026-03' → 1 March 2026; empty → this month. Refuses nonsense and months more than 10 years away."""
    if not raw:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in str(raw).split("-"))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Bulan harus berformat TTTT-BB, misalnya 2026-03."), field="bulan") from exc
    if abs(first.year - today.year) > 10:
        raise DomainError(_("Bulan di luar rentang yang dapat ditampilkan."), field="bulan")
    return first


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def records_of(employee: Employee, start: dt.date, end: dt.date) -> QuerySet[DailyRecord]:
    return DailyRecord.objects.filter(employee=employee, date__range=(start, end)).order_by("date")


def employee_for_records(*, viewer: Any, pk: Any) -> Employee:
    """An employee whose records the viewer may read (himself, a bawahan, his unit, the city); NotFound else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    return employee_get_for(viewer=viewer, pk=pk)
