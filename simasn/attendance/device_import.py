"""Import of fingerprint-machine logs (CSV: NIP, timestamp, device id), idempotent.

Each row becomes a check-in event with source "device" whose `client_id` is a UUID5 of
"NIP|timestamp in UTC|device id": importing the same file twice, or two exports that overlap, stores each
scan once. The machine does not say whether a scan is an arrival or a departure: a scan before the middle
of the employee's working period (or before noon on a day without one) is "in", a later one "out".
The machine's clock is the only time there is, so it is both the client and the server time of the event.

Rows are checked one by one with Indonesian messages naming the row; good rows are stored even when
others fail, and the summary says how many were new, how many were already there, and which failed.
Employees outside the uploader's scope are reported like unknown NIPs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.audit import audit_record
from simasn.core.errors import DomainError, Forbidden
from simasn.employees.models import Employee
from simasn.workcalendar.schedules import expected_days, office_timezone

from . import checks
from .models import CheckInEvent, DeviceLogImport, EventSource, EventStatus, ReviewStatus

NAMESPACE = uuid.UUID("5b0d3f52-5d7e-4c1e-9a57-4f1d0b5d2c11")  # fixed forever: it makes the client_ids
LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                 "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")
MAX_ERRORS_KEPT = 200
# Device rows are checked for what a machine log can tell: the window and leave. The place is the machine's.
DEVICE_CHECKS = frozenset({"OUTSIDE_WINDOW", "ON_LEAVE"})
BATCH = 1000


def can_import(user: Any) -> bool:
    return can_administer_city(user) or managed_unit_path(user) is not None


def client_id_for(nip: str, moment: dt.datetime, device_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{nip}|{moment.astimezone(dt.UTC).isoformat()}|{device_id}")


def parse_timestamp(text: str) -> dt.datetime | None:
    """ISO 8601 with an offset, or a local (WITA) date and time in a few common layouts."""
    text = text.strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
        for layout in LOCAL_FORMATS:
            try:
                value = dt.datetime.strptime(text, layout)
                break
            except ValueError:
                continue
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=office_timezone())
    return value


@dataclass
class ImportSummary:
    log: DeviceLogImport
    errors: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    line: int
    nip: str
    moment: dt.datetime
    device_id: str


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("Berkas tidak dapat dibaca sebagai teks CSV.", code="not_text", field="file")


def _rows(text: str) -> tuple[list[list[str]], int]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [(i, r) for i, r in enumerate(reader, start=1) if any(cell.strip() for cell in r)]
    first_line = 1
    if rows and rows[0][1] and not rows[0][1][0].strip().isdigit():
        first_line = rows[0][0] + 1  # a header row ("NIP;Waktu;Mesin")
        rows = rows[1:]
    return [[str(i), *r] for i, r in rows], first_line


def _error(errors: list[dict], line: int, message: str) -> None:
    errors.append({"row": line, "message": message})


def _kind(moment: dt.datetime, expected: Any) -> str:
    if expected is not None:
        middle = expected.start + (expected.end - expected.start) / 2
        return "in" if moment < middle else "out"
    return "in" if timezone.localtime(moment).hour < 12 else "out"


def import_device_log(*, actor: Any, data: bytes, filename: str, now: dt.datetime | None = None) -> ImportSummary:
    """Validate and store a machine log; returns the stored DeviceLogImport with its counts and errors."""
    if not can_import(actor):
        raise Forbidden("Hanya admin OPD atau admin BKPSDM yang dapat mengimpor log mesin presensi.")
    now = now or timezone.now()
    if not data:
        raise DomainError("Berkas kosong (0 byte).", code="empty_file", field="file")
    if len(data) > settings.SIMASN_MAX_IMPORT_BYTES:
        raise DomainError("Berkas terlalu besar.", code="file_too_large", field="file")
    raw_rows, _first = _rows(_decode(data))
    if len(raw_rows) > settings.SIMASN_MAX_IMPORT_ROWS:
        raise DomainError(f"Berkas berisi lebih dari {settings.SIMASN_MAX_IMPORT_ROWS} baris.", code="too_many_rows",
                          field="file")
    if not raw_rows:
        raise DomainError("Berkas tidak berisi baris data.", code="no_rows", field="file")

    errors: list[dict] = []
    parsed: list[Row] = []
    for line_text, *cells in raw_rows:
        line = int(line_text)
        cells = [c.strip() for c in cells]
        if len(cells) < 3:
            _error(errors, line, "Baris harus berisi 3 kolom: NIP, waktu, ID mesin.")
            continue
        nip, stamp, device_id = cells[0], cells[1], cells[2]
        if not nip.isdigit() or len(nip) not in (18,):
            _error(errors, line, f"NIP '{nip[:30]}' tidak valid (harus 18 angka).")
            continue
        moment = parse_timestamp(stamp)
        if moment is None:
            _error(errors, line, f"Waktu '{stamp[:40]}' tidak dikenali; gunakan mis. 2026-03-09 07:12:00 (WITA) "
                                 "atau 2026-03-09T07:12:00+08:00.")
            continue
        if moment > now + dt.timedelta(minutes=5):
            _error(errors, line, "Waktu berada di masa depan.")
            continue
        if moment < now - dt.timedelta(days=400):
            _error(errors, line, "Waktu lebih dari 400 hari yang lalu.")
            continue
        if not device_id or len(device_id) > 128 or not device_id.isprintable():
            _error(errors, line, "ID mesin kosong atau tidak valid.")
            continue
        parsed.append(Row(line, nip, moment, device_id))

    employees = _employees_in_scope(actor, {row.nip for row in parsed})
    rows = []
    for row in parsed:
        if row.nip not in employees:
            _error(errors, row.line, f"NIP {row.nip} tidak ditemukan atau di luar unit kewenangan Anda.")
        else:
            rows.append(row)

    created, duplicates = _store(rows, employees, now)
    with transaction.atomic():
        log = DeviceLogImport.objects.create(
            uploaded_by=actor, original_name=(filename or "log.csv")[:255], sha256=hashlib.sha256(data).hexdigest(),
            total_rows=len(raw_rows), created_rows=created, duplicate_rows=duplicates,
            errors=sorted(errors, key=lambda e: e["row"])[:MAX_ERRORS_KEPT],
        )
        audit_record(actor=actor, action="attendance.device_log_imported", obj=log,
                     summary=f"Impor log mesin presensi {log.original_name}: {created} baru, {duplicates} sudah ada, "
                             f"{len(errors)} galat",
                     after={"total": len(raw_rows), "created": created, "duplicates": duplicates,
                            "errors": len(errors), "sha256": log.sha256})
    _recompute(rows, employees)
    return ImportSummary(log, sorted(errors, key=lambda e: e["row"]))


def _employees_in_scope(actor: Any, nips: set[str]) -> dict[str, Employee]:
    if not nips:
        return {}
    qs = Employee.objects.filter(nip__in=nips).select_related("unit")
    if not can_administer_city(actor):
        qs = qs.filter(unit__path__startswith=managed_unit_path(actor))
    return {e.nip: e for e in qs}


def _store(rows: list[Row], employees: dict[str, Employee], now: dt.datetime) -> tuple[int, int]:
    """Insert the rows not stored before; (created, duplicates). Per batch: schedules, leave, existing ids,
    one insert."""
    from simasn.leave.selectors import excused_days

    created = duplicates = 0
    seen: set[uuid.UUID] = set()
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        ids = {row: client_id_for(row.nip, row.moment, row.device_id) for row in batch}
        existing = set(CheckInEvent.objects.filter(client_id__in=list(ids.values()))
                       .values_list("client_id", flat=True))
        local_dates = [timezone.localdate(row.moment) for row in batch]
        first, last = min(local_dates) - dt.timedelta(days=1), max(local_dates)
        people = {employees[row.nip].pk: employees[row.nip] for row in batch}
        expected = expected_days(list(people.values()), first, last)
        excuses = excused_days(list(people), first, last)
        by_employee: dict[int, dict[dt.date, Any]] = defaultdict(dict)
        for (employee_id, day), period in expected.items():
            by_employee[employee_id][day] = period
        events = []
        for row in batch:
            client_id = ids[row]
            if client_id in existing or client_id in seen:
                duplicates += 1
                continue
            seen.add(client_id)
            events.append(_event(row, employees[row.nip], client_id, by_employee, excuses))
        if events:
            inserted = CheckInEvent.objects.bulk_create(events, ignore_conflicts=True)
            created += len(inserted)
    return created, duplicates


def _event(row: Row, employee: Employee, client_id: uuid.UUID, expected_on: dict[int, dict[dt.date, Any]],
           excuses: dict) -> CheckInEvent:
    from .capture_context import leave_of, resolve_work_day, window_of

    own = expected_on.get(employee.pk, {})
    local_date = timezone.localdate(row.moment)
    today = own.get(local_date)
    kind = _kind(row.moment, today)
    work_date, expected = resolve_work_day(kind, row.moment, own)
    on_leave = leave_of(excuses.get((employee.pk, work_date)))
    window = window_of(expected, kind)
    ctx = checks.CheckContext(kind=kind, source=EventSource.DEVICE, server_time=row.moment, client_time=row.moment,
                              has_schedule=expected is not None, window=window, on_leave=on_leave,
                              device_id=row.device_id)
    verdict = checks.run_checks(ctx, only=DEVICE_CHECKS)
    return CheckInEvent(
        employee_id=employee.pk, kind=kind, source=EventSource.DEVICE, server_time=row.moment,
        client_time=row.moment, work_date=work_date, client_id=client_id, device_id=row.device_id,
        location_name=f"Mesin {row.device_id}"[:200], flags=verdict.flags, flag_details=verdict.details,
        status=EventStatus.FLAGGED if verdict.flags else EventStatus.ACCEPTED,
        review_status=ReviewStatus.PENDING if verdict.flags else ReviewStatus.NOT_NEEDED,
    )


def _recompute(rows: list[Row], employees: dict[str, Employee]) -> None:
    if not rows:
        return
    from .recompute import recompute_days

    days = [timezone.localdate(row.moment) for row in rows]
    ids = sorted({employees[row.nip].pk for row in rows})
    recompute_days(ids, min(days) - dt.timedelta(days=1), max(days))
