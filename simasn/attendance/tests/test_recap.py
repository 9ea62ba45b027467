"""Monthly recap (DOMAIN §3): counts of each code, worked hours, the month's deduction under the scheme,
capped at 100%; one GROUP BY; exports .xlsx and PDF, audited."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from simasn.attendance import recap
from simasn.attendance.rules_data import SCHEMES
from simasn.attendance.selectors import monitoring_scope
from simasn.core.errors import DomainError
from simasn.core.models import AuditEvent

from .records_helpers import make_record

pytestmark = pytest.mark.urls("simasn.attendance.tests.urls_records")

MARCH = dt.date(2026, 3, 1)


def day(n: int) -> dt.date:
    return MARCH + dt.timedelta(days=n - 1)


@pytest.fixture
def month(org):
    """staff_a: the worked example of DOMAIN §3 (3×TL1 + 1×TL3 + 2×PSW4 + 1×TK = 8.75% under Scheme A),
    plus two H days, a cuti day and a Saturday. staff_b: 31 TK days (a month beyond the cap under Scheme B)."""
    codes = [["TL1"], ["TL1"], ["TL1"], ["TL3"], ["PSW4"], ["PSW4"], ["TK"], ["H"], ["H"], ["C"], ["L"]]
    for n, c in enumerate(codes, start=2):
        make_record(org.staff_a, day(n), c, worked=420 if c != ["TK"] and c != ["C"] and c != ["L"] else 0)
    for n in range(1, 32):
        make_record(org.staff_b, day(n), ["TK"])
    make_record(org.staff_a, dt.date(2026, 4, 1), ["TK"])  # next month: not counted


def test_counts_and_the_worked_example(org, users, month, django_assert_num_queries):
    scope = monitoring_scope(users.admin_bkpsdm)
    with django_assert_num_queries(1):
        rows = {r.employee_id: r for r in recap.recap_rows(scope=scope, month=MARCH)}
    a = rows[org.staff_a.pk]
    assert {k: v for k, v in a.counts.items() if v} == {"TL1": 3, "TL3": 1, "PSW4": 2, "TK": 1, "H": 2, "C": 1, "L": 1}
    assert a.deduction == Decimal("8.75")
    assert a.working_days == 10  # every record except the L day
    assert a.worked_hours == Decimal("56.0")  # 8 days × 7 h


def test_the_month_is_capped(org, users, month):
    scope = monitoring_scope(users.admin_bkpsdm)
    b = next(r for r in recap.recap_rows(scope=scope, month=MARCH, scheme=SCHEMES["B"])
             if r.employee_id == org.staff_b.pk)
    assert b.counts["TK"] == 31
    assert b.deduction == Decimal(100)  # 31 × 4% = 124%, capped


def test_scope_limits_the_rows(org, users, month):
    rows = recap.recap_rows(scope=monitoring_scope(users.admin_opd_a), month=MARCH)
    assert [r.employee_id for r in rows] == [org.staff_a.pk]
    assert recap.recap_rows(scope=monitoring_scope(users.kabid), month=MARCH)[0].employee_id == org.staff_a.pk


def test_unit_summaries_roll_up_to_the_groups(org, users, month):
    rows = recap.recap_rows(scope=monitoring_scope(users.pimpinan), month=MARCH)
    summaries = {s.unit.name: s for s in recap.unit_summaries(rows, [org.opd_a, org.opd_b])}
    assert summaries["Dinas Alpha"].employees == 1 and summaries["Dinas Alpha"].counts["TL1"] == 3
    assert summaries["Badan Beta"].average_deduction == "93"  # 31 × 3% = 93% under Scheme A


def test_xlsx_export_is_readable_and_audited(org, users, month):
    content, filename, content_type = recap.export_xlsx(viewer=users.admin_bkpsdm,
                                                        scope=monitoring_scope(users.admin_bkpsdm), month=MARCH)
    assert filename == "rekap-presensi-2026-03-kota.xlsx" and content_type.endswith("sheet")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["NIP", "Nama", "Unit", "Hari kerja"] and header[-1] == "Potongan (%)"
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[org.staff_a.nip][-1] == 8.75
    assert AuditEvent.objects.filter(action="attendance.recap_export").count() == 1


def test_pdf_export(org, users, month, monkeypatch):
    content, filename, content_type = recap.export_pdf(viewer=users.admin_opd_a,
                                                       scope=monitoring_scope(users.admin_opd_a), month=MARCH,
                                                       unit=org.opd_a)
    assert content.startswith(b"%PDF") and content_type == "application/pdf"
    monkeypatch.setattr(recap, "PDF_MAX_ROWS", 1)
    with pytest.raises(DomainError):
        recap.export_pdf(viewer=users.pimpinan, scope=monitoring_scope(users.pimpinan), month=MARCH)


def test_recap_pages(org, users, client_for, month, django_assert_max_num_queries):
    city = client_for(users.pimpinan)
    with django_assert_max_num_queries(14):
        page = city.get(reverse("attendance:recap"), {"bulan": "2026-03"})
    assert page.status_code == 200 and "Dinas Alpha" in page.text and "Badan Beta" in page.text
    drilled = city.get(reverse("attendance:recap"), {"bulan": "2026-03", "unit": org.opd_a.pk})
    assert org.staff_a.name in drilled.text and "8.75%" in drilled.text
    opd = client_for(users.admin_opd_a)
    assert org.staff_b.name not in opd.get(reverse("attendance:recap"), {"bulan": "2026-03"}).text
    assert opd.get(reverse("attendance:recap"), {"unit": org.opd_b.pk}).status_code == 404
    assert client_for(users.staff_a).get(reverse("attendance:recap")).status_code == 403
    assert city.get(reverse("attendance:recap"), {"bulan": "2026-13"}).status_code == 404
    xlsx = opd.get(reverse("attendance:recap_export"), {"bulan": "2026-03", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment;")
    bad = opd.get(reverse("attendance:recap_export"), {"bulan": "2026-03", "format": "doc"})
    assert bad.status_code == 302


def test_my_month_page(org, users, client_for, month, django_assert_max_num_queries):
    staff = client_for(users.staff_a)
    with CaptureQueriesContext(connection) as one_record:
        staff.get(reverse("attendance:my_month"), {"bulan": "2026-04"})
    with django_assert_max_num_queries(len(one_record.captured_queries)):  # 11 records: no more queries
        page = staff.get(reverse("attendance:my_month"), {"bulan": "2026-03"})
    assert page.status_code == 200
    assert "Presensi Saya" in page.text and "8.75%" in page.text and "TL3" in page.text
    assert f'data-tanggal="{day(5):%Y-%m-%d}"' in page.text
    # the supervisor and the OPD admin may open it; another OPD's pegawai may not
    url = reverse("attendance:employee_month", args=[org.staff_a.pk])
    assert client_for(users.kabid).get(url, {"bulan": "2026-03"}).status_code == 200
    assert client_for(users.admin_opd_a).get(url).status_code == 200
    assert client_for(users.staff_b).get(url).status_code == 404
    assert client_for(users.pimpinan).get(reverse("attendance:my_month")).status_code == 404  # no employee record
