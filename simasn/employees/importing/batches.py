"""Import batches: upload → preview (row errors) → commit all-or-nothing, inline or as a background task."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from simasn.accounts.scopes import can_administer_city, is_personnel_admin, managed_unit_path
from simasn.core.audit import audit_record
from simasn.core.errors import DomainError, NotFound

from ..models import Employee, ImportBatch
from .columns import COLUMNS
from .reader import ParsedFile, ParsedRow, iter_parsed_rows, parse_content, read_limited
from .validation import PreparedRow, prepare_rows
from .writing import write_rows

logger = logging.getLogger(__name__)
Status = ImportBatch.Status
STARTABLE = (Status.PREVIEW, Status.FAILED)  # what the "Simpan" button may start
COMMITTABLE = (*STARTABLE, Status.QUEUED)  # what batch_commit (inline or the task) may run


class ImportForbidden(DomainError):
    status_code = 403

    def __init__(self) -> None:
        super().__init__("Hanya admin kepegawaian yang dapat mengimpor data pegawai.", code="forbidden")


def inline_row_limit() -> int:
    """Files with more rows than this are committed by the background worker."""
    return int(getattr(settings, "SIMASN_IMPORT_INLINE_ROWS", 500))


# --- access -------------------------------------------------------------------------------------------

def batch_queryset_for(viewer: Any) -> QuerySet[ImportBatch]:
    """Batches the viewer may see: all for BKPSDM; own and their subtree's for an admin OPD; none else."""
    qs = ImportBatch.objects.select_related("uploaded_by", "scope_unit")
    if can_administer_city(viewer):
        return qs
    path = managed_unit_path(viewer)
    if path is None:
        return qs.none()
    return qs.filter(Q(uploaded_by=viewer) | Q(scope_unit__path__startswith=path))


def batch_list_for(*, viewer: Any, limit: int = 20) -> list[ImportBatch]:
    return list(batch_queryset_for(viewer).order_by("-created_at", "-id")[:limit])


def batch_get_for(*, viewer: Any, pk: int) -> ImportBatch:
    batch = batch_queryset_for(viewer).filter(pk=pk).first()
    if batch is None:
        raise NotFound()
    return batch


def _require_importer(actor: Any) -> None:
    if not is_personnel_admin(actor):
        raise ImportForbidden()


# --- preview ------------------------------------------------------------------------------------------

def _validated(content: bytes, filename: str, actor: Any) -> tuple[ParsedFile, list[PreparedRow]]:
    parsed = parse_content(content, filename)
    prepared = prepare_rows(parsed.rows, actor=actor)
    return parsed, prepared


def _revalidated(batch: ImportBatch, actor: Any) -> tuple[ParsedFile, list[PreparedRow]]:
    """The batch's rows checked again against the database as it is now, reporting progress per chunk."""
    def progress(n: int) -> None:
        _set_progress(batch.pk, n)

    content = _read_stored(batch)  # cheap, and proves the upload is still the file that was previewed
    parsed = _load_rows_cache(batch)
    if parsed is not None:
        return parsed, prepare_rows(parsed.rows, actor=actor, on_progress=progress)
    parsed = parse_content(content, batch.file.name, on_progress=progress)
    return parsed, prepare_rows(parsed.rows, actor=actor)


def _error_dicts(rows: list[ParsedRow]) -> list[dict[str, Any]]:
    return [e.as_dict() for r in rows for e in r.errors]


def batch_create(*, actor: Any, uploaded_file: IO[bytes]) -> ImportBatch:
    """Store the upload, parse and validate it against the database; the batch waits in PREVIEW.

    A file that cannot be read at all raises ImportFileError and stores nothing."""
    _require_importer(actor)
    filename = os.path.basename(getattr(uploaded_file, "name", "") or "")
    content = read_limited(uploaded_file)
    parsed, _ = _validated(content, filename, actor)
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch(
        uploaded_by=actor,
        scope_unit=None if can_administer_city(actor) else actor.scope_unit,
        original_name=filename[:255],
        file_sha256=digest,
        status=Status.PREVIEW,
        total_rows=parsed.total_rows,
        valid_rows=parsed.valid_rows,
        row_errors=_error_dicts(parsed.rows),
    )
    batch.file.save(f"{digest[:16]}.{parsed.format}", ContentFile(content), save=False)
    batch.save()
    _save_rows_cache(batch, parsed)
    return batch


# The cleaned rows of an error-free preview are kept beside the upload, so the commit (often in another
# process) re-checks them against the database without parsing the spreadsheet a second time.
_ROWS_CACHE_VERSION = 1
_DATE_FIELDS = frozenset(c.field for c in COLUMNS if c.kind == "date")


def _rows_cache_name(batch: ImportBatch) -> str:
    return f"{batch.file.name}.rows.json"


def _save_rows_cache(batch: ImportBatch, parsed: ParsedFile) -> None:
    if parsed.valid_rows != parsed.total_rows:
        return  # a preview with errors can never be committed
    payload = {"v": _ROWS_CACHE_VERSION, "sha256": batch.file_sha256, "format": parsed.format,
               "rows": [[r.number, r.values, r.nip_tmt_cpns] for r in parsed.rows]}
    batch.file.storage.save(_rows_cache_name(batch), ContentFile(json.dumps(payload, cls=DjangoJSONEncoder)))


def _load_rows_cache(batch: ImportBatch) -> ParsedFile | None:
    try:
        with batch.file.storage.open(_rows_cache_name(batch)) as fh:
            payload = json.loads(fh.read())
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("v") != _ROWS_CACHE_VERSION \
            or payload.get("sha256") != batch.file_sha256:
        return None
    rows = []
    for number, values, tmt_cpns in payload["rows"]:
        for name in _DATE_FIELDS.intersection(values):
            values[name] = dt.date.fromisoformat(values[name])
        rows.append(ParsedRow(number=number, values=values,
                              nip_tmt_cpns=dt.date.fromisoformat(tmt_cpns) if tmt_cpns else None))
    return ParsedFile(format=payload["format"], columns=[], ignored_columns=[], rows=rows)


def _drop_rows_cache(batch: ImportBatch) -> None:
    try:
        batch.file.storage.delete(_rows_cache_name(batch))
    except OSError:
        logger.warning("could not delete the row cache of import batch %s", batch.pk)


def batch_preview_rows(batch: ImportBatch, *, limit: int = 20) -> list[dict[str, Any]]:
    """The first `limit` error-free rows, read lazily from the stored file (no full re-parse)."""
    bad = {e["row"] for e in batch.row_errors}
    out: list[dict[str, Any]] = []
    try:
        with batch.file.open("rb") as fh:
            content = fh.read()
    except OSError:
        logger.warning("stored file of import batch %s is missing", batch.pk)
        return out
    _, _, rows = iter_parsed_rows(content, batch.file.name.rsplit(".", 1)[-1])
    for row in rows:
        if row.number in bad or row.errors:
            continue
        out.append({"row": row.number, **row.values})
        if len(out) >= limit:
            break
    known = set(Employee.objects.filter(nip__in=[r.get("nip") for r in out]).values_list("nip", flat=True))
    for item in out:
        item["is_new"] = item.get("nip") not in known
    return out


# --- commit -------------------------------------------------------------------------------------------

def _refuse_if_errors(batch: ImportBatch) -> None:
    if batch.row_errors:
        raise DomainError("Perbaiki semua kesalahan pada pratinjau sebelum menyimpan; tidak ada yang disimpan.",
                          code="import_has_errors")


def _lock(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


def _set_progress(batch_id: int, processed: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(processed_rows=processed)


def _read_stored(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != batch.file_sha256:
        raise DomainError("Berkas impor yang tersimpan telah berubah sejak diunggah; unggah ulang berkasnya.",
                          code="import_file_changed")
    return content


def batch_commit(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Write every row of the batch, or none. Runs synchronously (the background task calls this too).

    Idempotent: a batch that is already done (or being done by someone else) is returned untouched. The file
    is re-validated first because units, positions or employees may have changed since the preview."""
    _require_importer(actor)
    batch_get_for(viewer=actor, pk=batch.pk)
    with transaction.atomic():
        locked = _lock(batch)
        if locked.status not in COMMITTABLE:
            return locked
        _refuse_if_errors(locked)
        locked.status, locked.processed_rows, locked.failure = Status.RUNNING, 0, ""
        locked.save(update_fields=["status", "processed_rows", "failure"])

    try:
        parsed, prepared = _revalidated(locked, actor)
        if parsed.valid_rows != parsed.total_rows:
            ImportBatch.objects.filter(pk=locked.pk).update(
                status=Status.PREVIEW, row_errors=_error_dicts(parsed.rows), valid_rows=parsed.valid_rows,
                total_rows=parsed.total_rows, processed_rows=0,
            )
            raise DomainError("Data di sistem berubah sejak pratinjau sehingga ada baris yang kini salah; periksa "
                              "pratinjau kembali. Tidak ada yang disimpan.", code="import_stale")
        _set_progress(locked.pk, parsed.total_rows)
        with transaction.atomic():
            current = _lock(locked)
            if current.status != Status.RUNNING:
                return current
            created, updated = write_rows(actor=actor, batch=current, prepared=prepared)
            current.status = Status.DONE
            current.created_count, current.updated_count = created, updated
            current.processed_rows = current.total_rows = parsed.total_rows
            current.finished_at = timezone.now()
            current.save(update_fields=["status", "created_count", "updated_count", "processed_rows",
                                        "total_rows", "finished_at"])
            audit_record(
                actor=actor, action="employee.import_commit", obj=current,
                summary=f"Impor pegawai #{current.pk} ({current.original_name}): {created} baru, {updated} diubah",
                after={"file": current.original_name, "sha256": current.file_sha256, "rows": current.total_rows,
                       "created": created, "updated": updated, "unchanged": current.total_rows - created - updated},
            )
        _drop_rows_cache(current)
        return current
    except DomainError as exc:
        if exc.code != "import_stale":
            _fail(locked, exc.message)
        raise
    except Exception as exc:
        logger.exception("import batch %s failed", locked.pk)
        _fail(locked, f"{type(exc).__name__}: {exc}")
        raise DomainError("Impor gagal dan dibatalkan; tidak ada data pegawai yang berubah. Coba lagi atau "
                          "hubungi admin sistem.", code="import_failed") from exc


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, failure=message[:2000],
                                                   finished_at=timezone.now())


def batch_start_commit(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """What the "Simpan" button does: small files commit now, large ones go to the background worker."""
    from ..tasks import run_import_batch

    _require_importer(actor)
    batch = batch_get_for(viewer=actor, pk=batch.pk)
    if batch.total_rows <= inline_row_limit():
        return batch_commit(actor=actor, batch=batch)
    with transaction.atomic():
        locked = _lock(batch)
        if locked.status not in STARTABLE:
            return locked  # already queued, running or done: a second click does not enqueue twice
        _refuse_if_errors(locked)
        locked.status, locked.processed_rows, locked.failure = Status.QUEUED, 0, ""
        locked.save(update_fields=["status", "processed_rows", "failure"])
        # Enqueued in the same transaction: the worker cannot see the task before the batch says QUEUED.
        run_import_batch.enqueue(locked.pk, actor.pk)
    locked.refresh_from_db()
    return locked
