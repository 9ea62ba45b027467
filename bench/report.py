"""The results table: printed to the terminal and written into docs/benchmarks.md.

docs/benchmarks.md keeps one section per database engine between markers, so a PostgreSQL run replaces
the PostgreSQL section and leaves the SQLite figures in place (and the other way round).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from registry import Benchmark, Result

VERDICT = {"pass": "lulus", "fail": "GAGAL", "report": "—", "skipped": "dilewati", "error": "GALAT"}
HEADER = """# Benchmark SIMASN

Dibuat otomatis oleh `make bench` (`.venv/bin/python bench/run.py`); jangan disunting dengan tangan.
Setiap bagian memuat hasil terakhir pada satu mesin basis data. Basis data benchmark terpisah dari basis
data aplikasi (`var/bench/`, atau basis data `simasn_bench` di PostgreSQL) dan dibuat ulang setiap kali.

Waktu halaman dan API adalah waktu server di dalam proses (Django test client: middleware, view, kueri,
template; tanpa jaringan), median dari 20 permintaan setelah 2 pemanasan. "Kueri" adalah jumlah perintah
SQL satu permintaan (untuk halaman) atau seluruh operasi (untuk yang lain). Target berasal dari issue yang
disebut; tanpa target, angka hanya dilaporkan. Lihat docs/scaling.md untuk cara membaca angka ini.
"""


def busy_machine() -> bool:
    """More runnable processes than CPUs besides the benchmark itself (and its database server)."""
    try:
        return os.getloadavg()[1] > (os.cpu_count() or 1) + 1
    except OSError:
        return False


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def rows(results: list[tuple[Benchmark, Result]], titles: dict[str, str]) -> list[list[str]]:
    out = []
    for bench, result in results:
        bound = "≥" if bench.higher_is_better else "<"
        target = f"{bound} {_fmt(result.target, result.unit)}" if result.target is not None else "—"
        out.append([
            titles[bench.name], _fmt(result.value, result.unit), target, VERDICT.get(result.status, result.status),
            "—" if result.queries is None else f"{result.queries:,}",
        ])
    return out


def table_text(table: list[list[str]]) -> str:
    head = ["Benchmark", "Hasil", "Target", "Status", "Kueri"]
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [head, *table]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def section_markdown(vendor: str, info: dict[str, str], run: dict[str, str],
                     results: list[tuple[Benchmark, Result]], titles: dict[str, str]) -> str:
    lines = [f"## {vendor}", ""]
    lines += [f"- {key}: {value}" for key, value in {**run, **info}.items()]
    if busy_machine():
        lines += ["", "**Perhatian:** beban rata-rata mesin melebihi jumlah CPU (+1 untuk benchmark sendiri) selama "
                      "pengukuran: proses lain ikut berjalan, jadi angka waktu di bawah lebih lambat daripada pada "
                      "mesin yang diam."]
    lines += ["", "| Benchmark | Hasil | Target | Status | Kueri |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows(results, titles)]
    lines += ["", "Catatan:", ""]
    for bench, result in results:
        source = f" Sumber target: {bench.source}." if bench.source and result.target is not None else ""
        notes = (result.notes or "—").rstrip(".")
        lines.append(f"- **{titles[bench.name]}** — {notes}.{source}")
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, vendor: str, section: str) -> None:
    """Rewrite the file: the header, then one block per engine, this engine's block replaced or added."""
    key = re.sub(r"\W+", "-", vendor.lower()).strip("-")
    pattern = re.compile(r"<!-- bench:([\w-]+):start -->\n.*?<!-- bench:\1:end -->\n", re.S)
    blocks = {m.group(1): m.group(0) for m in pattern.finditer(path.read_text())} if path.exists() else {}
    blocks[key] = f"<!-- bench:{key}:start -->\n{section}<!-- bench:{key}:end -->\n"
    path.write_text(HEADER + "".join(f"\n{block}" for _, block in sorted(blocks.items(), reverse=True)))
