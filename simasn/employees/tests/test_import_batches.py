"""Import batches against the database: scope, preview, all-or-nothing commit, idempotence, audit, the task."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django_tasks import default_task_backend

from simasn.core.audit import audit_verify
from simasn.core.errors import DomainError
from simasn.core.models import AuditEvent
from simasn.employees import importing
from simasn.employees.importing import batches as batches_module
from simasn.employees.importing import writing
from simasn.employees.models import Employee, ImportBatch
from simasn.employees.tasks import run_import_batch
from simasn.employees.tests.import_support import (  # noqa: F401 (fixtures)
    csv_bytes,
    media,
    unit_codes,
    upload,
    valid_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("media", "unit_codes")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def create(actor, rows, name="pegawai.xlsx"):
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return importing.batch_create(actor=actor, uploaded_file=upload(content, name))


def messages_of(batch):
    return [(e["row"], e["column"], e["message"]) for e in batch.row_errors]


def test_preview_counts_rows_stores_the_file_and_writes_no_employee(users):
    before = Employee.objects.count()
    batch = create(users.admin_bkpsdm, [valid_row(0), valid_row(1), valid_row(2, Nama="")])
    assert batch.status == ImportBatch.Status.PREVIEW
    assert (batch.total_rows, batch.valid_rows) == (3, 2)
    assert messages_of(batch) == [(4, "Nama", "Nama wajib diisi.")]
    assert len(batch.file_sha256) == 64 and batch.file.name.endswith(".xlsx")
    assert Employee.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"Kode Unit": "XX-9"}, "Kode Unit", "Kode Unit 'XX-9' tidak dikenal"),
        ({"Jabatan": "Juru Masak"}, "Jabatan", "Jabatan 'Juru Masak' tidak ada di unit DA-1"),
        ({"Jabatan": "Pengadministrasi Beta"}, "Jabatan", "tidak ada di unit DA-1"),  # exists, in another unit
    ],
)
def test_unknown_unit_or_position_in_that_unit(users, overrides, column, fragment):
    batch = create(users.admin_bkpsdm, [valid_row(0, **overrides)])
    assert batch.valid_rows == 0
    assert any(c == column and fragment in m for _, c, m in messages_of(batch)), batch.row_errors


def test_unit_codes_and_position_names_match_without_case_or_spacing(users, org):
    batch = create(users.admin_bkpsdm, [valid_row(0, **{"Kode Unit": "da-1", "Jabatan": "  analis   ALPHA "})])
    assert batch.row_errors == []
    importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert Employee.objects.get(nip=valid_row(0)["NIP"]).position == org.staf_a


def test_inactive_unit_is_refused(users, org):
    org.bidang_a.is_active = False
    org.bidang_a.save()
    batch = create(users.admin_bkpsdm, [valid_row(0)])
    assert "sudah tidak aktif" in batch.row_errors[0]["message"]


def test_admin_opd_cannot_import_into_another_opd(users, org):
    rows = [valid_row(0), valid_row(1, **{"Kode Unit": "BB", "Jabatan": "Pengadministrasi Beta"})]
    batch = create(users.admin_opd_a, rows)
    assert batch.scope_unit == org.opd_a
    assert messages_of(batch) == [(3, "Kode Unit", "Unit BB (Badan Beta) berada di luar cakupan Anda.")]
    with pytest.raises(DomainError) as exc:
        importing.batch_commit(actor=users.admin_opd_a, batch=batch)
    assert exc.value.code == "import_has_errors"
    assert not Employee.objects.filter(nip__in=[r["NIP"] for r in rows]).exists()


def test_admin_opd_cannot_pull_an_employee_of_another_opd_into_his_unit(users, org):
    stolen = valid_row(0, NIP=org.staff_b.nip, **{"Tanggal Lahir": "", "Jenis Kelamin": "", "NIK": ""})
    batch = create(users.admin_opd_a, [stolen])
    assert ("NIP", f"NIP {org.staff_b.nip} terdaftar sebagai pegawai unit lain di luar cakupan Anda.") in [
        (c, m) for _, c, m in messages_of(batch)]
    org.staff_b.refresh_from_db()
    assert org.staff_b.unit == org.opd_b


def test_people_who_are_not_personnel_admins_cannot_import(users):
    for user in (users.pimpinan, users.inspektorat, users.staff_a):
        with pytest.raises(importing.ImportForbidden):
            create(user, [valid_row(0)])
    assert not ImportBatch.objects.exists()


def test_commit_creates_employees_with_derived_fields_and_audit(users, org):
    rows = [valid_row(0, **{"Kode Unit": "DA", "Jabatan": "Kepala Dinas Alpha", "TMT CPNS": ""}), valid_row(1)]
    batch = create(users.admin_bkpsdm, rows)
    audit_before = AuditEvent.objects.count()
    batch = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert (batch.status, batch.created_count, batch.updated_count) == (ImportBatch.Status.DONE, 2, 0)
    assert batch.processed_rows == 2 and batch.finished_at is not None
    head = Employee.objects.get(nip=rows[0]["NIP"])
    assert head.unit == org.opd_a and head.position == org.kepala_a
    assert head.retirement_date == dt.date(1975 + 60, 2, 1)  # JPT: BUP 60, TMT pensiun the 1st of next month
    assert head.tmt_cpns == dt.date(2005, 3, 1)  # from the NIP
    staff = Employee.objects.get(nip=rows[1]["NIP"])
    assert staff.retirement_date == dt.date(1975 + 58, 2, 1)
    assert (staff.golongan, staff.education_level, staff.status) == ("III/b", "S1", "aktif")
    events = AuditEvent.objects.filter(pk__gt=0).order_by("id")[audit_before:]
    actions = [e.action for e in events]
    assert actions.count("employee.import_create") == 2 and actions[-1] == "employee.import_commit"
    created = next(e for e in events if e.object_id == str(staff.pk))
    assert created.after["nik"] == f"{staff.nik[:4]}********{staff.nik[-4:]}"
    assert staff.nik not in str(created.after)
    assert audit_verify().ok  # the bulk-appended events keep the hash chain intact


def test_commit_is_all_or_nothing_when_the_write_fails(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(5)])
    audit_before = AuditEvent.objects.count()
    with mock.patch.object(writing, "audit_record_many", side_effect=RuntimeError("disk penuh")), \
            pytest.raises(DomainError) as exc:
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert exc.value.code == "import_failed"
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()
    assert AuditEvent.objects.count() == audit_before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "disk penuh" in batch.failure
    # Nothing was written, so the same batch may be committed again once the cause is gone.
    batch = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.DONE, 5)


def test_commit_rolls_back_updates_when_creation_fails_midway(users, org):
    rows = [valid_row(0), valid_row(1, NIP=org.staff_a.nip, Nama="Nama Baru", **{
        "Tanggal Lahir": "", "Jenis Kelamin": "", "NIK": ""})]
    batch = create(users.admin_bkpsdm, rows)
    real_update = writing.update_rows

    def update_then_fail(*args, **kwargs):
        real_update(*args, **kwargs)
        assert Employee.objects.get(pk=org.staff_a.pk).name == "Nama Baru"  # really written, then lost
        raise RuntimeError("putus di tengah")

    with mock.patch.object(writing, "update_rows", side_effect=update_then_fail), \
            pytest.raises(DomainError):
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    org.staff_a.refresh_from_db()
    assert org.staff_a.name != "Nama Baru"
    assert not Employee.objects.filter(nip=rows[0]["NIP"]).exists()


def test_bulk_create_failure_leaves_nothing(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(3)])
    with mock.patch.object(type(Employee.objects), "bulk_create", side_effect=RuntimeError("gagal")), \
            pytest.raises(DomainError):
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_recommitting_a_batch_does_nothing(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(3)])
    first = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    counts = (Employee.objects.count(), AuditEvent.objects.count())
    second = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert (second.status, second.created_count, second.updated_count) == (ImportBatch.Status.DONE, 3, 0)
    assert second.finished_at == first.finished_at
    assert (Employee.objects.count(), AuditEvent.objects.count()) == counts


def test_reimporting_the_same_file_creates_no_duplicates_and_changes_nothing(users):
    rows = [valid_row(i) for i in range(4)]
    importing.batch_commit(actor=users.admin_bkpsdm, batch=create(users.admin_bkpsdm, rows))
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    again = importing.batch_commit(actor=users.admin_bkpsdm, batch=create(users.admin_bkpsdm, rows))
    assert (again.created_count, again.updated_count) == (0, 0)
    assert Employee.objects.filter(nip__in=[r["NIP"] for r in rows]).count() == 4
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action="employee.import_update").count() == 0


def test_update_writes_only_changed_fields_and_keeps_what_empty_cells_leave_out(users, org):
    staff = org.staff_a
    old_nik, old_name = staff.nik, staff.name
    row = valid_row(0, NIP=staff.nip, Nama="Nama Diperbarui", Golongan="III/c", **{
        "Tanggal Lahir": "", "Jenis Kelamin": "", "NIK": staff.nik[:4] + "********" + staff.nik[-4:],
        "Kode Unit": "DA-1", "Jabatan": "", "Email": "", "TMT CPNS": "", "TMT PNS": "",
        "TMT Golongan": "01-04-2024", "Pendidikan": "", "Alamat": "", "Telepon": "", "Tempat Lahir": "",
        "Gelar Belakang": "", "Status": ""})
    batch = importing.batch_commit(actor=users.admin_bkpsdm, batch=create(users.admin_bkpsdm, [row]))
    assert (batch.created_count, batch.updated_count) == (0, 1)
    staff.refresh_from_db()
    assert (staff.name, staff.golongan, staff.nik, staff.position) == ("Nama Diperbarui", "III/c", old_nik, org.staf_a)
    event = AuditEvent.objects.get(action="employee.import_update")
    assert event.before == {"name": old_name, "golongan": "III/a", "tmt_golongan": None}
    assert event.after == {"name": "Nama Diperbarui", "golongan": "III/c", "tmt_golongan": "2024-04-01"}


def test_moving_to_another_unit_without_a_jabatan_drops_the_old_jabatan(users, org):
    row = valid_row(0, NIP=org.staff_b.nip, **{"Tanggal Lahir": "", "Jenis Kelamin": "", "NIK": "",
                                               "Kode Unit": "DA-1", "Jabatan": ""})
    importing.batch_commit(actor=users.admin_bkpsdm, batch=create(users.admin_bkpsdm, [row]))
    org.staff_b.refresh_from_db()
    assert (org.staff_b.unit, org.staff_b.position) == (org.bidang_a, None)


def test_preview_that_went_stale_is_revalidated_at_commit(users, org):
    batch = create(users.admin_bkpsdm, [valid_row(0), valid_row(1)])
    org.staf_a.is_active = False
    org.staf_a.save()
    with pytest.raises(DomainError) as exc:
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert exc.value.code == "import_stale"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and batch.valid_rows == 0
    assert "sudah tidak aktif" in batch.row_errors[0]["message"]
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_tampered_stored_file_is_refused(users):
    batch = create(users.admin_bkpsdm, [valid_row(0)])
    with open(batch.file.path, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(DomainError, match="telah berubah"):
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()


def test_commit_reuses_the_rows_parsed_for_the_preview(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(3)])
    cache = batches_module._rows_cache_name(batch)
    assert batch.file.storage.exists(cache)
    with mock.patch.object(batches_module, "parse_content", side_effect=AssertionError("parsed twice")):
        batch = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert batch.created_count == 3
    assert not batch.file.storage.exists(cache)


def test_commit_parses_the_file_again_when_the_row_cache_is_gone(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(3)])
    batch.file.storage.delete(batches_module._rows_cache_name(batch))
    assert importing.batch_commit(actor=users.admin_bkpsdm, batch=batch).created_count == 3


def test_admin_opd_cannot_commit_a_batch_outside_his_scope(users):
    batch = create(users.admin_bkpsdm, [valid_row(0)])
    with pytest.raises(DomainError):
        importing.batch_commit(actor=users.admin_opd_a, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_validation_does_not_query_per_row(users):
    def queries_for(n):
        content = csv_bytes([valid_row(i) for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            importing.batch_create(actor=users.admin_bkpsdm, uploaded_file=upload(content, f"p{n}.csv"))
        return len(ctx)

    assert queries_for(300) == queries_for(3)


# --- background path --------------------------------------------------------------------------------------

@override_settings(TASKS=IMMEDIATE, SIMASN_IMPORT_INLINE_ROWS=2)
def test_large_batch_runs_as_a_task_and_finishes(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(5)])
    batch = importing.batch_start_commit(actor=users.admin_bkpsdm, batch=batch)
    assert (batch.status, batch.created_count, batch.processed_rows) == (ImportBatch.Status.DONE, 5, 5)


@override_settings(TASKS=DUMMY, SIMASN_IMPORT_INLINE_ROWS=2)
def test_large_batch_is_queued_and_the_task_reports_progress_per_chunk(users, monkeypatch):
    rows = [valid_row(i) for i in range(2500)]
    batch = create(users.admin_bkpsdm, rows, name="besar.csv")
    queued = importing.batch_start_commit(actor=users.admin_bkpsdm, batch=batch)
    assert queued.status == ImportBatch.Status.QUEUED
    # A second click queues nothing more.
    assert importing.batch_start_commit(actor=users.admin_bkpsdm, batch=batch).status == ImportBatch.Status.QUEUED
    assert len(default_task_backend.results) == 1
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()
    seen = []
    real = batches_module._set_progress
    monkeypatch.setattr(batches_module, "_set_progress", lambda pk, n: (seen.append(n), real(pk, n)))
    result = run_import_batch.call(batch.pk, users.admin_bkpsdm.pk)
    assert result["status"] == ImportBatch.Status.DONE and result["created"] == 2500
    assert seen == [1000, 2000, 2500]
    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows) == (ImportBatch.Status.DONE, 2500)
    # A second run of the same task (a duplicate enqueue) changes nothing.
    assert run_import_batch.call(batch.pk, users.admin_bkpsdm.pk)["created"] == 2500
    assert Employee.objects.filter(name__startswith="Pegawai Impor").count() == 2500


@override_settings(TASKS=IMMEDIATE, SIMASN_IMPORT_INLINE_ROWS=2)
def test_task_failure_is_recorded_on_the_batch(users):
    batch = create(users.admin_bkpsdm, [valid_row(i) for i in range(3)])
    with mock.patch.object(type(Employee.objects), "bulk_create", side_effect=RuntimeError("gagal")):
        batch = importing.batch_start_commit(actor=users.admin_bkpsdm, batch=batch)
    assert batch.status == ImportBatch.Status.FAILED
    assert not Employee.objects.filter(name__startswith="Pegawai Impor").exists()
