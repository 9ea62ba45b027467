"""The benchmark registry: every benchmark is a function registered under a name.

Later issues add benchmarks in their own module `bench/bench_<area>.py` (run.py imports every such module):

    from registry import Result, benchmark

    @benchmark("attendance_checkin", title="Check-in API, 8 threads", unit="ms", target=200, order=300)
    def attendance_checkin(ctx):
        ...
        return Result(value=median_ms, queries=queries, notes="p95 …")

Benchmarks run in `order` (then registration order). The city is seeded by the benchmark with order 0;
benchmarks that add data (imports) use a high order so that earlier ones see the seeded city only.
A benchmark raises `Skip("why")` when what it measures does not exist yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Skip(Exception):
    """What this benchmark measures is not available; the reason is reported instead of a figure."""


@dataclass
class Result:
    value: float | None
    unit: str = ""
    target: float | None = None  # upper bound (lower bound when higher_is_better); None: no verdict
    queries: int | None = None
    notes: str = ""
    status: str = ""  # pass | fail | report | skipped | error (filled in by the runner)


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    unit: str
    target: float | None
    order: int
    func: Callable[[Any], Result]
    source: str  # the issue or requirement the target comes from
    higher_is_better: bool = False  # the target is a lower bound (a throughput ratio, say)


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, title: str, unit: str, target: float | None = None, order: int = 100,
              source: str = "", higher_is_better: bool = False
              ) -> Callable[[Callable[[Any], Result]], Callable[[Any], Result]]:
    def register(func: Callable[[Any], Result]) -> Callable[[Any], Result]:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(name, title, unit, target, order, func, source, higher_is_better)
        return func

    return register


def ordered() -> list[Benchmark]:
    position = {name: i for i, name in enumerate(REGISTRY)}
    return sorted(REGISTRY.values(), key=lambda b: (b.order, position[b.name]))


def run_one(bench: Benchmark, ctx: Any) -> Result:
    """Run a benchmark; fill in unit/target defaults and the verdict. Never raises."""
    try:
        result = bench.func(ctx)
    except Skip as exc:
        return Result(None, bench.unit, bench.target, notes=f"dilewati: {exc}", status="skipped")
    except Exception as exc:  # a broken benchmark is reported, the others still run
        return Result(None, bench.unit, bench.target, notes=f"galat: {type(exc).__name__}: {exc}", status="error")
    result.unit = result.unit or bench.unit
    if result.target is None:
        result.target = bench.target
    if result.status:
        return result  # the benchmark gave its own verdict (e.g. a broken audit chain)
    if result.value is None:
        result.status = "error"
    elif result.target is None:
        result.status = "report"
    else:
        met = result.value >= result.target if bench.higher_is_better else result.value <= result.target
        result.status = "pass" if met else "fail"
    return result
