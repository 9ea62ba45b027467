"""Benchmarks of issue 5 (SKP): the unit recap of an OPD of about 500 people and the city-wide distribution."""

from __future__ import annotations

from registry import Result, benchmark
from support import measure_pages, opd_near


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


@benchmark("skp_unit_recap", title="Rekap kinerja unit (cakupan, distribusi predikat), OPD ±500 pegawai",
           unit="ms", target=200, order=70, source="issue 5")
def skp_unit_recap(ctx) -> Result:
    from django.urls import reverse

    size, opd = opd_near(500)
    return measure_pages(ctx, reverse("performance:recap"), [
        (f"{opd.name} ({size} pegawai) {_year()}", {"unit": opd.pk, "tahun": _year()}, {}),
        (f"{opd.name} {_year() - 1}", {"unit": opd.pk, "tahun": _year() - 1}, {}),
    ])


@benchmark("skp_city_distribution", title="Distribusi predikat seluruh kota ({employees} pegawai)", unit="ms",
           target=1000, order=71, source="issue 5")
def skp_city_distribution(ctx) -> Result:
    from django.urls import reverse

    return measure_pages(ctx, reverse("performance:city"), [
        (f"tahun {_year() - 1}", {"tahun": _year() - 1}, {}),
        (f"tahun {_year()}", {"tahun": _year()}, {}),
    ])
