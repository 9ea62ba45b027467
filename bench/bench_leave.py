"""Benchmarks of issue 3 (leave): the unit calendar of an OPD of about 500 people for a month."""

from __future__ import annotations

from registry import Result, benchmark
from support import measure_pages


def _opd_near(size: int):
    """The OPD (a child of the pemda root) whose subtree holds the head-count closest to `size`."""
    from django.db.models import Count

    from simasn.employees.models import Employee
    from simasn.org.models import Unit

    root = Unit.objects.get(parent__isnull=True)
    opds = list(Unit.objects.filter(parent=root))
    by_path = dict(Employee.objects.values_list("unit__path").annotate(n=Count("id")))
    sized = [(sum(n for path, n in by_path.items() if path.startswith(opd.path)), opd) for opd in opds]
    return min(sized, key=lambda pair: abs(pair[0] - size))


@benchmark("leave_unit_calendar", title="Kalender unit cuti/izin/DL satu bulan, OPD ±500 pegawai (20 permintaan)",
           unit="ms", target=200, order=60, source="issue 3")
def leave_unit_calendar(ctx) -> Result:
    from django.urls import reverse
    from django.utils import timezone

    size, opd = _opd_near(500)
    month = timezone.localdate().strftime("%Y-%m")
    result = measure_pages(ctx, reverse("leave:calendar"), [
        (f"{opd.name} ({size} pegawai) {month}", {"unit": opd.pk, "bulan": month}, {}),
        ("bulan depan", {"unit": opd.pk, "bulan": f"{timezone.localdate().year + 1}-01"}, {}),
    ])
    return result
