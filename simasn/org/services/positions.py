"""Writes on jabatan (positions): the atasan line must stay a tree and follow the unit tree upwards."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError
from simasn.employees.models import Employee

from .. import tree
from ..models import JabatanType, JFLevel, Position, Unit
from ..rules import ensure
from ..selectors import IN_SERVICE, position_ancestor_ids
from ._common import FieldErrors, apply_validated_update, as_int, check_choice, clean_text, fresh

UPDATABLE_FIELDS = frozenset({"name", "unit", "parent", "jabatan_type", "jf_level", "kelas_jabatan", "is_active"})


def _validate(errors: FieldErrors, data: dict[str, Any], *, instance: Position | None = None) -> dict[str, Any]:
    """Check a complete set of position values (the instance's current ones merged with the changes)."""
    out: dict[str, Any] = {
        "name": clean_text(errors, "name", data["name"], label="Nama jabatan", max_length=200),
        "jabatan_type": check_choice(errors, "jabatan_type", data["jabatan_type"], JabatanType,
                                     label="Jenis jabatan"),
    }
    kelas = as_int(data["kelas_jabatan"])
    if kelas is None or not 1 <= kelas <= 17:
        errors.add("kelas_jabatan", "Kelas jabatan harus bilangan bulat 1 sampai 17.")
    out["kelas_jabatan"] = kelas

    jf_level = data.get("jf_level") or ""
    if out["jabatan_type"] == JabatanType.FUNGSIONAL:
        if not jf_level:
            errors.add("jf_level", "Jenjang fungsional wajib diisi untuk jabatan fungsional.")
        else:
            check_choice(errors, "jf_level", jf_level, JFLevel, label="Jenjang fungsional")
    elif jf_level:
        errors.add("jf_level", "Jenjang fungsional hanya diisi untuk jabatan fungsional.")
    out["jf_level"] = jf_level

    unit: Unit = data["unit"]
    if not unit.is_active and (instance is None or instance.unit_id != unit.pk):
        errors.add("unit", f"Unit {unit.name} sudah tidak aktif.")
    out["unit"] = unit

    parent: Position | None = data.get("parent")
    if parent is not None:
        _check_parent(errors, parent, unit, instance)
    out["parent"] = parent
    if instance is not None and instance.pk and instance.unit_id != unit.pk:
        outside = instance.children.filter(is_active=True).exclude(unit__path__startswith=unit.path).count()
        if outside:
            errors.add("unit", f"Jabatan ini membawahi {outside} jabatan di luar unit {unit.name}; "
                               "pindahkan jabatan bawahannya terlebih dahulu.")
    return out


def _check_parent(errors: FieldErrors, parent: Position, unit: Unit, instance: Position | None) -> None:
    if instance is not None and instance.pk and (
        parent.pk == instance.pk or instance.pk in position_ancestor_ids(parent.pk)
    ):
        errors.add("parent", f"{parent.name} adalah jabatan ini sendiri atau bawahannya: garis atasan akan melingkar.")
        return
    if not parent.is_active and (instance is None or instance.parent_id != parent.pk):
        errors.add("parent", f"Jabatan atasan {parent.name} sudah tidak aktif.")
    if not tree.is_within(unit.path, parent.unit.path):
        errors.add("parent", f"Jabatan atasan {parent.name} ada di {parent.unit.name}; jabatan atasan harus berada "
                             "di unit yang sama atau di unit induknya.")


def _holder_count(position: Position) -> int:
    return Employee.objects.filter(IN_SERVICE, position=position).count()


@transaction.atomic
def position_create(
    *, actor: Any, name: str, unit: Unit, jabatan_type: str, kelas_jabatan: int, parent: Position | None = None,
    jf_level: str = "",
) -> Position:
    unit = fresh(Unit.objects, unit.pk)
    ensure(actor, "org.manage_positions", unit)
    if parent is not None:
        parent = fresh(Position.objects.select_related("unit"), parent.pk)
    errors = FieldErrors()
    values = _validate(errors, {"name": name, "unit": unit, "jabatan_type": jabatan_type,
                                "kelas_jabatan": kelas_jabatan, "parent": parent, "jf_level": jf_level})
    errors.raise_if_any()
    position = Position.objects.create(**values)
    audit_record(actor=actor, action="org.position.create", obj=position, summary=f"Jabatan dibuat: {position.name}",
                 after=model_snapshot(position))
    return position


@transaction.atomic
def position_update(*, actor: Any, position: Position, **fields: Any) -> Position:
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"position_update() got unexpected fields: {sorted(unknown)}")
    position = fresh(Position.objects.select_for_update().select_related("unit"), position.pk)
    ensure(actor, "org.manage_positions", position.unit)
    if "unit" in fields and fields["unit"].pk != position.unit_id:
        fields["unit"] = fresh(Unit.objects, fields["unit"].pk)
        ensure(actor, "org.manage_positions", fields["unit"])
    if fields.get("parent") is not None:
        fields["parent"] = fresh(Position.objects.select_related("unit"), fields["parent"].pk)
    if fields.get("is_active") is False and position.is_active:
        _refuse_deactivation(position)
    return apply_validated_update(
        position, fields, updatable=UPDATABLE_FIELDS, validate=_validate, actor=actor,
        action="org.position.update", summary="Jabatan diubah: {name}",
    )


def _refuse_deactivation(position: Position) -> None:
    holders = _holder_count(position)
    if holders:
        raise DomainError(f"{position.name} masih dijabat oleh {holders} pegawai; pindahkan mereka ke jabatan lain "
                          "sebelum menonaktifkan jabatan ini.", code="position_has_holders", field="is_active")
    subordinates = position.children.filter(is_active=True).count()
    if subordinates:
        raise DomainError(f"{position.name} masih membawahi {subordinates} jabatan aktif; ganti jabatan atasan "
                          "mereka terlebih dahulu.", code="position_has_subordinates", field="is_active")


@transaction.atomic
def position_deactivate(*, actor: Any, position: Position) -> Position:
    return position_update(actor=actor, position=position, is_active=False)
