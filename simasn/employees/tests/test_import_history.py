"""An import keeps riwayat pangkat and riwayat jabatan as the employee form does: a new employee starts both,
a changed golongan or jabatan adds one row dated by the TMT in the file, and an unchanged row adds nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simasn.core.audit import audit_verify
from simasn.core.errors import DomainError
from simasn.core.models import AuditEvent
from simasn.employees import importing
from simasn.employees.models import Employee, PositionHistory, RankHistory
from simasn.employees.tests.import_support import (  # noqa: F401 (fixtures)
    media,
    unit_codes,
    upload,
    valid_row,
    xlsx_bytes,
)
from simasn.employees.validators import TMT_GOLONGAN_REQUIRED, TMT_JABATAN_REQUIRED

pytestmark = pytest.mark.usefixtures("media", "unit_codes")
# Cells an update leaves empty so that only what a test names changes (NIK, birth date and sex are checked
# against the NIP, which the org fixture's employees were not built to match).
KEEP = {"Tanggal Lahir": "", "Jenis Kelamin": "", "NIK": "", "Gelar Belakang": "", "Tempat Lahir": "",
        "Status": "", "Golongan": "", "Jabatan": "", "TMT CPNS": "", "TMT PNS": "", "TMT Golongan": "",
        "TMT Jabatan": "", "Pendidikan": "", "Alamat": "", "Telepon": "", "Email": ""}


def run(actor, rows):
    batch = importing.batch_create(actor=actor, uploaded_file=upload(xlsx_bytes(rows)))
    assert batch.row_errors == []
    return importing.batch_commit(actor=actor, batch=batch)


def ranks(employee):
    return list(RankHistory.objects.filter(employee=employee).values_list("golongan", "tmt"))


def positions(employee):
    return list(PositionHistory.objects.filter(employee=employee)
                .values_list("position_id", "position_name", "unit_name", "tmt"))


def update_row(employee, **cells):
    return valid_row(0, NIP=employee.nip, **{**KEEP, "Kode Unit": "DA-1", **cells})


def test_new_employee_starts_riwayat_pangkat_and_jabatan(users, org):
    rows = [valid_row(0), valid_row(1, **{"TMT Jabatan": "03-01-2022", "TMT Golongan": ""})]
    run(users.admin_bkpsdm, rows)
    first, second = (Employee.objects.get(nip=r["NIP"]) for r in rows)
    assert ranks(first) == [("III/b", dt.date(2020, 4, 1))]
    # Without TMT Jabatan the jabatan is dated from TMT CPNS, the start of service.
    assert positions(first) == [(org.staf_a.pk, "Analis Alpha", "Bidang Alpha Satu", dt.date(2005, 3, 1))]
    assert ranks(second) == [("III/b", dt.date(2005, 3, 1))]  # no TMT Golongan: TMT CPNS
    assert positions(second) == [(org.staf_a.pk, "Analis Alpha", "Bidang Alpha Satu", dt.date(2022, 1, 3))]
    events = AuditEvent.objects.filter(action="employees.history_added")
    assert sorted(e.object_type for e in events) == ["employees.positionhistory"] * 2 + ["employees.rankhistory"] * 2
    assert {e.after["employee_id"] for e in events} == {first.pk, second.pk}
    assert audit_verify().ok


def test_new_pns_without_tmt_cpns_takes_it_from_the_nip(users):
    row = valid_row(0, **{"TMT CPNS": "", "TMT Golongan": ""})
    run(users.admin_bkpsdm, [row])
    employee = Employee.objects.get(nip=row["NIP"])
    assert ranks(employee) == [("III/b", dt.date(2005, 3, 1))]  # the NIP says TMT CPNS 2005-03


def test_new_employee_without_any_tmt_gets_no_riwayat_and_no_error(users):
    row = valid_row(0, **{"Jenis ASN": "PPPK", "NIP": "199001152022112003", "Tanggal Lahir": "", "NIK": "",
                          "Jenis Kelamin": "", "Golongan": "IX", "TMT CPNS": "", "TMT PNS": "", "TMT Golongan": ""})
    assert run(users.admin_bkpsdm, [row]).created_count == 1
    employee = Employee.objects.get(nip=row["NIP"])
    assert employee.golongan == "IX"
    assert (ranks(employee), positions(employee)) == ([], [])


def test_new_employee_without_golongan_or_jabatan_gets_no_riwayat(users):
    row = valid_row(0, Golongan="", Jabatan="")
    run(users.admin_bkpsdm, [row])
    employee = Employee.objects.get(nip=row["NIP"])
    assert (ranks(employee), positions(employee)) == ([], [])


def test_changed_golongan_and_jabatan_add_exactly_one_row_each(users, org):
    staff = org.staff_a
    row = update_row(staff, Golongan="III/c", Jabatan="Kepala Bidang Alpha Satu",
                     **{"TMT Golongan": "01-04-2024", "TMT Jabatan": "02-01-2025"})
    assert run(users.admin_bkpsdm, [row]).updated_count == 1
    staff.refresh_from_db()
    assert (staff.golongan, staff.position, staff.tmt_golongan) == ("III/c", org.kabid_a, dt.date(2024, 4, 1))
    assert ranks(staff) == [("III/c", dt.date(2024, 4, 1))]
    assert positions(staff) == [(org.kabid_a.pk, "Kepala Bidang Alpha Satu", "Bidang Alpha Satu",
                                 dt.date(2025, 1, 2))]
    # The same file again changes nothing, so it adds nothing.
    again = run(users.admin_bkpsdm, [row])
    assert (again.created_count, again.updated_count) == (0, 0)
    assert (len(ranks(staff)), len(positions(staff))) == (1, 1)


def test_changing_only_the_golongan_adds_no_riwayat_jabatan(users, org):
    staff = org.staff_a
    run(users.admin_bkpsdm, [update_row(staff, Golongan="III/b", **{"TMT Golongan": "01-10-2023"})])
    assert ranks(staff) == [("III/b", dt.date(2023, 10, 1))]
    assert positions(staff) == []


def test_other_changes_add_no_riwayat(users, org):
    staff = org.staff_a
    row = update_row(staff, Nama="Nama Baru", Golongan=staff.golongan, Jabatan="Analis Alpha",
                     **{"TMT Golongan": "01-04-2019"})  # same golongan and jabatan; only name and TMT differ
    assert run(users.admin_bkpsdm, [row]).updated_count == 1
    assert (ranks(staff), positions(staff)) == ([], [])
    assert not AuditEvent.objects.filter(action="employees.history_added").exists()


def test_reimporting_new_employees_adds_no_riwayat(users):
    rows = [valid_row(i) for i in range(3)]
    run(users.admin_bkpsdm, rows)
    added = AuditEvent.objects.filter(action="employees.history_added")
    counts = (RankHistory.objects.count(), PositionHistory.objects.count(), added.count())
    assert counts == (3, 3, 6)
    again = run(users.admin_bkpsdm, rows)
    assert (again.created_count, again.updated_count) == (0, 0)
    assert (RankHistory.objects.count(), PositionHistory.objects.count(), added.count()) == counts


def test_a_change_without_its_tmt_is_a_row_error_and_nothing_is_written(users, org):
    staff = org.staff_a
    staff.tmt_golongan = dt.date(2019, 4, 1)  # a stored TMT belongs to the old golongan: the file must give one
    staff.save()
    rows = [valid_row(5), update_row(staff, Golongan="III/c", Jabatan="Kepala Bidang Alpha Satu")]
    batch = importing.batch_create(actor=users.admin_bkpsdm, uploaded_file=upload(xlsx_bytes(rows)))
    assert [(e["row"], e["column"], e["message"]) for e in batch.row_errors] == [
        (3, "TMT Golongan", TMT_GOLONGAN_REQUIRED),
        (3, "TMT Jabatan", TMT_JABATAN_REQUIRED),
    ]
    assert batch.valid_rows == 1
    with pytest.raises(DomainError) as exc:
        importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert exc.value.code == "import_has_errors"
    staff.refresh_from_db()
    assert (staff.golongan, staff.position) == ("III/a", org.staf_a)
    assert not Employee.objects.filter(nip=rows[0]["NIP"]).exists()
    assert (RankHistory.objects.count(), PositionHistory.objects.count()) == (0, 0)


def test_the_tmt_error_is_listed_with_the_row_other_errors(users, org):
    row = update_row(org.staff_a, Golongan="III/c", Email="bukan-email")
    batch = importing.batch_create(actor=users.admin_bkpsdm, uploaded_file=upload(xlsx_bytes([row])))
    assert {e["column"] for e in batch.row_errors} == {"Email", "TMT Golongan"}


def test_messages_match_the_employee_form(users, org):
    from simasn.employees import services

    with pytest.raises(services.InvalidFields) as exc:
        services.employee_update(actor=users.admin_bkpsdm, employee=org.staff_a,
                                 data={"golongan": "III/c", "position": org.kabid_a.pk})
    assert exc.value.field_errors["tmt_golongan"] == [TMT_GOLONGAN_REQUIRED]
    assert exc.value.field_errors["tmt_jabatan"] == [TMT_JABATAN_REQUIRED]


@pytest.fixture
def real_sqlite_variable_limit(db, monkeypatch):
    """Django 5.2 splits SQLite bulk inserts at the 999 variables of SQLite < 3.32; the library in use allows
    far more, and with its real limit the number of statements depends on our code alone."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(connection.features, "max_query_params", limit)


@pytest.mark.usefixtures("real_sqlite_variable_limit")
def test_commit_query_count_does_not_grow_with_rows(users):
    admin = users.admin_bkpsdm
    run(admin, [valid_row(999)])  # the audit chain head exists from here on, as in any running system

    def commit_queries(first, n, **cells):
        rows = [valid_row(i, **cells) for i in range(first, first + n)]
        batch = importing.batch_create(actor=admin, uploaded_file=upload(xlsx_bytes(rows)))
        assert batch.row_errors == []
        with CaptureQueriesContext(connection) as ctx:
            importing.batch_commit(actor=admin, batch=batch)
        return len(ctx)

    assert commit_queries(0, 20) == commit_queries(100, 200)  # new employees, each with two riwayat rows
    assert RankHistory.objects.count() == PositionHistory.objects.count() == 221
    change = {"Golongan": "III/c", "Jabatan": "Kepala Bidang Alpha Satu", "TMT Golongan": "01-04-2024",
              "TMT Jabatan": "02-01-2025"}
    assert commit_queries(0, 20, **change) == commit_queries(100, 200, **change)  # changed, one row each more
    assert RankHistory.objects.count() == PositionHistory.objects.count() == 221 + 220
