"""The approval chain of a request: which roles (an ApprovalRoute row or the default), and who holds them.

A role names a position; its holder approves. A role that lands on the requester himself (a kepala OPD's
own cuti reaching "kepala OPD"), on a vacant position or on a holder without an active login (who could
never act) goes up the position tree to the next serving
holder — the atasan's atasan. The same person twice in a row approves once. A chain with nobody in it is
refused: a request nobody can decide must not be filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Q, When
from django.utils.translation import gettext as _

from simasn.core.errors import DomainError
from simasn.employees.models import Employee, EmployeeStatus
from simasn.org.models import Position, Unit, UnitKind
from simasn.org.selectors import position_ancestor_ids

from . import rules_data
from .models import ApprovalRoute


@dataclass(frozen=True)
class ChainStep:
    role: str
    approver: Employee


def route_roles(*, kind: str, leave_type: str = "", jabatan_type: str = "") -> tuple[str, ...]:
    """The most specific rule wins, whether BKPSDM's row or the regulation's default: a row for (kind, type,
    jabatan) or (kind, type), then the default for this type (cuti besar and CLTN go up to the Sekda), then a
    row for (kind, jabatan) or (kind), then the kind's default. So a route BKPSDM sets for "all cuti" does not
    silently drop the Sekda step the defaults give cuti besar (one query)."""
    rows = {
        (row.leave_type, row.jabatan_type): row.steps
        for row in ApprovalRoute.objects.filter(
            kind=kind, is_active=True, leave_type__in={leave_type, ""}, jabatan_type__in={jabatan_type, ""},
        )
    }
    for key in ((leave_type, jabatan_type), (leave_type, "")):
        if key in rows:
            return tuple(rows[key])
    if leave_type and (kind, leave_type) in rules_data.DEFAULT_ROUTES:
        return rules_data.DEFAULT_ROUTES[(kind, leave_type)]
    for key in (("", jabatan_type), ("", "")):
        if key in rows:
            return tuple(rows[key])
    return rules_data.DEFAULT_ROUTES[(kind, "")]


def opd_of(unit: Unit) -> Unit:
    """The OPD a unit belongs to: the child of the pemda root on its path, or its root when there is none."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    if len(ids) == 1:
        return unit
    units = Unit.objects.in_bulk(ids[:2])
    root = units.get(ids[0])
    if root is not None and root.kind == UnitKind.PEMDA:
        return units.get(ids[1], unit) if len(ids) > 1 else unit
    return root or unit


def top_position_of(unit: Unit) -> Position | None:
    """The highest active position of a unit subtree whose atasan sits outside it (the kepala)."""
    inside = Q(unit__path__startswith=unit.path)
    return (
        Position.objects.filter(inside, is_active=True)
        .filter(Q(parent__isnull=True) | ~Q(parent__unit__path__startswith=unit.path))
        .order_by(Case(When(unit=unit, then=0), default=1), "-kelas_jabatan", "pk")
        .first()
    )


def _setda() -> Unit | None:
    return (
        Unit.objects.filter(kind=UnitKind.SEKRETARIAT, is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__kind=UnitKind.PEMDA, parent__parent__isnull=True))
        .order_by("depth", "pk")
        .first()
    )


class _Resolver:
    def __init__(self, requester: Employee, cache: dict | None = None) -> None:
        self.requester = requester
        # Bulk callers (the demo) share one cache: OPD heads and the Sekda do not change between requesters.
        self.cache = cache if cache is not None else {}

    def _cached(self, key: tuple, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def holder_at_or_above(self, position_id: int | None, *, include_self: bool = True) -> Employee | None:
        """The first serving holder, other than the requester, of the position or of a position above it."""
        if position_id is None:
            return None
        ids = ([position_id] if include_self else []) + position_ancestor_ids(position_id)
        if not ids:
            return None
        holders: dict[int, Employee] = {}
        for holder in (
            Employee.objects.filter(position_id__in=ids, status=EmployeeStatus.AKTIF, user__is_active=True)
            .exclude(pk=self.requester.pk)
            .select_related("user", "position")
            .order_by("name", "pk")
        ):
            holders.setdefault(holder.position_id, holder)
        return next((holders[i] for i in ids if i in holders), None)

    def resolve(self, role: str) -> Employee | None:
        requester = self.requester
        if role == rules_data.ATASAN_LANGSUNG:
            return self.holder_at_or_above(requester.position_id, include_self=False)
        if role == rules_data.KEPALA_OPD:
            top = self._cached(("opd_top", requester.unit.path), lambda: top_position_of(opd_of(requester.unit)))
            return self.holder_at_or_above(top.pk if top else None)
        if role == rules_data.SEKDA:
            def sekda_top() -> Position | None:
                setda = _setda()
                return top_position_of(setda) if setda else None

            top = self._cached(("sekda_top",), sekda_top)
            return self.holder_at_or_above(top.pk if top else None)
        raise DomainError(_("Peran pejabat \"%(role)s\" pada alur persetujuan tidak dikenal.") % {"role": role},
                          code="unknown_role")


def resolve_chain(employee: Employee, *, kind: str, leave_type: str = "", cache: dict | None = None
                  ) -> list[ChainStep]:
    """The approvers of a new request of the employee, in order; DomainError when there is nobody."""
    jabatan_type = employee.position.jabatan_type if employee.position_id else ""
    resolver = _Resolver(employee, cache)
    chain: list[ChainStep] = []
    for role in route_roles(kind=kind, leave_type=leave_type, jabatan_type=jabatan_type):
        approver = resolver.resolve(role)
        if approver is None:
            continue
        if chain and chain[-1].approver.pk == approver.pk:
            continue
        chain.append(ChainStep(role, approver))
    if not chain:
        raise DomainError(
            _("Tidak ada pejabat yang dapat menyetujui permohonan ini: jabatan atasan kosong atau belum "
              "tercatat. Hubungi admin kepegawaian untuk melengkapi data jabatan."),
            code="no_approver",
        )
    return chain
