"""Run the SIMASN benchmarks on a database of their own and write docs/benchmarks.md.

    .venv/bin/python bench/run.py [--employees 10000] [--days 250] [--only seed_demo,audit_verify]
    .venv/bin/python bench/run.py --database-url postgres://user:pass@127.0.0.1:5432/simasn_bench

SQLite runs use var/bench/bench.sqlite3, recreated each run. A PostgreSQL database whose name starts with
"simasn_bench" (the default name) is dropped and recreated; any other database is created if missing and
then protected by seed_demo's own guard, which refuses to touch non-demo data. Never the app's database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import re
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VAR_DIR = ROOT / "var" / "bench"
DEFAULT_PG_NAME = "simasn_bench"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=0, help="attendance history days passed to seed_demo")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default: SQLite under var/bench/")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (the city is always built)")
    parser.add_argument("--list", action="store_true", help="list the registered benchmarks and exit")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--var-dir", default="", help="where the SQLite database and media go (var/bench/)")
    return parser.parse_args(argv)


def _postgres_url(url: str) -> str:
    """The URL with the benchmark database name filled in when it has none; the database exists afterwards."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config.get("NAME") or DEFAULT_PG_NAME
    if not config.get("NAME"):
        url = url.rstrip("/") + "/" + name
    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None,
              "user": config.get("USER") or None, "password": config.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and name.startswith(DEFAULT_PG_NAME):
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def configure(args: argparse.Namespace) -> None:
    """Point Django at the benchmark database before it is imported; never at var/simasn.sqlite3."""
    (VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT, or WhiteNoise warns
    os.environ["SIMASN_VAR_DIR"] = str(VAR_DIR)  # media (import uploads) stay under var/bench too
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("DEBUG", "0")  # production-like templates; the query counter does not need DEBUG
    if args.database_url:
        os.environ["DATABASE_URL"] = _postgres_url(args.database_url)
    else:
        database = VAR_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path[:0] = [str(ROOT), str(BENCH_DIR)]


def load_benchmarks() -> None:
    for module in sorted(BENCH_DIR.glob("bench_*.py")):
        importlib.import_module(module.stem)


def main(argv: list[str] | None = None) -> int:
    global VAR_DIR
    args = parse_args(argv)
    if args.var_dir:  # two runs side by side must not share (and recreate) one database
        VAR_DIR = Path(args.var_dir).resolve()
    configure(args)
    import django

    django.setup()
    import report
    from django.core.management import call_command
    from django.db import connection
    from registry import ordered, run_one
    from support import Context, machine_info

    load_benchmarks()
    if args.list:
        for bench in ordered():
            print(f"{bench.name:28} {bench.title}")
        return 0
    call_command("migrate", verbosity=0)
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    version = ""
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.parameter_status("server_version") or ""
    info = machine_info(vendor, version)
    ctx = Context(employees=args.employees, days=args.days, seed=args.seed, var_dir=VAR_DIR)
    always = {"seed_demo", "attendance_history"}  # the city and its history, which the others measure
    only = {name for name in args.only.split(",") if name} | (always if args.only else set())
    titles, results = {}, []
    for bench in ordered():
        if only and bench.name not in only:
            continue
        titles[bench.name] = bench.title.format(employees=f"{args.employees:,}".replace(",", "."), days=args.days)
        print(f"… {titles[bench.name]}", flush=True)
        result = run_one(bench, ctx)
        results.append((bench, result))
        print(f"  {report.VERDICT.get(result.status, result.status)}: {result.notes}", flush=True)

    print()
    print(report.table_text(report.rows(results, titles)))
    command = " ".join(argv if argv is not None else sys.argv[1:])
    run = {
        "Tanggal": dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "Perintah": "bench/run.py " + re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", command),
        "Beban rata-rata saat selesai": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    if not args.no_write:
        target = ROOT / "docs" / "benchmarks.md"
        report.write_markdown(target, vendor, report.section_markdown(vendor, info, run, results, titles))
        print(f"\nDitulis: {target.relative_to(ROOT)} (bagian {vendor})")
    return 1 if any(r.status in ("fail", "error") for _, r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
