"""Writes on the unit tree: create, rename/move/(de)activate, merge, delete.

The tree is a materialised path (see `tree`): a move or merge rewrites the paths of a whole subtree with one
UPDATE, so the cost does not grow with the number of units below.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from simasn.accounts.models import Role, User
from simasn.core.audit import audit_record, audit_record_many, model_snapshot
from simasn.core.errors import DomainError
from simasn.employees.models import Employee, PositionHistory

from .. import tree
from ..models import OfficeLocation, Position, Unit, UnitHistory, UnitKind
from ..rules import Forbidden, ensure, unit_in_scope
from ._common import FieldErrors, check_choice, clean_text, fresh

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
UPDATABLE_FIELDS = frozenset({"name", "short_name", "code", "kind", "parent", "is_active"})


@dataclass
class MergeResult:
    source: Unit
    target: Unit
    employees: int
    positions: int
    locations: int
    child_units: int
    admin_accounts: int = 0  # admin OPD accounts re-scoped from the source to the target
    # Positions in the merged tree whose atasan now sits outside their unit's line: to be re-linked by hand.
    positions_to_review: list[Position] = field(default_factory=list)


def _locked(unit: Unit) -> Unit:
    return fresh(Unit.objects.select_for_update(), unit.pk)


def _clean_identity(errors: FieldErrors, data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    """Validate whichever of name/short_name/code/kind are present; returns the cleaned values."""
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = clean_text(errors, "name", data["name"], label="Nama unit", max_length=200)
    if "short_name" in data:
        out["short_name"] = clean_text(errors, "short_name", data["short_name"], label="Singkatan",
                                       max_length=60, required=False)
    if "code" in data:
        code = clean_text(errors, "code", data["code"], label="Kode unit", max_length=30)
        if code and not CODE_RE.match(code):
            errors.add("code", "Kode unit hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung.")
        elif code:
            clash = Unit.objects.filter(code__iexact=code).exclude(pk=exclude_pk).only("name").first()
            if clash:
                errors.add("code", f"Kode unit {code} sudah dipakai oleh {clash.name}.")
        out["code"] = code
    if "kind" in data:
        out["kind"] = check_choice(errors, "kind", data["kind"], UnitKind, label="Jenis unit")
    return out


def _check_path_room(subtree_root: Unit, new_prefix: str) -> None:
    longest = Unit.objects.filter(path__startswith=subtree_root.path).aggregate(n=Max(Length("path")))["n"] or 0
    if longest - len(subtree_root.path) + len(new_prefix) > tree.PATH_MAX_LENGTH:
        raise DomainError("Struktur terlalu dalam: unit tidak dapat ditempatkan di sana.", code="too_deep",
                          field="parent")


def _repath_subtree(old_prefix: str, new_prefix: str, *, depth_delta: int, include_root: bool = True) -> int:
    """Rewrite every path under `old_prefix` to start with `new_prefix`, in one UPDATE."""
    qs = Unit.objects.filter(path__startswith=old_prefix)
    if not include_root:
        qs = qs.exclude(path=old_prefix)
    return qs.update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_delta,
    )


def _refuse_cycle(unit: Unit, new_parent: Unit, *, verb: str = "dipindahkan") -> None:
    if new_parent.pk == unit.pk or tree.is_within(new_parent.path, unit.path):
        raise DomainError(
            f"{unit.name} tidak dapat {verb} ke bawah dirinya sendiri atau sub-unitnya "
            f"({new_parent.name}): struktur organisasi akan melingkar.",
            code="cycle", field="parent",
        )


def _subtree_employee_count(unit: Unit) -> int:
    return Employee.objects.filter(unit__path__startswith=unit.path).count()


@transaction.atomic
def unit_create(
    *, actor: Any, name: str, code: str, kind: str, parent: Unit | None = None, short_name: str = "",
    effective_date: dt.date | None = None, legal_basis: str = "",
) -> Unit:
    if parent is not None:
        parent = _locked(parent)
    ensure(actor, "org.add_unit", parent, message="Hanya Admin BKPSDM yang dapat membentuk unit tingkat teratas.")
    errors = FieldErrors()
    values = _clean_identity(errors, {"name": name, "short_name": short_name, "code": code, "kind": kind})
    legal_basis = clean_text(errors, "legal_basis", legal_basis, label="Dasar hukum", max_length=200,
                             required=False)
    if parent is not None and not parent.is_active:
        errors.add("parent", f"Unit induk {parent.name} sudah tidak aktif.")
    errors.raise_if_any()
    if parent is not None and len(parent.path) + 21 > tree.PATH_MAX_LENGTH:
        raise DomainError("Struktur terlalu dalam: unit tidak dapat ditempatkan di sana.", code="too_deep",
                          field="parent")

    unit = Unit.objects.create(parent=parent, **values)
    unit.path = tree.child_path(parent.path if parent else None, unit.pk)
    unit.depth = tree.depth_of(unit.path)
    unit.save(update_fields=["path", "depth"])
    UnitHistory.objects.create(
        unit=unit, change=UnitHistory.Change.CREATED, new_name=unit.name, new_parent=parent,
        effective_date=effective_date, legal_basis=legal_basis,
    )
    audit_record(actor=actor, action="org.unit.create", obj=unit, summary=f"Unit dibentuk: {unit.name}",
                 after=model_snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *, actor: Any, unit: Unit, effective_date: dt.date | None = None, legal_basis: str = "", **fields: Any
) -> Unit:
    """Change a unit. A new name is a rename, a new parent a move (the whole subtree follows), is_active=False a
    deactivation; each is kept in the unit's history with the optional effective date and legal basis."""
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields: {sorted(unknown)}")
    unit = _locked(unit)
    ensure(actor, "org.change_unit", unit)
    before = model_snapshot(unit)
    errors = FieldErrors()
    values = _clean_identity(errors, fields, exclude_pk=unit.pk)
    legal_basis = clean_text(errors, "legal_basis", legal_basis, label="Dasar hukum", max_length=200,
                             required=False)
    errors.raise_if_any()

    history: list[UnitHistory] = []
    old_name, old_parent = unit.name, unit.parent
    moving = "parent" in fields and (fields["parent"].pk if fields["parent"] else None) != unit.parent_id
    new_parent = _locked(fields["parent"]) if moving and fields["parent"] is not None else None
    if moving:
        ensure(actor, "org.move_unit", unit, message="Unit cakupan Anda sendiri tidak dapat dipindahkan.")
        if actor is not None and not unit_in_scope(actor, new_parent):
            raise Forbidden("Unit induk baru harus berada di dalam cakupan unit Anda.")
        if new_parent is not None:
            _refuse_cycle(unit, new_parent)
            if not new_parent.is_active:
                raise DomainError(f"Unit induk {new_parent.name} sudah tidak aktif.", code="invalid", field="parent")
        new_prefix = tree.child_path(new_parent.path if new_parent else None, unit.pk)
        _check_path_room(unit, new_prefix)

    deactivating = fields.get("is_active") is False and unit.is_active
    if deactivating:
        ensure(actor, "org.move_unit", unit, message="Unit cakupan Anda sendiri tidak dapat dinonaktifkan.")
        _refuse_deactivation(unit)
    if fields.get("is_active") is True and unit.merged_into_id:
        raise DomainError("Unit yang sudah digabungkan tidak dapat diaktifkan kembali.", code="merged",
                          field="is_active")

    for name, value in values.items():
        setattr(unit, name, value)
    update_fields = list(values)
    if "is_active" in fields:
        unit.is_active = bool(fields["is_active"])
        update_fields.append("is_active")
    if moving:
        unit.parent = new_parent
        update_fields.append("parent")
    if update_fields:
        unit.save(update_fields=update_fields)

    if moving:
        old_path = unit.path
        _repath_subtree(old_path, new_prefix, depth_delta=tree.depth_of(new_prefix) - unit.depth)
        unit.path, unit.depth = new_prefix, tree.depth_of(new_prefix)
        history.append(UnitHistory(unit=unit, change=UnitHistory.Change.MOVED, old_parent=old_parent,
                                   new_parent=new_parent, old_name=unit.name, new_name=unit.name))
    if unit.name != old_name:
        history.append(UnitHistory(unit=unit, change=UnitHistory.Change.RENAMED, old_name=old_name,
                                   new_name=unit.name))
    if deactivating:
        history.append(UnitHistory(unit=unit, change=UnitHistory.Change.DEACTIVATED, old_name=unit.name))
    for entry in history:
        entry.effective_date, entry.legal_basis = effective_date, legal_basis
    UnitHistory.objects.bulk_create(history)

    after = model_snapshot(unit)
    if after != before:
        action = "org.unit.move" if moving else "org.unit.update"
        audit_record(actor=actor, action=action, obj=unit, summary=f"Unit diubah: {unit.name}",
                     before=before, after=after)
    return unit


def _refuse_deactivation(unit: Unit) -> None:
    employees = _subtree_employee_count(unit)
    children = Unit.objects.filter(parent=unit, is_active=True).count()
    if employees or children:
        raise DomainError(
            f"{unit.name} tidak dapat dinonaktifkan: masih ada {_count_phrase(employees=employees, units=children)}."
            " Pindahkan atau gabungkan terlebih dahulu.",
            code="unit_not_empty", field="is_active",
        )


def _count_phrase(*, employees: int = 0, positions: int = 0, units: int = 0, locations: int = 0,
                  accounts: int = 0) -> str:
    parts = [
        f"{n} {label}" for n, label in (
            (employees, "pegawai"), (positions, "jabatan"), (units, "sub-unit"), (locations, "lokasi kantor"),
            (accounts, "akun admin OPD"),
        ) if n
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]


@transaction.atomic
def unit_merge(
    *, actor: Any, source: Unit, target: Unit, effective_date: dt.date, legal_basis: str
) -> MergeResult:
    """Fold `source` into `target`: its employees, positions, office locations and sub-units move to the
    target, and the source stays in the tree as an inactive unit pointing at the target (for history)."""
    source, target = _locked(source), _locked(target)
    ensure(actor, "org.merge_unit", source, message="Unit cakupan Anda sendiri tidak dapat digabungkan.")
    if actor is not None and not unit_in_scope(actor, target):
        raise Forbidden("Unit tujuan penggabungan harus berada di dalam cakupan unit Anda.")
    errors = FieldErrors()
    legal_basis = clean_text(errors, "legal_basis", legal_basis, label="Dasar hukum", max_length=200)
    if not isinstance(effective_date, dt.date):
        errors.add("effective_date", "Tanggal berlaku wajib diisi.")
    if source.pk == target.pk:
        errors.add("target", "Unit tidak dapat digabungkan dengan dirinya sendiri.")
    elif tree.is_within(target.path, source.path):
        errors.add("target", f"{target.name} adalah sub-unit dari {source.name}: pilih unit di luar cabangnya.")
    if not source.is_active:
        errors.add("target", f"{source.name} sudah tidak aktif.")
    if not target.is_active:
        errors.add("target", f"Unit tujuan {target.name} sudah tidak aktif.")
    errors.raise_if_any()
    _check_path_room(source, target.path)
    before_source, before_target = model_snapshot(source), model_snapshot(target)

    moved_employees = list(Employee.objects.filter(unit=source).values_list("pk", "position_id", "position__name"))
    employee_ids = [pk for pk, _, _ in moved_employees]
    Employee.objects.filter(pk__in=employee_ids).update(unit=target, updated_at=timezone.now())
    position_ids = list(Position.objects.filter(unit=source).values_list("pk", flat=True))
    Position.objects.filter(pk__in=position_ids).update(unit=target)
    location_ids = list(OfficeLocation.objects.filter(unit=source).values_list("pk", flat=True))
    OfficeLocation.objects.filter(pk__in=location_ids).update(unit=target)
    children = list(Unit.objects.filter(parent=source).values_list("pk", "name"))
    # Descendants' paths first (they still start with the source path), then the direct children's parent.
    _repath_subtree(source.path, target.path, depth_delta=target.depth - source.depth, include_root=False)
    Unit.objects.filter(parent=source).update(parent=target)

    source.is_active, source.merged_into = False, target
    source.save(update_fields=["is_active", "merged_into"])
    common = {"effective_date": effective_date, "legal_basis": legal_basis}
    UnitHistory.objects.bulk_create([
        UnitHistory(unit=source, change=UnitHistory.Change.MERGED, old_name=source.name, new_name=target.name,
                    merged_into=target, **common),
        UnitHistory(unit=target, change=UnitHistory.Change.MERGED, old_name=source.name, new_name=target.name,
                    merged_into=target, **common),
        *[UnitHistory(unit_id=pk, change=UnitHistory.Change.MOVED, old_name=name, new_name=name,
                      old_parent=source, new_parent=target, **common) for pk, name in children],
    ])

    summary = f"{source.name} digabung ke {target.name}"
    audit_record(actor=actor, action="org.unit.merge", obj=source, summary=summary, before=before_source,
                 after={**model_snapshot(source), "employees_moved": len(employee_ids),
                        "positions_moved": len(position_ids), "locations_moved": len(location_ids),
                        "child_units_moved": len(children), "legal_basis": legal_basis,
                        "effective_date": effective_date})
    audit_record(actor=actor, action="org.unit.merge_receive", obj=target, summary=summary, before=before_target,
                 after=model_snapshot(target))
    moved = [("employees.employee", pk, "unit_id", source.pk, target.pk) for pk in employee_ids]
    moved += [("org.position", pk, "unit_id", source.pk, target.pk) for pk in position_ids]
    moved += [("org.officelocation", pk, "unit_id", source.pk, target.pk) for pk in location_ids]
    moved += [("org.unit", pk, "parent_id", source.pk, target.pk) for pk, _ in children]
    audit_record_many(actor=actor, action="org.unit.merge_move", entries=[
        {"object_type": kind, "object_id": pk, "summary": summary, "before": {attr: old}, "after": {attr: new}}
        for kind, pk, attr, old, new in moved
    ])
    _record_new_unit_in_riwayat(actor, moved_employees, target, effective_date, summary)
    admins = _rescope_admins(actor, source, target, summary)
    return MergeResult(
        source=source, target=target, employees=len(employee_ids), positions=len(position_ids),
        locations=len(location_ids), child_units=len(children), admin_accounts=admins,
        positions_to_review=_positions_with_misplaced_atasan(target),
    )


def _record_new_unit_in_riwayat(actor: Any, moved: list[tuple[int, int | None, str | None]], target: Unit,
                                effective_date: dt.date, summary: str) -> None:
    """A merge changes the unit kerja of everyone who sat in the source, so each gets a riwayat jabatan row
    naming the new unit from the merge's effective date, audited as the employee form audits its own."""
    entries = PositionHistory.objects.bulk_create([
        PositionHistory(employee_id=pk, position_id=position_id, position_name=position_name or "—",
                        unit_name=target.name, tmt=effective_date)
        for pk, position_id, position_name in moved
    ], batch_size=500)
    audit_record_many(actor=actor, action="employees.history_added", entries=[
        {"object_type": "employees.positionhistory", "object_id": entry.pk,
         "summary": f"Riwayat otomatis: {summary}", "after": model_snapshot(entry)}
        for entry in entries
    ])


def _rescope_admins(actor: Any, source: Unit, target: Unit, summary: str) -> int:
    """Admin OPD accounts scoped to the source would otherwise administer an inactive, empty unit: they follow
    its people to the target."""
    admins = list(User.objects.filter(role=Role.ADMIN_OPD, scope_unit=source).values_list("pk", "username"))
    User.objects.filter(pk__in=[pk for pk, _ in admins]).update(scope_unit=target)
    audit_record_many(actor=actor, action="accounts.scope_changed", entries=[
        {"object_type": "accounts.user", "object_id": pk,
         "summary": f"Unit cakupan {username} pindah ke {target.name}: {summary}",
         "before": {"scope_unit_id": source.pk}, "after": {"scope_unit_id": target.pk}}
        for pk, username in admins
    ])
    return len(admins)


def _positions_with_misplaced_atasan(root: Unit) -> list[Position]:
    candidates = (Position.objects.filter(unit__path__startswith=root.path, parent__isnull=False, is_active=True)
                  .select_related("unit", "parent__unit"))
    return [p for p in candidates if not tree.is_within(p.unit.path, p.parent.unit.path)]


def unit_delete_blockers(unit: Unit) -> str:
    """Why the unit cannot be deleted ("" when it can): what still hangs on it, with counts."""
    counts = {
        "employees": _subtree_employee_count(unit),
        "positions": Position.objects.filter(unit__path__startswith=unit.path).count(),
        "units": Unit.objects.filter(parent=unit).count(),
        "locations": OfficeLocation.objects.filter(unit__path__startswith=unit.path).count(),
        "accounts": User.objects.filter(scope_unit__path__startswith=unit.path).count(),
    }
    if not any(counts.values()):
        return ""
    return (f"{unit.name} tidak dapat dihapus karena masih memiliki {_count_phrase(**counts)}. "
            "Pindahkan atau gabungkan isinya terlebih dahulu, atau nonaktifkan unit ini.")


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit) -> None:
    unit = _locked(unit)
    ensure(actor, "org.delete_unit", unit, message="Unit cakupan Anda sendiri tidak dapat dihapus.")
    blockers = unit_delete_blockers(unit)
    if blockers:
        raise DomainError(blockers, code="unit_not_empty")
    before = model_snapshot(unit)
    pk, name = unit.pk, unit.name
    try:
        unit.delete()
    except (ProtectedError, RestrictedError) as exc:
        # e.g. units merged into this one earlier, or records of other capabilities that name it.
        raise DomainError(f"{name} tidak dapat dihapus karena masih dirujuk oleh data lain "
                          "(misalnya unit yang pernah digabungkan ke dalamnya). Nonaktifkan unit ini saja.",
                          code="unit_referenced") from exc
    audit_record(actor=actor, action="org.unit.delete", object_type="org.unit", object_id=pk,
                 summary=f"Unit dihapus: {name}", before=before)
