"""Reads of the organisation structure. Every logged-in user may read it (it is not personal data), so these
take no viewer; what a viewer may *change* is decided in `rules`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from simasn.core.errors import NotFound
from simasn.employees.models import Employee, EmployeeStatus

from . import tree
from .models import OfficeLocation, Position, Unit, UnitHistory

# Employees who still belong to a unit's headcount; retired, dismissed and deceased ASN keep their last unit
# on record but are no longer counted.
IN_SERVICE = Q(status__in=[EmployeeStatus.AKTIF, EmployeeStatus.CLTN, EmployeeStatus.TUGAS_BELAJAR])


@dataclass
class UnitNode:
    unit: Unit
    employee_count: int = 0  # in the unit itself
    total_employees: int = 0  # in the unit and everything below it
    matched: bool = True  # False for an ancestor shown only to place a search hit
    children: list[UnitNode] = field(default_factory=list)


def _employee_counts(unit_ids: Iterable[int] | None = None) -> dict[int, int]:
    qs = Employee.objects.filter(IN_SERVICE)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return dict(qs.order_by().values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


def unit_tree(*, include_inactive: bool = False, q: str = "") -> list[UnitNode]:
    """The whole tree as nested nodes (roots first, children in path order), with employee counts.

    Two queries whatever the size: the units ordered by path, and one grouped count of employees. With `q`,
    only units whose name, short name or code contains it are kept, together with their ancestors.
    """
    units = Unit.objects.order_by("path").only("id", "name", "short_name", "code", "kind", "parent_id", "path",
                                               "depth", "is_active")
    if not include_inactive:
        units = units.filter(is_active=True)
    units = list(units)
    counts = _employee_counts()
    needle = q.strip().casefold()
    keep: set[int] | None = None
    hits: set[int] = set()
    if needle:
        hits = {u.pk for u in units if any(needle in (v or "").casefold() for v in (u.name, u.short_name, u.code))}
        keep = {pk for u in units if u.pk in hits for pk in tree.ids_of(u.path)}

    # Subtree headcounts over every listed unit, before a search narrows what is shown.
    totals = {u.pk: counts.get(u.pk, 0) for u in units}
    for unit in reversed(units):  # path order reversed: children before their parents
        if unit.parent_id in totals:
            totals[unit.parent_id] += totals[unit.pk]

    nodes: dict[int, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit in units:
        if keep is not None and unit.pk not in keep:
            continue
        node = UnitNode(unit=unit, employee_count=counts.get(unit.pk, 0), total_employees=totals[unit.pk],
                        matched=keep is None or unit.pk in hits)
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id)
        # A unit under an inactive (hidden) parent is shown at the top rather than lost.
        (parent.children if parent else roots).append(node)
    # Path order sorts ids as text ("/1/100/" before "/1/22/"); siblings read better in creation order.
    roots.sort(key=_by_pk)
    for node in nodes.values():
        node.children.sort(key=_by_pk)
    return roots


def _by_pk(node: UnitNode) -> int:
    return node.unit.pk


@dataclass
class TreeRow:
    """One line of the tree flattened for a template: open a <details> when the node has children, and
    close `closes` levels after it."""

    node: UnitNode
    level: int
    has_children: bool
    closes: range


def flatten_tree(roots: list[UnitNode]) -> list[TreeRow]:
    """Depth-first rows for rendering nested lists without recursive template includes."""
    rows: list[TreeRow] = []

    def walk(nodes: list[UnitNode], level: int) -> None:
        for node in nodes:
            rows.append(TreeRow(node=node, level=level, has_children=bool(node.children), closes=range(0)))
            walk(node.children, level + 1)
            if node.children:
                last = rows[-1]
                last.closes = range(len(last.closes) + 1)

    walk(roots, 0)
    return rows


def unit_get(*, pk: int) -> Unit:
    try:
        return Unit.objects.select_related("parent", "merged_into").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def unit_list(*, parent: int | None = None, q: str = "", include_inactive: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.order_by("path")
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if q.strip():
        needle = q.strip()
        qs = qs.filter(Q(name__icontains=needle) | Q(short_name__icontains=needle) | Q(code__icontains=needle))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def unit_ancestors(unit: Unit) -> list[Unit]:
    """Root first, excluding the unit itself (breadcrumbs)."""
    ids = tree.ancestor_ids(unit.path)
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def unit_children(unit: Unit, *, include_inactive: bool = False) -> list[Unit]:
    """Direct sub-units, each annotated with `employee_count` (in the sub-unit itself)."""
    qs = Unit.objects.filter(parent=unit).order_by("pk")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    children = list(qs)
    counts = _employee_counts(c.pk for c in children)
    for child in children:
        child.employee_count = counts.get(child.pk, 0)
    return children


def unit_history(unit: Unit) -> QuerySet[UnitHistory]:
    return unit.history.select_related("old_parent", "new_parent", "merged_into")


def _with_holders(qs: QuerySet[Position]) -> QuerySet[Position]:
    """Positions with their atasan position and in-service holders (`holders_list`): two queries in all."""
    holders = Employee.objects.filter(IN_SERVICE).only(
        "id", "name", "front_title", "back_title", "position_id").order_by("name")
    return qs.select_related("parent").prefetch_related(Prefetch("holders", queryset=holders, to_attr="holders_list"))


def positions_in(unit: Unit, *, include_subtree: bool = False, include_inactive: bool = False) -> list[Position]:
    qs = Position.objects.filter(unit__path__startswith=unit.path) if include_subtree else unit.positions.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(_with_holders(qs))


def positions_for_unit(unit: Unit, *, include_inactive: bool = False) -> list[Position]:
    """The unit's own positions with atasan and holder names (no N+1)."""
    return positions_in(unit, include_inactive=include_inactive)


def positions_all(*, include_inactive: bool = False) -> list[Position]:
    qs = Position.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(_with_holders(qs))


def position_get(*, pk: int) -> Position:
    try:
        return Position.objects.select_related("unit", "parent").get(pk=pk)
    except (Position.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def position_ancestor_ids(position_id: int) -> list[int]:
    """Ids of the atasan chain above a position, nearest first, in one recursive query.

    The depth guard keeps a corrupt (cyclic) chain from looping forever."""
    table = connection.ops.quote_name(Position._meta.db_table)
    sql = (
        f"WITH RECURSIVE chain(id, parent_id, lvl) AS ("
        f" SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL"
        f" SELECT p.id, p.parent_id, c.lvl + 1 FROM {table} p JOIN chain c ON p.id = c.parent_id WHERE c.lvl < 64"
        f") SELECT id FROM chain WHERE lvl > 0 ORDER BY lvl"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [position_id])
        ids = [row[0] for row in cursor.fetchall()]
    seen: set[int] = set()
    out: list[int] = []
    for pk in ids:
        if pk in seen or pk == position_id:
            break
        seen.add(pk)
        out.append(pk)
    return out


def atasan_positions_chain(position: Position) -> list[Position]:
    """The positions above this one, from the direct atasan up to the top (two queries)."""
    ids = position_ancestor_ids(position.pk)
    by_id = Position.objects.select_related("unit").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def position_parent_candidates(unit: Unit | None, *, exclude: Position | None = None) -> QuerySet[Position]:
    """Active positions that may be the atasan of a position in `unit`: those in the unit or its ancestors."""
    if unit is None:
        return Position.objects.none()
    qs = Position.objects.filter(unit_id__in=tree.ids_of(unit.path), is_active=True).select_related("unit")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("unit__path", "-kelas_jabatan", "name")


def office_locations(
    *, unit: Unit | None = None, include_subtree: bool = False, active_only: bool = True
) -> QuerySet[OfficeLocation]:
    """Office locations, optionally of one unit (and its sub-units). Attendance uses this to find the
    geofences that apply to an employee's unit."""
    qs = OfficeLocation.objects.select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if include_subtree else qs.filter(unit=unit)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("unit__path", "name")


def office_locations_for_unit_line(unit: Unit) -> QuerySet[OfficeLocation]:
    """Active locations of the unit and of its ancestors: an employee of a seksi may check in at the office of
    the bidang or the dinas it belongs to."""
    return OfficeLocation.objects.filter(unit_id__in=tree.ids_of(unit.path), is_active=True).order_by(
        "-unit__depth", "name")


def location_get(*, pk: int) -> OfficeLocation:
    try:
        return OfficeLocation.objects.select_related("unit").get(pk=pk)
    except (OfficeLocation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
