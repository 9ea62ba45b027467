"""Creating and changing an employee's master record, and revealing the full NIK."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction

from simasn.accounts.scopes import can_administer_city, is_personnel_admin, managed_unit_path
from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError
from simasn.org.models import Position, Unit

from .. import files
from ..models import Employee, EmployeeKind, PositionHistory, RankHistory
from ..retirement import retirement_date
from ..validators import (
    TMT_GOLONGAN_REQUIRED,
    TMT_JABATAN_REQUIRED,
    consistency_errors,
    golongan_errors,
    mask_nik,
    nik_errors,
    nip_errors,
)
from .common import MISSING, Forbidden, InvalidFields, resolve, stored_files_removed_on_error

EDITABLE_FIELDS = (
    "nip", "kind", "front_title", "name", "back_title", "nik", "birth_place", "birth_date", "sex", "status",
    "golongan", "unit", "position", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan", "education_level",
    "address", "phone", "email",
)
_AUDITED = [*EDITABLE_FIELDS, "photo", "retirement_date", "user"]
_BLANKABLE_TEXT = ("front_title", "back_title", "nik", "birth_place", "golongan", "education_level", "address",
                   "phone", "email")


def _raw_snapshot(employee: Employee) -> dict[str, Any]:
    return model_snapshot(employee, fields=_AUDITED)


def _masked(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: (mask_nik(v or "") if k == "nik" else v) for k, v in snapshot.items()}


def _can_manage_unit(actor: Any, unit: Unit) -> bool:
    if can_administer_city(actor):
        return True
    path = managed_unit_path(actor)
    return bool(path and unit.path.startswith(path))


def _apply(employee: Employee, data: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        errors.setdefault("__all__", []).append(f"Kolom tidak dikenal: {', '.join(unknown)}.")
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("unit", "position"):
            resolved = resolve(Unit if name == "unit" else Position, value)
            if resolved is MISSING:
                label = "Unit kerja" if name == "unit" else "Jabatan"
                errors.setdefault(name, []).append(f"{label} tidak ditemukan.")
                continue
            setattr(employee, name, resolved)
        elif isinstance(value, str):
            setattr(employee, name, value.strip())
        elif value is None and name in _BLANKABLE_TEXT:
            setattr(employee, name, "")
        else:
            setattr(employee, name, value)


def _check_nip(employee: Employee, errors: dict[str, list[str]]) -> None:
    if employee.kind not in EmployeeKind.values:
        errors.setdefault("kind", []).append("Jenis ASN harus PNS, CPNS, atau PPPK.")
        return
    parsed, nip_errs = nip_errors(employee.nip, employee.kind)
    if nip_errs:
        errors.setdefault("nip", []).extend(nip_errs)
        return
    employee.nip = parsed.nip
    # A NIP already states birth date, sex and TMT CPNS: fill what the form left empty, check what it gave.
    employee.birth_date = employee.birth_date or parsed.birth_date
    employee.sex = employee.sex or parsed.sex or ""
    if parsed.kind == "PNS" and employee.tmt_cpns is None:
        employee.tmt_cpns = dt.date(parsed.tmt_cpns[0], parsed.tmt_cpns[1], 1)
    for message in consistency_errors(parsed, birth_date=employee.birth_date, sex=employee.sex):
        errors.setdefault("birth_date" if "Tanggal lahir" in message else "sex", []).append(message)
    duplicate = Employee.objects.filter(nip=parsed.nip).exclude(pk=employee.pk).exists()
    if duplicate:
        errors.setdefault("nip", []).append(f"NIP {parsed.nip} sudah terdaftar untuk pegawai lain.")


def _check_placement(actor: Any, employee: Employee, before: dict[str, Any], errors: dict[str, list[str]]) -> None:
    unit, position = employee.unit if employee.unit_id else None, employee.position
    if unit is None:
        return
    if not _can_manage_unit(actor, unit):
        errors.setdefault("unit", []).append("Unit kerja ini di luar cakupan Anda.")
    elif not unit.is_active and unit.pk != before.get("unit_id"):
        errors.setdefault("unit", []).append(f"Unit kerja '{unit.name}' sudah tidak aktif.")
    if position is None:
        return
    if not position.unit.path.startswith(unit.path):
        errors.setdefault("position", []).append(
            f"Jabatan '{position.name}' tidak berada di unit kerja '{unit.name}' atau sub-unitnya."
        )
    elif not position.is_active and position.pk != before.get("position_id"):
        errors.setdefault("position", []).append(f"Jabatan '{position.name}' sudah tidak aktif.")


def _check_fields(employee: Employee, before: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for message in nik_errors(employee.nik):
        errors.setdefault("nik", []).append(message)
    for message in golongan_errors(employee.golongan, employee.kind):
        errors.setdefault("golongan", []).append(message)
    if employee.golongan and employee.golongan != before.get("golongan") and not employee.tmt_golongan:
        errors.setdefault("tmt_golongan", []).append(TMT_GOLONGAN_REQUIRED)
    if employee.position_id and employee.position_id != before.get("position_id") and not employee.tmt_jabatan:
        errors.setdefault("tmt_jabatan", []).append(TMT_JABATAN_REQUIRED)
    if employee.tmt_cpns and employee.tmt_pns and employee.tmt_pns < employee.tmt_cpns:
        errors.setdefault("tmt_pns", []).append("TMT PNS tidak boleh sebelum TMT CPNS.")
    # Birth date and sex are read from a valid NIP; while the NIP itself is wrong, "required" on them is noise.
    derived = ["birth_date", "sex"] if "nip" in errors else []
    try:
        employee.full_clean(validate_unique=False, validate_constraints=False,
                            exclude=["user", "photo", "retirement_date", *derived, *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _validate(actor: Any, employee: Employee, before: dict[str, Any], photo: UploadedFile | None,
              errors: dict[str, list[str]]) -> files.CheckedFile | None:
    _check_nip(employee, errors)
    _check_placement(actor, employee, before, errors)
    _check_fields(employee, before, errors)
    checked = None
    if photo is not None:
        try:
            checked = files.check_photo(photo)
        except DomainError as exc:
            errors.setdefault("photo", []).append(exc.message)
    if errors:
        raise InvalidFields(errors)
    return checked


def _compute_retirement(employee: Employee) -> dt.date | None:
    if not employee.birth_date:
        return None
    position = employee.position
    return retirement_date(employee.birth_date, position.jabatan_type if position else None,
                           position.jf_level if position else None)


def _store_photo(employee: Employee, photo: UploadedFile, checked: files.CheckedFile, saved: list[str]) -> str | None:
    old = employee.photo.name or None
    employee.photo.save(f"{uuid.uuid4().hex}{checked.extension}", photo, save=False)
    saved.append(employee.photo.name)
    return old


def _append_histories(actor: Any, employee: Employee, before: dict[str, Any]) -> None:
    entries: list[models.Model] = []
    if employee.golongan and employee.golongan != before.get("golongan"):
        entries.append(RankHistory.objects.create(employee=employee, golongan=employee.golongan,
                                                  tmt=employee.tmt_golongan))
    if employee.position_id and employee.position_id != before.get("position_id"):
        entries.append(PositionHistory.objects.create(
            employee=employee, position=employee.position, position_name=employee.position.name,
            unit_name=employee.unit.name, tmt=employee.tmt_jabatan,
        ))
    for entry in entries:
        audit_record(actor=actor, action="employees.history_added", obj=entry,
                     summary=f"Riwayat otomatis untuk {employee.nip}", after=model_snapshot(entry))


def _write(actor: Any, employee: Employee, before: dict[str, Any], photo: UploadedFile | None,
           checked: files.CheckedFile | None, action: str) -> Employee:
    probe = _raw_snapshot(employee)
    if (probe["birth_date"], probe["position_id"]) != (before.get("birth_date"), before.get("position_id")) or (
        employee.retirement_date is None
    ):
        employee.retirement_date = _compute_retirement(employee)
    with stored_files_removed_on_error(employee.photo.storage) as saved:
        old_photo = _store_photo(employee, photo, checked, saved) if photo and checked else None
        after = _raw_snapshot(employee)
        changed = [k for k in after if before.get(k) != after[k]]
        if not changed:
            return employee
        try:
            with transaction.atomic():
                employee.save()
        except IntegrityError as exc:  # a concurrent insert of the same NIP slipped past the check
            raise InvalidFields({"nip": [f"NIP {employee.nip} sudah terdaftar untuk pegawai lain."]}) from exc
        _append_histories(actor, employee, before)
        audit_record(
            actor=actor, action=action, obj=employee, summary=f"{employee.full_name} ({employee.nip})",
            before=_masked({k: before.get(k) for k in changed}) if before else None,
            after=_masked({k: after[k] for k in changed}),
        )
    if old_photo:
        storage, name = employee.photo.storage, old_photo
        transaction.on_commit(lambda: storage.delete(name))
    return employee


@transaction.atomic
def employee_create(*, actor: Any, data: Mapping[str, Any], photo: UploadedFile | None = None) -> Employee:
    if not is_personnel_admin(actor):
        raise Forbidden("Hanya admin kepegawaian yang dapat menambah pegawai.")
    employee = Employee()
    errors: dict[str, list[str]] = {}
    _apply(employee, data, errors)
    checked = _validate(actor, employee, {}, photo, errors)
    return _write(actor, employee, {}, photo, checked, "employees.created")


@transaction.atomic
def employee_update(*, actor: Any, employee: Employee, data: Mapping[str, Any],
                    photo: UploadedFile | None = None) -> Employee:
    """Change the given fields (absent keys are left as they are)."""
    current = Employee.objects.select_for_update(of=("self",)).select_related("unit", "position").get(pk=employee.pk)
    if not actor.has_perm("employees.edit_employee", current):
        raise Forbidden("Anda tidak berwenang mengubah data pegawai ini.")
    before = _raw_snapshot(current)
    errors: dict[str, list[str]] = {}
    _apply(current, data, errors)
    checked = _validate(actor, current, before, photo, errors)
    return _write(actor, current, before, photo, checked, "employees.updated")


@transaction.atomic
def nik_reveal(*, viewer: Any, employee: Employee) -> str:
    """The full NIK, for viewers allowed to see it; every reveal is an audit event."""
    if not viewer.has_perm("employees.view_nik", employee):
        raise Forbidden("Anda tidak berwenang melihat NIK lengkap pegawai ini.")
    audit_record(actor=viewer, action="employees.nik_viewed", obj=employee,
                 summary=f"NIK lengkap {employee.nip} ditampilkan")
    return employee.nik
