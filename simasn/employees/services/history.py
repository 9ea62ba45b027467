"""Riwayat pangkat, jabatan and pendidikan with their SK scans."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError, NotFound
from simasn.org.models import Position

from .. import files
from ..models import Employee
from ..rules_data import EDUCATION_LEVELS
from ..selectors import HISTORY_MODELS, HistoryEntry, history_get_for
from ..validators import golongan_errors
from .common import MISSING, Forbidden, InvalidFields, resolve, stored_files_removed_on_error


def _required(data: Mapping[str, Any], key: str, kind: type, label: str, errors: dict[str, list[str]]) -> Any:
    value = data.get(key)
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        errors.setdefault(key, []).append(f"{label} wajib diisi.")
        return None
    if not isinstance(value, kind) or isinstance(value, bool) or (kind is dt.date and isinstance(value, dt.datetime)):
        errors.setdefault(key, []).append(f"{label} tidak valid.")
        return None
    return value


def _optional_date(data: Mapping[str, Any], key: str, label: str, errors: dict[str, list[str]]) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors.setdefault(key, []).append(f"{label} tidak valid.")
        return None
    if value > timezone.localdate():
        errors.setdefault(key, []).append(f"{label} tidak boleh di masa depan.")
    return value


def _text(data: Mapping[str, Any], key: str, max_length: int, label: str, errors: dict[str, list[str]]) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        errors.setdefault(key, []).append(f"{label} tidak valid.")
        return ""
    if len(value.strip()) > max_length:
        errors.setdefault(key, []).append(f"{label} paling banyak {max_length} karakter.")
    return value.strip()


def _rank_fields(employee: Employee, data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    golongan = _required(data, "golongan", str, "Golongan", errors)
    if golongan:
        for message in golongan_errors(golongan, employee.kind):
            errors.setdefault("golongan", []).append(message)
    return {"golongan": golongan, "tmt": _required(data, "tmt", dt.date, "TMT", errors)}


def _position_fields(employee: Employee, data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    position = resolve(Position, data.get("position"))
    if position is MISSING:
        errors.setdefault("position", []).append("Jabatan tidak ditemukan.")
        position = None
    name = _text(data, "position_name", 200, "Nama jabatan", errors) or (position.name if position else "")
    if not name:
        errors.setdefault("position_name", []).append("Nama jabatan wajib diisi (atau pilih jabatan).")
    unit_name = _text(data, "unit_name", 200, "Unit kerja", errors) or (
        position.unit.name if position else employee.unit.name
    )
    return {"position": position, "position_name": name, "unit_name": unit_name,
            "tmt": _required(data, "tmt", dt.date, "TMT", errors)}


def _education_fields(employee: Employee, data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    level = _required(data, "level", str, "Jenjang pendidikan", errors)
    if level and level not in dict(EDUCATION_LEVELS):
        errors.setdefault("level", []).append(f"Jenjang pendidikan '{level}' tidak dikenal.")
    year = _required(data, "graduation_year", int, "Tahun lulus", errors)
    if year is not None and not (employee.birth_date.year + 5 <= year <= timezone.localdate().year):
        errors.setdefault("graduation_year", []).append(
            f"Tahun lulus harus antara {employee.birth_date.year + 5} dan {timezone.localdate().year}."
        )
    return {"level": level, "graduation_year": year,
            "institution": _required(data, "institution", str, "Lembaga pendidikan", errors),
            "major": _text(data, "major", 200, "Jurusan", errors)}


_HISTORY_FIELDS = {"pangkat": _rank_fields, "jabatan": _position_fields, "pendidikan": _education_fields}
# An entry the edit form appended automatically (no SK yet) is completed rather than duplicated.
_SAME_ENTRY_KEYS = {"pangkat": ("golongan", "tmt"), "jabatan": ("position_name", "tmt")}


@transaction.atomic
def history_add(*, actor: Any, employee: Employee, kind: str, data: Mapping[str, Any],
                sk_file: UploadedFile | None = None) -> HistoryEntry:
    """Record a rank, position or education entry with its SK (a real PDF within the size limit)."""
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise DomainError("Jenis riwayat tidak dikenal.", code="unknown_history_kind")
    if not actor.has_perm("employees.add_history", employee):
        raise Forbidden("Anda tidak berwenang menambah riwayat pegawai ini.")
    errors: dict[str, list[str]] = {}
    fields = _HISTORY_FIELDS[kind](employee, data, errors)
    fields["sk_number"] = _text(data, "sk_number", 100, "Nomor SK", errors)
    fields["sk_date"] = _optional_date(data, "sk_date", "Tanggal SK", errors)
    checked = None
    if sk_file is not None:
        try:
            checked = files.check_pdf(sk_file)
        except DomainError as exc:
            errors.setdefault("sk_file", []).append(exc.message)
    if errors:
        raise InvalidFields(errors, what="riwayat", code="invalid_history")

    keys = _SAME_ENTRY_KEYS.get(kind)
    entry = (
        model.objects.filter(employee=employee, sk_file="", **{k: fields[k] for k in keys}).first()
        if keys else None
    )
    before = model_snapshot(entry) if entry else None
    entry = entry or model(employee=employee)
    for name, value in fields.items():
        if value not in (None, "") or before is None:
            setattr(entry, name, value)
    with stored_files_removed_on_error(model._meta.get_field("sk_file").storage) as saved:
        if checked is not None:
            entry.sk_file.save(f"{uuid.uuid4().hex}{checked.extension}", sk_file, save=False)
            saved.append(entry.sk_file.name)
        entry.save()
        audit_record(
            actor=actor, action="employees.history_added" if before is None else "employees.history_updated",
            obj=entry, summary=f"Riwayat {kind} {employee.nip}", before=before, after=model_snapshot(entry),
        )
    return entry


@transaction.atomic
def history_sk_open(*, viewer: Any, employee_pk: int, kind: str, pk: int) -> HistoryEntry:
    """An SK scan the viewer may read, opened for streaming; each read of a personnel document is audited."""
    entry = history_get_for(viewer=viewer, employee_pk=employee_pk, kind=kind, pk=pk)
    if not entry.sk_file or not viewer.has_perm("employees.view_documents", entry.employee):
        raise NotFound("Berkas SK tidak tersedia.")
    audit_record(actor=viewer, action="employees.sk_viewed", obj=entry,
                 summary=f"Berkas SK riwayat {kind} {entry.employee.nip} dibuka")
    return entry
