"""Fingerprint-machine log import: idempotent, per-row Indonesian errors, scope, and the upload page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simasn.attendance import device_import
from simasn.attendance.models import CheckInEvent, DailyRecord, DeviceLogImport, EventSource
from simasn.core.errors import DomainError, Forbidden
from simasn.core.models import AuditEvent

from .capture_helpers import URLCONF, at, five_day_schedule, working_monday

pytestmark = pytest.mark.urls(URLCONF)

MONDAY = working_monday()
LATER = at(MONDAY + dt.timedelta(days=3), "12:00")


def csv_for(org, *extra: str, sep: str = ",") -> bytes:
    a, b = org.staff_a.nip, org.staff_a2.nip
    lines = [
        sep.join(["NIP", "Waktu", "Mesin"]),
        sep.join([a, "2026-03-09 07:12:00", "FP-01"]),  # local WITA
        sep.join([a, "2026-03-09T16:05:00+08:00", "FP-01"]),
        sep.join([b, "09/03/2026 07:25", "FP-02"]),
        *extra,
    ]
    return ("\n".join(lines) + "\n").encode()


def test_import_creates_events_and_is_idempotent(users, org):
    five_day_schedule(org.opd_a)
    summary = device_import.import_device_log(actor=users.admin_opd_a, data=csv_for(org), filename="fp.csv", now=LATER)
    assert (summary.log.total_rows, summary.log.created_rows, summary.log.duplicate_rows) == (3, 3, 0)
    assert summary.errors == []
    events = CheckInEvent.objects.filter(employee=org.staff_a).order_by("server_time")
    assert [(e.kind, e.source, e.work_date) for e in events] == [("in", EventSource.DEVICE, MONDAY),
                                                                ("out", EventSource.DEVICE, MONDAY)]
    assert events[0].server_time == at(MONDAY, "07:12") and events[0].flags == []
    record = DailyRecord.objects.get(employee=org.staff_a, date=MONDAY)
    assert record.first_in == at(MONDAY, "07:12") and record.last_out == at(MONDAY, "16:05")
    # The same file again, and an overlapping export with a ";" separator: nothing new.
    again = device_import.import_device_log(actor=users.admin_opd_a, data=csv_for(org), filename="fp.csv", now=LATER)
    assert (again.log.created_rows, again.log.duplicate_rows) == (0, 3)
    overlap = device_import.import_device_log(actor=users.admin_opd_a, data=csv_for(org, sep=";"),
                                              filename="fp2.csv", now=LATER)
    assert overlap.log.created_rows == 0
    assert CheckInEvent.objects.count() == 3
    assert AuditEvent.objects.filter(action="attendance.device_log_imported").count() == 3


def test_each_bad_row_gets_an_indonesian_error_and_good_rows_are_kept(users, org):
    data = csv_for(
        org,
        f"{org.staff_a.nip},kemarin pagi,FP-01",
        "12345,2026-03-09 07:00,FP-01",
        f"{org.staff_b.nip},2026-03-09 07:00,FP-09",  # another OPD: outside the admin's scope
        f"{org.staff_a.nip},2026-03-20 07:00,FP-01",  # after "now"
        f"{org.staff_a.nip},2026-03-09 07:30",
        f"{org.staff_a.nip},2026-03-09 07:31,",
    )
    summary = device_import.import_device_log(actor=users.admin_opd_a, data=data, filename="fp.csv", now=LATER)
    messages = {e["row"]: e["message"] for e in summary.errors}
    assert summary.log.created_rows == 3 and len(messages) == 6
    assert "tidak dikenali" in messages[5]
    assert "NIP '12345' tidak valid" in messages[6]
    assert "di luar unit kewenangan" in messages[7]
    assert "masa depan" in messages[8]
    assert "3 kolom" in messages[9]
    assert "ID mesin" in messages[10]


def test_whole_file_errors(users, org):
    for data in (b"", b"NIP,Waktu,Mesin\n"):
        with pytest.raises(DomainError):
            device_import.import_device_log(actor=users.admin_opd_a, data=data, filename="x.csv")
    with pytest.raises(Forbidden):
        device_import.import_device_log(actor=users.staff_a, data=csv_for(org), filename="x.csv")
    assert DeviceLogImport.objects.count() == 0


def test_client_id_is_stable_across_offset_notations():
    local = device_import.parse_timestamp("2026-03-09 07:12:00")
    explicit = device_import.parse_timestamp("2026-03-09T07:12:00+08:00")
    utc = device_import.parse_timestamp("2026-03-08T23:12:00Z")
    ids = {device_import.client_id_for("1" * 18, moment, "FP") for moment in (local, explicit, utc)}
    assert len(ids) == 1


def test_upload_page(client_for, users, org):
    web = client_for(users.admin_opd_a)
    page = web.get(reverse("attendance_capture:device_import"))
    assert page.status_code == 200 and "Impor log mesin sidik jari" in page.content.decode()
    upload = SimpleUploadedFile("fp.csv", csv_for(org, "123,x,y"), content_type="text/csv")
    response = web.post(reverse("attendance_capture:device_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-summary"' in html
    assert "NIP &#x27;123&#x27; tidak valid" in html or "NIP '123' tidak valid" in html
    assert client_for(users.staff_a).get(reverse("attendance_capture:device_import")).status_code == 403
