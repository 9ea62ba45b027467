"""Reads of employee data, always scoped to the viewer.

`employee_queryset_for` is the ONE scoping rule: the list page, the profile, the API and the exports all
start from it, so a person can never see in one place what another place hides from him.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.core.errors import NotFound
from simasn.org.models import Unit

from .models import EducationHistory, Employee, EmployeeStatus, PositionHistory, RankHistory

# People who have left the service hold no position any more, even while their record still points at one.
DEPARTED_STATUSES = frozenset({EmployeeStatus.PENSIUN, EmployeeStatus.DIBERHENTIKAN, EmployeeStatus.MENINGGAL})

HistoryEntry = RankHistory | PositionHistory | EducationHistory
HISTORY_MODELS: dict[str, type[HistoryEntry]] = {
    "pangkat": RankHistory,
    "jabatan": PositionHistory,
    "pendidikan": EducationHistory,
}

# Columns the list page and the API list show; everything else stays in the database.
LIST_COLUMNS = (
    "id", "nip", "kind", "front_title", "name", "back_title", "status", "golongan", "retirement_date",
    "unit__id", "unit__name", "position__id", "position__name",
)


def own_employee(viewer: Any) -> Employee | None:
    """The employee record of a login, or None (Django caches the answer on the user object)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    return getattr(viewer, "employee", None)


def _subordinates_q(employee: Employee) -> Q:
    if not employee.position_id or employee.status in DEPARTED_STATUSES:
        return Q(pk__in=[])
    return Q(position__parent_id=employee.position_id) & ~Q(status__in=DEPARTED_STATUSES)


def employee_queryset_for(viewer: Any) -> QuerySet[Employee]:
    """Every employee the viewer may read.

    admin BKPSDM, pimpinan, inspektorat, superuser: the whole city. Admin OPD: his unit subtree. Everyone
    with an employee record: himself and the holders of the positions directly under his own (he is their
    atasan langsung).
    """
    qs = Employee.objects.all()
    if not getattr(viewer, "is_authenticated", False):
        return qs.none()
    if is_city_wide(viewer):
        return qs
    allowed = Q(pk__in=[])
    path = managed_unit_path(viewer)
    if path:
        allowed |= Q(unit__path__startswith=path)
    me = own_employee(viewer)
    if me is not None:
        allowed |= Q(pk=me.pk) | _subordinates_q(me)
    return qs.filter(allowed)


def employee_in_scope(viewer: Any, employee: Employee) -> bool:
    return employee_queryset_for(viewer).filter(pk=employee.pk).exists()


def has_subordinates(viewer: Any) -> bool:
    me = own_employee(viewer)
    return me is not None and Employee.objects.filter(_subordinates_q(me)).exists()


def _search_q(q: str) -> Q:
    q = q.strip()
    digits = re.sub(r"[\s.-]", "", q)
    if digits.isdigit():
        # Typed NIPs are often grouped ("19860926 201505 1 001"); a number may also appear in a name.
        return Q(nip__startswith=digits) | Q(name__icontains=q)
    return Q(name__icontains=q)


def employee_list(
    *,
    viewer: Any,
    q: str | None = None,
    unit_id: int | None = None,
    include_subunits: bool = True,
    golongan: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> QuerySet[Employee]:
    """Filtered, ordered employees in the viewer's scope, with unit and position joined (one query a page)."""
    qs = employee_queryset_for(viewer)
    if q and q.strip():
        qs = qs.filter(_search_q(q))
    if unit_id is not None:
        if include_subunits:
            # As a subquery the database finds the subtree's units first and then their employees through the
            # unit index, instead of walking every employee in name order and joining each to its unit.
            subtree = Unit.objects.filter(path__startswith=Subquery(Unit.objects.filter(pk=unit_id).values("path")))
            qs = qs.filter(unit__in=subtree)
        else:
            qs = qs.filter(unit_id=unit_id)
    if golongan:
        qs = qs.filter(golongan=golongan)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "position").only(*LIST_COLUMNS).order_by("name", "nip")


def employee_get_for(*, viewer: Any, pk: int) -> Employee:
    """One employee the viewer may read, with what the profile shows; NotFound when missing or out of scope."""
    employee = (
        employee_queryset_for(viewer)
        .select_related("unit", "position", "position__unit", "user")
        .filter(pk=pk)
        .first()
    )
    if employee is None:
        raise NotFound("Pegawai tidak ditemukan.")
    return employee


def employee_with_histories(employee: Employee) -> Employee:
    """Attach the three histories (2 + 1 queries) to an employee already fetched through the scope."""
    prefetch_related_objects(
        [employee],
        "rank_history",
        Prefetch("position_history", queryset=PositionHistory.objects.select_related("position")),
        "education_history",
    )
    return employee


def history_get_for(*, viewer: Any, employee_pk: int, kind: str, pk: int) -> HistoryEntry:
    """One history entry of an employee in the viewer's scope."""
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise NotFound("Jenis riwayat tidak dikenal.")
    employee = employee_get_for(viewer=viewer, pk=employee_pk)
    entry = model.objects.filter(employee=employee, pk=pk).first()
    if entry is None:
        raise NotFound("Riwayat tidak ditemukan.")
    return entry


def atasan_of(employee: Employee) -> QuerySet[Employee]:
    """The atasan langsung: serving holders of the parent of the employee's position."""
    parent_id = employee.position.parent_id if employee.position_id else None
    if parent_id is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(position_id=parent_id, status=EmployeeStatus.AKTIF)
        .select_related("position")
        .order_by("name")
    )


def subordinates_of(employee: Employee) -> QuerySet[Employee]:
    """Holders of the positions directly under the employee's position (bawahan langsung)."""
    return Employee.objects.filter(_subordinates_q(employee)).select_related("position", "unit").order_by("name")


def visible_subordinates_of(*, viewer: Any, employee: Employee) -> QuerySet[Employee]:
    """The employee's bawahan langsung that the viewer may open (the profile links to them)."""
    return subordinates_of(employee).filter(pk__in=employee_queryset_for(viewer).values("pk")).only(*LIST_COLUMNS)


def upcoming_retirements(*, viewer: Any, within_months: int = 12, today: dt.date | None = None) -> QuerySet[Employee]:
    """Serving employees whose stored BUP date falls within the next `within_months` months (indexed range)."""
    today = today or timezone.localdate()
    return (
        employee_queryset_for(viewer)
        .filter(retirement_date__gte=today, retirement_date__lte=add_months(today, within_months))
        .exclude(status__in=DEPARTED_STATUSES)
        .select_related("unit", "position")
        .only(*LIST_COLUMNS, "birth_date")
        .order_by("retirement_date", "name")
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def filter_options(viewer: Any) -> QuerySet:
    """Units offered in the list filter, as (id, name, depth) rows: those whose employees the viewer may see.
    Plain rows, not model instances: a city has hundreds of units and this runs on every list request."""
    units = Unit.objects.order_by("path").values_list("id", "name", "depth", named=True)
    if is_city_wide(viewer):
        return units
    path = managed_unit_path(viewer)
    if path:
        return units.filter(path__startswith=path)
    return units.filter(pk__in=employee_queryset_for(viewer).values("unit_id"))
