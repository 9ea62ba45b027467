"""Benchmarks of issue 2 (foundation): seed, employee list page and API, import, export, audit chain."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from io import StringIO

from registry import Result, Skip, benchmark
from support import count_queries, measure_pages, stopwatch

IMPORT_ROWS = 10_000


@benchmark("seed_demo", title="seed_demo --employees {employees}", unit="s", target=60, order=0, source="issue 2")
def seed_demo(ctx) -> Result:
    from django.core.management import call_command

    out = StringIO()
    with stopwatch() as t, count_queries() as q:
        # The issue 2 target is the city itself; the attendance history (--days) is measured on its own below.
        call_command("seed_demo", employees=ctx.employees, seed=ctx.seed, days=0, stdout=out)
    return Result(t["seconds"], queries=q.count, notes=out.getvalue().splitlines()[0])


@benchmark("attendance_history", title="Riwayat presensi demo: --days {days} hari kerja", unit="s", order=1,
           source="issue 4")
def attendance_history(ctx) -> Result:
    from django.utils import timezone

    from simasn.attendance.demo import generate_history

    if ctx.days <= 0:
        raise Skip("--days 0: tanpa riwayat presensi")
    with stopwatch() as t:
        counts = generate_history(days=ctx.days, today=timezone.localdate(), seed=ctx.seed)
    return Result(t["seconds"], notes=f"{counts.get('attendance_events', 0):,} presensi, "
                                      f"{counts.get('attendance_days', 0):,} rekap harian")


def _common_name() -> str:
    from simasn.employees.models import Employee

    words = Counter(name.split()[0] for name in Employee.objects.values_list("name", flat=True)[:2000])
    return next(word for word, _ in words.most_common() if word not in ("La", "Wa", "Andi"))


@benchmark("employee_list_page", title="Halaman daftar pegawai dengan filter (20 permintaan)", unit="ms",
           target=150, order=10, source="issue 2")
def employee_list_page(ctx) -> Result:
    from django.urls import reverse

    from simasn.org.models import Unit

    dinkes = Unit.objects.get(code="KDI.DINKES").pk
    name = _common_name()
    return measure_pages(ctx, reverse("employees:list"), [
        ("golongan=III/a", {"golongan": "III/a"}, {}),
        (f"q={name}", {"q": name}, {}),
        ("unit=Dinkes+subunit, halaman 3", {"unit": dinkes, "page": 3}, {}),
        ("golongan=III/a via HTMX", {"golongan": "III/a"}, {"HX-Request": "true"}),
    ])


@benchmark("employee_list_api", title="API GET /api/v1/employees?page_size=50 (20 permintaan)", unit="ms",
           target=150, order=20, source="anggaran halaman daftar (issue 2)")
def employee_list_api(ctx) -> Result:
    name = _common_name()
    return measure_pages(ctx, "/api/v1/employees", [
        ("page_size=50", {"page_size": 50}, {}),
        ("page_size=50&golongan=III/a", {"page_size": 50, "golongan": "III/a"}, {}),
        (f"page_size=50&q={name}", {"page_size": 50, "q": name}, {}),
    ])


@benchmark("employee_export_xlsx", title="Ekspor seluruh pegawai ke .xlsx", unit="s", order=30)
def employee_export_xlsx(ctx) -> Result:
    try:
        from simasn.employees.exporting import export_employees
    except ImportError:
        raise Skip("modul ekspor (simasn.employees.exporting) belum tersedia") from None
    from simasn.employees.models import Employee

    admin = ctx.user()
    with stopwatch() as t, count_queries() as q:
        content, _, _ = export_employees(viewer=admin, fmt="xlsx")
    rows = Employee.objects.count()
    return Result(t["seconds"], queries=q.count, notes=f"{rows} baris, {len(content) / 1e6:.1f} MB")


def import_workbook(rows: int, seed: int) -> bytes:
    """An import file of `rows` new employees in the template's columns, on positions of the demo city."""
    from openpyxl import Workbook

    from simasn.core.demo.org_builder import plan_org
    from simasn.core.demo.people import PersonFactory
    from simasn.employees.importing import COLUMNS
    from simasn.employees.models import Employee

    taken_nips = set(Employee.objects.values_list("nip", flat=True))
    taken_niks = set(Employee.objects.values_list("nik", flat=True))
    plan = plan_org()
    staff = [p for p in plan.positions if p.fill == "many" and p.weight > 0]
    factory = PersonFactory(seed, dt.date.today())
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pegawai")
    ws.append([c.header for c in COLUMNS])
    written = 0
    while written < rows:
        position = rng.choice(staff)
        person = factory.make(position, rng.choices(("PNS", "PPPK", "CPNS"), (75, 20, 5))[0])
        if person.nip in taken_nips or person.nik in taken_niks:
            continue
        taken_nips.add(person.nip)
        taken_niks.add(person.nik)
        values = {
            **{f: getattr(person, f) for f in ("nip", "kind", "front_title", "name", "back_title", "nik",
                                               "birth_place", "birth_date", "sex", "status", "golongan",
                                               "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan", "address",
                                               "phone")},
            "unit_code": position.unit.code, "position_name": position.name, "education_level": person.education,
            "email": "",
        }
        ws.append([values.get(c.field, "") for c in COLUMNS])
        written += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@benchmark("employee_import_xlsx", title="Impor .xlsx 10.000 baris pegawai baru (pratinjau + simpan)", unit="s",
           target=30, order=900, source="issue 2")
def employee_import_xlsx(ctx) -> Result:
    try:
        from simasn.employees.importing import batch_commit, batch_create
    except ImportError:
        raise Skip("modul impor (simasn.employees.importing) belum tersedia") from None
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = import_workbook(IMPORT_ROWS, ctx.seed + 1)
    admin = ctx.user()
    upload = SimpleUploadedFile("bench-impor.xlsx", content)
    with count_queries() as q:
        with stopwatch() as preview:
            batch = batch_create(actor=admin, uploaded_file=upload)
        if batch.row_errors:
            raise RuntimeError(f"{len(batch.row_errors)} baris ditolak, mis. {batch.row_errors[0]}")
        with stopwatch() as commit:
            batch = batch_commit(actor=admin, batch=batch)
    if batch.status != "done" or batch.created_count != IMPORT_ROWS:
        raise RuntimeError(f"status {batch.status}, {batch.created_count} dibuat; {batch.failure}")
    total = preview["seconds"] + commit["seconds"]
    return Result(total, queries=q.count, notes=(
        f"{IMPORT_ROWS} baris, {len(content) / 1e6:.1f} MB; pratinjau {preview['seconds']:.1f} s, "
        f"simpan {commit['seconds']:.1f} s"
    ))


@benchmark("audit_verify", title="audit_verify seluruh rantai audit", unit="s", order=950)
def audit_verify(ctx) -> Result:
    from simasn.core.audit import audit_verify as verify

    with stopwatch() as t, count_queries() as q:
        report = verify()
    if not report.ok:
        return Result(t["seconds"], queries=q.count, status="fail",
                      notes=f"RANTAI RUSAK di entri #{report.first_broken_id}: {report.reason}")
    rate = report.checked / t["seconds"] if t["seconds"] else 0
    return Result(t["seconds"], queries=q.count, notes=f"{report.checked} entri utuh, {rate:,.0f} entri/s")
