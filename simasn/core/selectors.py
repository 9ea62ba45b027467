"""Reads behind the core screens: the role-aware Beranda and the audit log.

Every function here runs a fixed number of queries whatever the size of the city: counts are conditional
aggregates in one statement, and the per-OPD table groups employees by unit once and rolls the units up
to their OPD in Python (a unit's OPD is a prefix of its materialised path).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from simasn.accounts.models import User
from simasn.accounts.scopes import is_city_wide, managed_unit_path, unit_filter
from simasn.employees.models import Employee, EmployeeKind, EmployeeStatus
from simasn.org.models import Unit, UnitKind

from .models import AuditEvent

# Pensiun, diberhentikan and meninggal leave the roster; CLTN and tugas belajar are still ASN of the city.
CURRENT_STATUSES = (EmployeeStatus.AKTIF, EmployeeStatus.CLTN, EmployeeStatus.TUGAS_BELAJAR)
# PNS/CPNS golongan codes start with their roman group and a slash ("III/b"); PPPK golongan have no slash.
GOLONGAN_GROUPS: tuple[tuple[str, Q], ...] = (
    ("I", Q(golongan__startswith="I/")),
    ("II", Q(golongan__startswith="II/")),
    ("III", Q(golongan__startswith="III/")),
    ("IV", Q(golongan__startswith="IV/")),
    ("PPPK", Q(kind=EmployeeKind.PPPK)),
)
RETIREMENT_HORIZON_MONTHS = 12


def retirement_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Today up to the same day twelve months on (the last day of the month where that day is missing)."""
    today = today or timezone.localdate()
    month_index = today.month - 1 + RETIREMENT_HORIZON_MONTHS
    year, month = today.year + month_index // 12, month_index % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return today, dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


@dataclass(frozen=True)
class Breakdown:
    """Head counts of one population of employees."""

    total: int
    by_kind: list[tuple[str, int]]
    by_golongan: list[tuple[str, int]]
    by_status: list[tuple[str, str, int]]  # (code, label, count)
    retiring_soon: int


def _breakdown(employees: QuerySet[Employee]) -> Breakdown:
    """All the counts of the dashboard cards in one aggregate statement."""
    start, end = retirement_window()
    current = Q(status__in=CURRENT_STATUSES)
    aggregates: dict[str, Any] = {"total": Count("pk", filter=current)}
    aggregates |= {f"kind_{k}": Count("pk", filter=current & Q(kind=k)) for k in EmployeeKind.values}
    aggregates |= {f"gol_{name}": Count("pk", filter=current & q) for name, q in GOLONGAN_GROUPS}
    aggregates |= {f"status_{s}": Count("pk", filter=Q(status=s)) for s in EmployeeStatus.values}
    aggregates["retiring"] = Count(
        "pk", filter=Q(status=EmployeeStatus.AKTIF, retirement_date__gte=start, retirement_date__lte=end)
    )
    row = employees.order_by().aggregate(**aggregates)
    return Breakdown(
        total=row["total"],
        by_kind=[(k, row[f"kind_{k}"]) for k in EmployeeKind.values],
        by_golongan=[(name, row[f"gol_{name}"]) for name, _ in GOLONGAN_GROUPS],
        by_status=[(s, str(label), row[f"status_{s}"]) for s, label in EmployeeStatus.choices],
        retiring_soon=row["retiring"],
    )


@dataclass
class OpdRow:
    unit: Unit | None  # None: employees placed directly on the pemda root
    pns: int = 0
    cpns: int = 0
    pppk: int = 0

    @property
    def total(self) -> int:
        return self.pns + self.cpns + self.pppk


def opd_units() -> list[Unit]:
    """The OPD: children of the pemda root, or top-level units when the tree has no pemda root."""
    return list(
        Unit.objects.filter(
            Q(parent__isnull=True, is_active=True) & ~Q(kind=UnitKind.PEMDA)
            | Q(parent__kind=UnitKind.PEMDA, parent__parent__isnull=True, is_active=True)
        ).order_by("name")
    )


def opd_table(*, viewer: User) -> list[OpdRow]:
    """Current employees per OPD and kind, from one grouped query over the viewer's scope."""
    rows = {opd.path: OpdRow(unit=opd) for opd in opd_units()}
    loose = OpdRow(unit=None)
    per_unit = (
        Employee.objects.filter(unit_filter(viewer, "unit__"), status__in=CURRENT_STATUSES)
        .order_by()
        .values("unit__path", "kind")
        .annotate(n=Count("pk"))
    )
    for item in per_unit:
        # An OPD is a root (no pemda root) or a child of the root, so its path is one of the first two prefixes.
        segments = item["unit__path"].strip("/").split("/")
        prefixes = ("/" + "/".join(segments[:depth]) + "/" for depth in (1, 2))
        target = next((rows[p] for p in prefixes if p in rows), loose)
        attr = item["kind"].lower()
        setattr(target, attr, getattr(target, attr) + item["n"])
    table = [row for row in rows.values() if row.total]
    table.sort(key=lambda r: (-r.total, r.unit.name if r.unit else ""))
    if loose.total:
        table.append(loose)
    return table


@dataclass
class HomeData:
    employee: Employee | None = None
    subordinates: list[Employee] = field(default_factory=list)
    subordinate_count: int = 0
    scope_unit: Unit | None = None
    scope: Breakdown | None = None
    city: Breakdown | None = None
    opds: list[OpdRow] = field(default_factory=list)


SUBORDINATE_PREVIEW = 50


def home_data(*, viewer: User) -> HomeData:
    """What the Beranda shows this viewer: own card, direct subordinates, OPD or city-wide counts."""
    data = HomeData()
    data.employee = (
        Employee.objects.select_related("unit", "position").filter(user=viewer).first()
    )
    if data.employee and data.employee.position_id:
        # The atasan langsung of an employee is the holder of the parent of his position.
        subordinates = Employee.objects.filter(
            position__parent_id=data.employee.position_id, status__in=CURRENT_STATUSES
        )
        data.subordinates = list(subordinates.select_related("position").order_by("name")[: SUBORDINATE_PREVIEW + 1])
        data.subordinate_count = len(data.subordinates)
        if data.subordinate_count > SUBORDINATE_PREVIEW:
            data.subordinates = data.subordinates[:SUBORDINATE_PREVIEW]
            data.subordinate_count = subordinates.count()
    if is_city_wide(viewer):
        data.city = _breakdown(Employee.objects.all())
        data.opds = opd_table(viewer=viewer)
    elif managed_unit_path(viewer) is not None:
        data.scope_unit = viewer.scope_unit
        data.scope = _breakdown(Employee.objects.filter(unit_filter(viewer, "unit__")))
    return data


# ---------------------------------------------------------------- audit log


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    actor: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, viewer: User, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events newest first; the caller has checked `accounts.view_audit_log`."""
    if not viewer.has_perm("accounts.view_audit_log"):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.order_by("-id")
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.actor:
        qs = qs.filter(actor_label__iexact=filters.actor)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs.defer("prev_hash", "entry_hash")


DIFF_VALUE_LIMIT = 80


def _short(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= DIFF_VALUE_LIMIT else text[: DIFF_VALUE_LIMIT - 1] + "…"


def audit_diff(before: Any, after: Any) -> list[tuple[str, str, str]]:
    """(field, old, new) for the fields that changed; a creation lists every field with an empty old side."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before == after:
            return []
        return [("", _short(before), _short(after))]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    rows = []
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key) or (key in old) != (key in new):
            rows.append((str(key), _short(old.get(key)), _short(new.get(key))))
    return rows
