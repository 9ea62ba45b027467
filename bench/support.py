"""What benchmarks share: the run context, timers, a query counter and a logged-in test client."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Context:
    employees: int
    days: int
    seed: int
    var_dir: Path
    state: dict[str, Any] = field(default_factory=dict)  # what one benchmark leaves for later ones

    def user(self, username: str = "admin.bkpsdm"):
        from simasn.accounts.models import User

        return User.objects.get(username=username)

    def client(self, username: str = "admin.bkpsdm"):
        """A test client logged in as `username`; admin roles get a verified TOTP device in the session,
        as a real admin has after entering the code (see simasn/conftest.py login())."""
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = self.user(username)
        client = Client()
        client.force_login(user)
        if user.requires_otp:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="benchmark", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client


class QueryCounter:
    """Counts statements sent to the database (an executemany counts once) without the debug cursor, whose
    SQL formatting would slow down the code being timed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    started = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - started


def timed_requests(get: Callable[[], Any], *, repeat: int = 20, warmup: int = 2) -> tuple[list[float], Any]:
    """Milliseconds of `repeat` calls after `warmup` unmeasured ones, and the last response."""
    response = None
    for _ in range(warmup):
        response = get()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - started) * 1000)
    return times, response


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine_info(vendor: str, server_version: str) -> dict[str, str]:
    import django

    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    import sqlite3

    return {
        "CPU (nproc)": str(os.cpu_count()),
        "Sistem": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": sys.version.split()[0],
        "Django": django.get_version(),
        "Basis data": f"{vendor} {sqlite3.sqlite_version if vendor == 'SQLite' else server_version}".strip(),
        "Beban rata-rata saat mulai (1/5/15 menit)": load,
    }


def measure_pages(ctx, url: str, variants: list[tuple[str, dict, dict]]) -> Any:
    """Median server time (in-process, no network) of each variant; the slowest one is the figure."""
    from registry import Result

    client = ctx.client()
    medians, counts, notes = [], [], []
    for label, params, headers in variants:
        times, response = timed_requests(lambda p=params, h=headers: client.get(url, p, headers=h))
        if response.status_code != 200:
            raise RuntimeError(f"{label}: HTTP {response.status_code}")
        with count_queries() as q:
            client.get(url, params, headers=headers)
        medians.append(median(times))
        counts.append(q.count)
        notes.append(f"{label}: median {median(times):.0f} ms, p95 {p95(times):.0f} ms, {q.count} kueri")
    # Same page, other filters or page numbers: the query count must not change (an HTMX fragment may differ
    # from the full page, but not between filters either).
    by_kind: dict[bool, set[int]] = {}
    for (_, _, headers), count in zip(variants, counts, strict=True):
        by_kind.setdefault(bool(headers), set()).add(count)
    constant = all(len(c) == 1 for c in by_kind.values())
    constant = "jumlah kueri tetap antar-filter" if constant else "JUMLAH KUERI BERUBAH ANTAR-FILTER"
    return Result(max(medians), queries=max(counts), notes="; ".join(notes) + f" ({constant})")


def opd_near(size: int) -> tuple[int, Any]:
    """The OPD (a child of the pemda root) whose subtree holds the head-count closest to `size`."""
    from django.db.models import Count

    from simasn.employees.models import Employee
    from simasn.org.models import Unit

    root = Unit.objects.get(parent__isnull=True)
    opds = list(Unit.objects.filter(parent=root))
    by_path = dict(Employee.objects.values_list("unit__path").annotate(n=Count("id")))
    sized = [(sum(n for path, n in by_path.items() if path.startswith(opd.path)), opd) for opd in opds]
    return min(sized, key=lambda pair: abs(pair[0] - size))
