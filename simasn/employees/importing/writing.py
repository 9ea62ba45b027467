"""Writing a validated batch: bulk insert of new employees, grouped updates of changed ones, the riwayat
pangkat/jabatan rows a new or changed golongan or jabatan adds, and audit events.

Runs inside the caller's transaction; any exception leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone

from simasn.core.audit import audit_record_many, model_snapshot

from ..models import Employee, ImportBatch, PositionHistory, RankHistory
from ..validators import mask_nik
from .validation import WRITABLE_FIELDS, PreparedRow

WRITE_BATCH = 500


def without_full_nik(data: dict[str, Any]) -> dict[str, Any]:
    """Audit data never holds a full NIK."""
    return {**data, "nik": mask_nik(data["nik"])} if data.get("nik") else data


def _insert(new: list[Employee]) -> None:
    Employee.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if any(e.pk is None for e in new):  # databases that do not return ids from a bulk insert
        ids = dict(Employee.objects.filter(nip__in=[e.nip for e in new]).values_list("nip", "id"))
        for e in new:
            e.pk = ids[e.nip]


def update_rows(changed: list[PreparedRow]) -> None:
    """One parameterised UPDATE per set of changed fields, run with executemany.

    Django's bulk_update builds a CASE WHEN expression per object and field, which took most of the time of
    a 10,000-row re-import; here the values still go through each field's get_db_prep_save."""
    now = timezone.now()
    meta = Employee._meta
    updated_at = meta.get_field("updated_at")
    quote = connection.ops.quote_name
    groups: dict[tuple[str, ...], list[PreparedRow]] = defaultdict(list)
    for p in changed:
        groups[tuple(f for f in WRITABLE_FIELDS if f in p.fields)].append(p)
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            fields = [meta.get_field(n.removesuffix("_id")) for n in names]
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in [*fields, updated_at])
            sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
            stamp = updated_at.get_db_prep_save(now, connection)
            params = [
                [f.get_db_prep_save(p.fields[n], connection) for f, n in zip(fields, names, strict=True)]
                + [stamp, p.existing.pk]
                for p in rows
            ]
            for start in range(0, len(params), WRITE_BATCH):
                cursor.executemany(sql, params[start:start + WRITE_BATCH])
    for p in changed:  # keep the in-memory objects true to the database
        for name, value in p.fields.items():
            setattr(p.existing, name, value)
        p.existing.updated_at = now


def _add_histories(*, actor: Any, label: str, written: list[tuple[int, PreparedRow]]) -> None:
    """Bulk-insert the riwayat rows of (employee id, row) pairs, each audited as the employee form audits its
    automatic riwayat rows."""
    ranks = [RankHistory(employee_id=pk, golongan=p.rank.golongan, tmt=p.rank.tmt) for pk, p in written if p.rank]
    positions = [
        PositionHistory(employee_id=pk, position_id=p.position.position_id, position_name=p.position.position_name,
                        unit_name=p.position.unit_name, tmt=p.position.tmt)
        for pk, p in written if p.position
    ]
    RankHistory.objects.bulk_create(ranks, batch_size=WRITE_BATCH)
    PositionHistory.objects.bulk_create(positions, batch_size=WRITE_BATCH)
    nips = {pk: p.nip for pk, p in written}
    audit_record_many(actor=actor, action="employees.history_added", entries=[
        {"object_type": entry._meta.label_lower, "object_id": entry.pk,
         "summary": f"Riwayat otomatis untuk {nips[entry.employee_id]} lewat {label}", "after": model_snapshot(entry)}
        for entry in [*ranks, *positions]
    ])


def write_rows(*, actor: Any, batch: ImportBatch, prepared: list[PreparedRow]) -> tuple[int, int]:
    """Create and update the employees of a batch, add their riwayat rows and audit each; returns
    (created, updated)."""
    new_rows = [p for p in prepared if p.is_new]
    new = [Employee(**p.fields) for p in new_rows]
    changed = [p for p in prepared if not p.is_new and p.fields]
    _insert(new)
    update_rows(changed)
    label = f"impor #{batch.pk} ({batch.original_name})"
    audit_record_many(actor=actor, action="employee.import_create", entries=[
        {"object_type": "employees.employee", "object_id": e.pk, "summary": f"Tambah pegawai {e.nip} lewat {label}",
         "after": without_full_nik({f: getattr(e, f) for f in WRITABLE_FIELDS})}
        for e in new
    ])
    audit_record_many(actor=actor, action="employee.import_update", entries=[
        {"object_type": "employees.employee", "object_id": p.existing.pk,
         "summary": f"Ubah pegawai {p.nip} lewat {label}",
         "before": without_full_nik(p.before), "after": without_full_nik(p.fields)}
        for p in changed
    ])
    written = [(e.pk, p) for e, p in zip(new, new_rows, strict=True)] + [(p.existing.pk, p) for p in changed]
    _add_histories(actor=actor, label=label, written=written)
    return len(new), len(changed)
