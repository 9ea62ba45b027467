"""Benchmarks of issue 3 (leave): the unit calendar of an OPD of about 500 people for a month."""

from __future__ import annotations

from registry import Result, benchmark
from support import measure_pages, opd_near


@benchmark("leave_unit_calendar", title="Kalender unit cuti/izin/DL satu bulan, OPD ±500 pegawai (20 permintaan)",
           unit="ms", target=200, order=60, source="issue 3")
def leave_unit_calendar(ctx) -> Result:
    from django.urls import reverse
    from django.utils import timezone

    size, opd = opd_near(500)
    month = timezone.localdate().strftime("%Y-%m")
    result = measure_pages(ctx, reverse("leave:calendar"), [
        (f"{opd.name} ({size} pegawai) {month}", {"unit": opd.pk, "bulan": month}, {}),
        ("bulan depan", {"unit": opd.pk, "bulan": f"{timezone.localdate().year + 1}-01"}, {}),
    ])
    return result
