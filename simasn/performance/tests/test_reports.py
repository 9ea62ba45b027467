"""Rekap Kinerja, the city-wide distribution, the unit's annual finalisation page, the e-Kinerja-like .xlsx and
the SKP document as PDF: content, scope, audit, and a constant number of queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simasn.core.models import AuditEvent
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory
from simasn.performance import reports, services
from simasn.performance.models import AssessmentStatus, DistributionCheck, UnitResult

from .factories import AssessmentFactory, SkpFactory, UnitResultFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"performance:{name}", args=args)


def build_opd(n: int, year: int):
    """An OPD with a head and `n` staff in two bidang: most with an agreed SKP and ratings, a few without."""
    opd = UnitFactory(name=f"Dinas Uji {n}", kind=UnitKind.DINAS)
    head_pos = PositionFactory(unit=opd, kelas_jabatan=14, jabatan_type="jpt_pratama")
    head = EmployeeFactory(unit=opd, position=head_pos)
    SkpFactory(employee=head, year=year, agreed=True)
    bidang = [UnitFactory(parent=opd, kind=UnitKind.BIDANG) for _ in range(2)]
    ratings = [("di_atas", "di_atas"), ("sesuai", "sesuai"), ("di_bawah", "sesuai")]
    for i in range(n):
        unit = bidang[i % 2]
        e = EmployeeFactory(unit=unit, position=PositionFactory(unit=unit, parent=head_pos, kelas_jabatan=8))
        if i % 5 == 4:
            continue  # no SKP: counted as not covered
        skp = SkpFactory(employee=e, year=year, agreed=True, pejabat_penilai=head)
        hasil, perilaku = ratings[i % 3]
        AssessmentFactory(skp=skp, hasil=hasil, perilaku=perilaku)
        AssessmentFactory(skp=skp, period=1)
    UnitResultFactory(unit=opd, year=year, predikat="baik")
    return opd


def test_unit_recap_page_shows_coverage_distribution_and_late(users, client_for, org, cast, agreed, year):
    UnitResultFactory(unit=org.opd_a, year=year, predikat="baik")
    AssessmentFactory(skp=agreed["staff"], hasil="sesuai", perilaku="sesuai")
    c = client_for(users.admin_opd_a)
    page = c.get(url("recap") + f"?unit={org.opd_a.pk}&tahun={year}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Rekap Kinerja Dinas Alpha" in body and "Distribusi belum sesuai" in body
    assert "Tidak ada pegawai berpredikat Butuh Perbaikan atau Kurang" in body
    assert "Penilaian terlambat" in body and "Bidang Alpha Satu" in body
    late = c.get(url("recap_late") + f"?unit={org.opd_a.pk}&tahun={year}", HTTP_HX_REQUEST="true").content.decode()
    assert org.staff_a.name in late and "Januari" in late and "<html" not in late
    assert c.get(url("recap_late") + f"?unit={org.opd_b.pk}&tahun={year}").status_code == 404
    # An admin OPD cannot open another OPD's recap; a pegawai who heads nothing has no recap at all.
    assert c.get(url("recap") + f"?unit={org.opd_b.pk}").status_code == 404
    assert client_for(cast.staff).get(url("recap")).status_code == 404
    # The head of the unit reads his own unit's recap.
    assert client_for(cast.head).get(url("recap")).status_code == 200


def test_missing_skp_is_listed(users, client_for, org, year):
    body = client_for(users.admin_opd_a).get(url("recap") + f"?unit={org.opd_a.pk}&tahun={year}").content.decode()
    assert "Belum memiliki SKP yang disetujui" in body and org.staff_a.name in body and org.kabid.name in body


def test_unit_recap_in_constant_queries(users, client_for, year):
    """The recap of an OPD costs the same number of queries for 5 and for 30 employees."""
    c = client_for(users.admin_bkpsdm)
    counts = []
    for n in (5, 30):
        opd = build_opd(n, year)
        c.get(url("recap") + f"?unit={opd.pk}&tahun={year}")  # warm the session and the template cache
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url("recap") + f"?unit={opd.pk}&tahun={year}")
        assert r.status_code == 200 and opd.name in r.content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20


def test_city_distribution_page(users, client_for, org, agreed, year):
    UnitResultFactory(unit=org.opd_a, year=year, predikat="istimewa")
    AssessmentFactory(skp=agreed["staff"], hasil="di_atas", perilaku="di_atas")
    AssessmentFactory(skp=agreed["staff2"], hasil="di_atas", perilaku="di_atas")
    page = client_for(users.pimpinan).get(url("city") + f"?tahun={year}")
    body = page.content.decode()
    assert page.status_code == 200 and "Dinas Alpha" in body and "Sangat Baik" in body
    assert "melebihi batas 70%" in body  # 100% Sangat Baik in an Istimewa unit
    assert client_for(users.admin_opd_a).get(url("city")).status_code == 404
    assert client_for(users.staff_a).get(url("city")).status_code == 404


def test_city_distribution_in_constant_queries(users, client_for, year):
    c = client_for(users.pimpinan)
    counts = []
    for n in (5, 30):
        build_opd(n, year)
        c.get(url("city") + f"?tahun={year}")
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url("city") + f"?tahun={year}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_export_xlsx_opens_and_is_audited(users, client_for, org, cast, agreed, year):
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=2, hasil="di_atas",
                                 hasil_reason="Melampaui target", perilaku="di_atas",
                                 perilaku_reason="Teladan")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    AssessmentFactory(skp=agreed["staff2"], hasil="sesuai", perilaku="sesuai")
    r = client_for(users.admin_opd_a).get(url("export_xlsx") + f"?unit={org.opd_a.pk}&tahun={year}")
    assert r.status_code == 200 and r["Content-Type"] == reports.XLSX_TYPE
    assert "attachment" in r["Content-Disposition"] and f"{year}.xlsx" in r["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("No", "NIP", "Nama") and "Predikat Kinerja Tahunan" in header
    by_nip = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    staff = by_nip[org.staff_a.nip]
    assert staff["Status SKP"] == "Disetujui" and staff["Predikat Feb"] == "Sangat Baik"
    assert staff["NIP Pejabat Penilai"] == org.kabid.nip
    assert by_nip[org.staff_a2.nip]["Predikat Kinerja Tahunan"] == "Baik"
    assert org.staff_b.nip not in by_nip  # another OPD
    assert len(by_nip) == 4  # head_a, kabid, staff_a, staff_a2
    assert AuditEvent.objects.filter(action="performance.recap_exported", actor=users.admin_opd_a).exists()
    assert client_for(users.admin_opd_a).get(url("export_xlsx") + f"?unit={org.opd_b.pk}").status_code == 404


def test_export_neutralises_formulas(users, client_for, org, year):
    org.staff_a.name = "=HYPERLINK(\"http://x\")"
    org.staff_a.save(update_fields=["name"])
    r = client_for(users.admin_bkpsdm).get(url("export_xlsx") + f"?unit={org.opd_a.pk}&tahun={year}")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names


def test_skp_pdf(cast, client_for, users, agreed):
    skp = agreed["staff"]
    services.realisation_record(actor=cast.staff, item=skp.items.get(), period=1, text="Dokumen selesai", value="3")
    services.assessment_rate(actor=cast.kabid, skp=skp, period=0, hasil="sesuai", perilaku="sesuai")
    for user in (cast.staff, cast.kabid, users.admin_opd_a):
        r = client_for(user).get(url("skp_pdf", skp.pk))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="performance.skp_pdf_downloaded", object_id=str(skp.pk)).count() == 3
    assert client_for(cast.staff2).get(url("skp_pdf", skp.pk)).status_code == 404


def test_skp_document_content(cast, agreed):
    skp = agreed["staff"]
    services.realisation_record(actor=cast.staff, item=skp.items.get(), period=1, text="Dokumen selesai", value="3")
    from django.template.loader import render_to_string

    html = render_to_string("performance/skp_pdf.html", reports.skp_document_context(skp))
    for text in ("PEMERINTAH KOTA KENDARI", "DINAS ALPHA", "SASARAN KINERJA PEGAWAI", "Dokumen analisis",
                 "Program bidang terlaksana", "12 laporan", "Dokumen selesai", "Berorientasi Pelayanan",
                 "Pejabat penilai kinerja", skp.employee.nip, agreed["kabid"].employee.nip):
        assert text in html, text


def test_unit_result_and_finalisation_page(users, client_for, org, cast, agreed, year):
    admin = client_for(users.admin_bkpsdm)
    r = admin.post(url("unit_result_set", org.opd_a.pk), {"predikat": "baik", "basis": "LKjIP", "tahun": year})
    assert r.status_code == 302 and UnitResult.objects.get(unit=org.opd_a, year=year).predikat == "baik"
    assert client_for(users.admin_opd_a).post(url("unit_result_set", org.opd_a.pk),
                                              {"predikat": "istimewa", "tahun": year}).status_code == 403
    assert UnitResult.objects.get(unit=org.opd_a, year=year).predikat == "baik"  # refused: BKPSDM only
    for name in ("staff", "staff2", "kabid"):
        penilai = {"staff": cast.kabid, "staff2": cast.kabid, "kabid": cast.head}[name]
        services.assessment_rate(actor=penilai, skp=agreed[name], period=0, hasil="sesuai", perilaku="sesuai")
    page = admin.get(url("unit_finalise", org.opd_a.pk) + f"?tahun={year}")
    body = page.content.decode()
    assert page.status_code == 200 and "Distribusi belum sesuai" in body and "belum dinilai" in body
    r = admin.post(url("unit_finalise", org.opd_a.pk) + f"?tahun={year}", {"tahun": year})
    assert r.status_code == 400 and "melebihi batas 70%" in r.content.decode()
    assert not DistributionCheck.objects.exists()
    r = admin.post(url("unit_finalise", org.opd_a.pk) + f"?tahun={year}",
                   {"tahun": year, "accept_violations": "on", "note": "Unit kecil; seluruhnya memenuhi target"})
    assert r.status_code == 302
    check = DistributionCheck.objects.get()
    assert check.finalised == 3 and check.violations
    assert agreed["staff"].assessments.get(period=0).status == AssessmentStatus.FINAL
    # A pegawai who is not the unit's head cannot finalise; outside the scope it is a 404.
    assert client_for(cast.staff).get(url("unit_finalise", org.opd_a.pk)).status_code == 404
    assert client_for(users.admin_opd_a).get(url("unit_finalise", org.opd_b.pk)).status_code == 404


def test_distribution_bars_mark_the_curve():
    bars = {b["code"]: b for b in reports.distribution_bars({"sangat_baik": 1, "baik": 8, "butuh_perbaikan": 1},
                                                            "baik")}
    assert bars["baik"]["pct_text"] == "80%" and bars["baik"]["broken"]
    assert bars["baik"]["markers"] == [{"left": 70.0, "kind": "max", "text": "70%"}]
    assert not bars["butuh_perbaikan"]["broken"] and not bars["sangat_baik"]["limits"]
    assert all(not b["limits"] for b in reports.distribution_bars({}, None))
