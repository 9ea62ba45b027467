"""Reads of the approval-route table (Alur Persetujuan): the effective table BKPSDM edits, and "coba alur" —
which officials a given employee's request would reach today.

The effective table is every ApprovalRoute row plus each default of rules_data.DEFAULT_ROUTES that no active
row with the same key replaces. routing.route_roles looks at the rows before it falls back to the defaults,
so an active row for a whole kind ("Cuti — semua jenis") also hides a default for one type of that kind (cuti
besar's Sekda); the table says so on the default it hides instead of listing it as if it applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from simasn.accounts.scopes import can_administer_city, is_city_wide
from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.employees.models import Employee
from simasn.employees.selectors import employee_queryset_for
from simasn.org.models import JabatanType

from . import routing, rules_data
from .display import label_of, requestable_cuti_types, role_label
from .models import ApprovalRoute, RequestKind


def can_view_routes(viewer: Any) -> bool:
    """BKPSDM edits the table; pimpinan and inspektorat read it (who approves what is theirs to know)."""
    return is_city_wide(viewer)


def can_edit_routes(viewer: Any) -> bool:
    return can_administer_city(viewer)


def leave_types_for(kind: str) -> list[tuple[str, str]]:
    """(code, label) of the types a route of this kind may name: the requestable cuti types (PNS and PPPK
    merged; cuti bersama is declared, never requested, so a route for it would never be used), the izin
    types, and none for dinas luar and kerja fleksibel."""
    if kind == RequestKind.CUTI:
        return requestable_cuti_types()
    if kind == RequestKind.IZIN:
        return [(code, label_of(rule)) for code, rule in rules_data.IZIN_TYPES.items()]
    return []


def kind_label(kind: str) -> str:
    return str(RequestKind(kind).label) if kind in RequestKind.values else kind


def leave_type_label(kind: str, leave_type: str) -> str:
    if not leave_type:
        return _("Semua jenis") if leave_types_for(kind) else ""
    return dict(leave_types_for(kind)).get(leave_type, leave_type)


def jabatan_label(jabatan_type: str) -> str:
    if not jabatan_type:
        return _("Semua jabatan")
    return str(JabatanType(jabatan_type).label) if jabatan_type in JabatanType.values else jabatan_type


def route_title(kind: str, leave_type: str, jabatan_type: str) -> str:
    """"Cuti — Cuti Tahunan — Pelaksana": the key of a route in words (audit summaries, headings)."""
    parts = [kind_label(kind), leave_type_label(kind, leave_type), jabatan_label(jabatan_type)]
    return " — ".join(part for part in parts if part)


@dataclass(frozen=True)
class RouteRow:
    kind: str
    leave_type: str
    jabatan_type: str
    steps: tuple[str, ...]
    is_active: bool
    note: str
    route: ApprovalRoute | None  # None: a default of rules_data

    @property
    def is_default(self) -> bool:
        return self.route is None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def leave_type_label(self) -> str:
        return leave_type_label(self.kind, self.leave_type)

    @property
    def jabatan_label(self) -> str:
        return jabatan_label(self.jabatan_type)

    @property
    def title(self) -> str:
        return route_title(self.kind, self.leave_type, self.jabatan_type)

    @property
    def step_labels(self) -> list[str]:
        return [role_label(code) for code in self.steps]

    @property
    def target(self) -> str:
        """The value of the form's "jenis permohonan" select for this row's kind and type."""
        return f"{self.kind}:{self.leave_type}"


def _sort_key(row: RouteRow) -> tuple[int, int, int, int]:
    kinds = list(RequestKind.values)
    types = [code for code, _label in leave_types_for(row.kind)]
    jabatan = list(JabatanType.values)

    def position(value: str, values: list[str]) -> int:
        if not value:
            return 0
        return values.index(value) + 1 if value in values else len(values) + 1

    return (position(row.kind, kinds), position(row.leave_type, types), position(row.jabatan_type, jabatan),
            0 if row.route is not None else 1)


def route_table() -> list[RouteRow]:
    """The effective approval-route table, ordered by kind, type and jabatan (one query)."""
    routes = list(ApprovalRoute.objects.all())
    active = {(r.kind, r.leave_type, r.jabatan_type) for r in routes if r.is_active}
    rows = [
        RouteRow(kind=r.kind, leave_type=r.leave_type, jabatan_type=r.jabatan_type, steps=tuple(r.steps),
                 is_active=r.is_active, note=r.note, route=r)
        for r in routes
    ]
    for (kind, leave_type), steps in rules_data.DEFAULT_ROUTES.items():
        if (kind, leave_type, "") in active:
            continue
        rows.append(RouteRow(kind=kind, leave_type=leave_type, jabatan_type="", steps=tuple(steps),
                             is_active=True, note=_("Bawaan sistem"), route=None))
    return sorted(rows, key=_sort_key)


def default_steps(kind: str, leave_type: str) -> tuple[str, ...]:
    """The roles rules_data gives a kind and type (what a new route starts from)."""
    return rules_data.DEFAULT_ROUTES.get((kind, leave_type)) or rules_data.DEFAULT_ROUTES.get((kind, ""), ())


def route_get(*, viewer: Any, pk: int) -> ApprovalRoute:
    if not can_view_routes(viewer):
        raise Forbidden(_("Anda tidak berwenang melihat alur persetujuan."))
    route = ApprovalRoute.objects.filter(pk=pk).first()
    if route is None:
        raise NotFound(_("Alur persetujuan tidak ditemukan."))
    return route


@dataclass(frozen=True)
class TriedRoute:
    employee: Employee
    kind: str
    leave_type: str
    roles: tuple[str, ...]  # the roles of the route that applies
    chain: list[routing.ChainStep]  # who holds them today, vacancies skipped and repeats merged

    @property
    def title(self) -> str:
        return route_title(self.kind, self.leave_type, self.jabatan_type)

    @property
    def jabatan_type(self) -> str:
        position = self.employee.position
        return position.jabatan_type if position is not None else ""

    @property
    def role_labels(self) -> list[str]:
        return [role_label(code) for code in self.roles]

    @property
    def steps(self) -> list[tuple[str, Employee]]:
        """(role label, approver) of each step, in order."""
        return [(role_label(step.role), step.approver) for step in self.chain]

    @property
    def shortened(self) -> bool:
        return len(self.chain) < len(self.roles)


def route_try(*, viewer: Any, nip: str, kind: str, leave_type: str = "") -> TriedRoute:
    """The approvers a new request of the employee with this NIP would get now (nothing is written).
    An employee outside the viewer's scope is "not found"; a chain nobody can decide is a DomainError."""
    if not can_view_routes(viewer):
        raise Forbidden(_("Anda tidak berwenang melihat alur persetujuan."))
    if kind not in RequestKind.values:
        raise DomainError(_("Pilih jenis permohonan."), field="kind")
    if leave_type and leave_type not in dict(leave_types_for(kind)):
        raise DomainError(_("Jenis cuti/izin tidak sesuai dengan jenis permohonan."), field="leave_type")
    employee = (
        employee_queryset_for(viewer).select_related("unit", "position").filter(nip=(nip or "").strip()).first()
    )
    if employee is None:
        raise NotFound(_("Pegawai dengan NIP ini tidak ditemukan."))
    jabatan_type = employee.position.jabatan_type if employee.position_id else ""
    roles = routing.route_roles(kind=kind, leave_type=leave_type, jabatan_type=jabatan_type)
    chain = routing.resolve_chain(employee, kind=kind, leave_type=leave_type)
    return TriedRoute(employee=employee, kind=kind, leave_type=leave_type, roles=tuple(roles), chain=chain)
