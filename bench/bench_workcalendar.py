"""Benchmarks of issue 3 (work calendar): working-day arithmetic once the holiday table is loaded."""

from __future__ import annotations

import datetime as dt
import time

from registry import Result, benchmark
from support import count_queries, median, p95

RUNS = 2000


@benchmark("working_days_year", title="Hitung hari kerja rentang 1 tahun (2.000× setelah tabel libur dimuat)",
           unit="ms", target=1, order=50, source="issue 3")
def working_days_year(ctx) -> Result:
    from simasn.org.models import Unit
    from simasn.workcalendar import days

    unit = Unit.objects.filter(depth__gte=2).order_by("pk").first()  # exceptions are looked up by unit path
    start, end = dt.date(dt.date.today().year, 1, 1), dt.date(dt.date.today().year, 12, 31)
    days.working_days_between(start, end, unit)  # loads the table once
    samples = []
    with count_queries() as q:
        for _ in range(RUNS):
            t0 = time.perf_counter()
            count = days.working_days_between(start, end, unit)
            samples.append((time.perf_counter() - t0) * 1000)
    unit_name = unit.name if unit else "—"
    return Result(median(samples), queries=q.count,
                  notes=f"{count} hari kerja {start.year}; p95 {p95(samples):.3f} ms; unit {unit_name}")
