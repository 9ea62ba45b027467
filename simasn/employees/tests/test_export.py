"""Export of the employee list: scope, filters, masked NIK, formula neutralisation, and import round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from simasn.core.errors import DomainError, NotFound
from simasn.core.models import AuditEvent
from simasn.employees import importing
from simasn.employees.exporting import HEADERS, export_employees
from simasn.employees.tests.factories import EmployeeFactory
from simasn.employees.tests.import_support import media, upload  # noqa: F401 (fixtures)

PAYLOADS = {
    "name": '=HYPERLINK("http://evil.example","klik")',
    "back_title": "+1",
    "front_title": "-1",
    "birth_place": "@SUM(A1:A9)",
    "address": "\tcmd",
    "phone": "\r0812",
}


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[dict[str, object]]:
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows())
    headers = [c.value for c in rows[0]]
    for row in rows[1:]:
        assert all(c.data_type != "f" for c in row), "no cell may be a formula"
    return [dict(zip(headers, (c.value for c in row), strict=True)) for row in rows[1:]]


@pytest.fixture
def evil(org):
    return EmployeeFactory(unit=org.opd_a, **PAYLOADS)


@pytest.fixture
def tricky(org):
    """Formula-like text that is still valid employee data, so it must survive an export → import trip."""
    return EmployeeFactory(unit=org.opd_a, name='=HYPERLINK("http://x.example","a")', back_title="+1",
                           front_title="-", birth_place="@Kendari", address="-")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_payloads_are_neutralised(users, evil, fmt):
    content, filename, content_type = export_employees(viewer=users.admin_bkpsdm, fmt=fmt)
    assert filename.endswith(f".{fmt}")
    rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)
    row = next(r for r in rows if r["NIP"] == evil.nip)
    assert row["Nama"] == "'" + PAYLOADS["name"]
    assert row["Gelar Belakang"] == "'+1"
    assert row["Gelar Depan"] == "'-1"
    assert row["Tempat Lahir"] == "'@SUM(A1:A9)"
    assert row["Alamat"] == "'\tcmd"
    assert row["Telepon"] == "'\r0812"
    for r in rows:
        for value in r.values():
            if isinstance(value, str) and value:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nik_is_always_masked(users, org, fmt):
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt=fmt)
    rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)
    nik = org.staff_a.nik
    row = next(r for r in rows if r["NIP"] == org.staff_a.nip)
    assert row["NIK"] == f"{nik[:4]}********{nik[-4:]}"
    assert nik not in content.decode("utf-8-sig", errors="ignore")


def test_xlsx_has_real_dates_a_bold_frozen_header_and_no_control_characters(users, org):
    EmployeeFactory(unit=org.opd_a, name="Bel\x07 Bunyi", tmt_jabatan=dt.date(2022, 1, 3))
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt="xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "Pegawai" and ws.freeze_panes == "A2"
    assert ws["A1"].value == "NIP" and ws["A1"].font.b
    headers = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    staff = rows[org.staff_a.nip]
    assert staff["Tanggal Lahir"].date() == org.staff_a.birth_date
    assert staff["Tanggal Pensiun (BUP)"].date() == org.staff_a.retirement_date
    date_cell = ws.cell(row=2, column=headers.index("Tanggal Lahir") + 1)
    assert date_cell.is_date and date_cell.number_format == "dd\\-mm\\-yyyy"
    assert any(r["Nama"] == "Bel Bunyi" for r in rows.values())


def test_headers_follow_the_import_template(users, org):
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt="csv")
    assert list(csv_rows(content)[0]) == list(HEADERS)
    assert HEADERS[: len(importing.TEMPLATE_COLUMNS)] == importing.TEMPLATE_COLUMNS


def test_admin_opd_exports_only_his_opd(users, org):
    content, _, _ = export_employees(viewer=users.admin_opd_a, fmt="csv")
    nips = {r["NIP"] for r in csv_rows(content)}
    assert nips == {org.head_a.nip, org.kabid.nip, org.staff_a.nip, org.staff_a2.nip}


@pytest.mark.parametrize("role", ["pimpinan", "inspektorat"])
def test_city_wide_readers_export_the_city(users, org, role):
    content, _, _ = export_employees(viewer=getattr(users, role), fmt="csv")
    assert org.staff_b.nip in {r["NIP"] for r in csv_rows(content)}


def test_pegawai_cannot_export_even_an_atasan(users):
    for user in (users.kabid, users.staff_a):
        with pytest.raises(NotFound):
            export_employees(viewer=user, fmt="csv")


def test_filters_like_the_list_page(users, org):
    EmployeeFactory(unit=org.opd_b, kind="PPPK", golongan="IX", nip="199001152022112003",
                    birth_date=dt.date(1990, 1, 15), sex="P")
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt="csv", kind="PPPK")
    assert [r["NIP"] for r in csv_rows(content)] == ["199001152022112003"]
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt="csv", unit_id=org.opd_a.pk)
    assert org.staff_a.nip in {r["NIP"] for r in csv_rows(content)}  # subunits included
    assert org.staff_b.nip not in {r["NIP"] for r in csv_rows(content)}
    content, _, _ = export_employees(viewer=users.admin_bkpsdm, fmt="csv", q=org.staff_b.name)
    assert [r["NIP"] for r in csv_rows(content)] == [org.staff_b.nip]


def test_unknown_format_is_refused(users):
    with pytest.raises(DomainError, match="xlsx atau csv"):
        export_employees(viewer=users.admin_bkpsdm, fmt="pdf")


def test_export_is_audit_logged(users):
    export_employees(viewer=users.pimpinan, fmt="csv", golongan="III/a")
    event = AuditEvent.objects.get(action="employee.export")
    assert event.actor == users.pimpinan
    assert event.after["filters"] == {"golongan": "III/a"}


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imports_back_without_errors_or_changes(users, org, tricky, fmt):
    content, filename, _ = export_employees(viewer=users.admin_bkpsdm, fmt=fmt)
    batch = importing.batch_create(actor=users.admin_bkpsdm, uploaded_file=upload(content, filename))
    assert batch.row_errors == []
    batch = importing.batch_commit(actor=users.admin_bkpsdm, batch=batch)
    assert (batch.created_count, batch.updated_count) == (0, 0)
    tricky.refresh_from_db()
    assert (tricky.name, tricky.front_title) == ('=HYPERLINK("http://x.example","a")', "-")
