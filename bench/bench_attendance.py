"""Benchmarks of issue 4 (e-Absensi): check-in load against a floor, the idempotency storm, the live board, the
month's recompute and the monthly recap for the whole city.

The load benchmarks run over real HTTP against gunicorn started like scripts/serve.sh (loadtest.Gunicorn) on
the benchmark database; the floor is a bench-only view that inserts one row (floor_urls). Everything else is
in-process like the other page benchmarks. Linear growth: run with --employees 1000 and 10000 and compare the
per-employee figures in the notes of recompute and recap.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import uuid
from collections import Counter
from typing import Any

from registry import Result, Skip, benchmark
from support import count_queries, measure_pages, median, stopwatch, timed_requests

CONCURRENCY = 32
WARMUP_SECONDS = 3.0
ROUND_SECONDS = 8.0
ROUNDS = 2  # floor and check-in alternate, so a neighbour's burst on the machine hits both alike
STORM_REQUESTS = 1000
STORM_CLIENT_IDS = 300
MIN_RATIO_PERCENT = 40.0
MAX_LOAD_TOKENS = 8000  # employees with a phone token for the load (each checks in once, if enough)
PREBUILT_CHECKINS = 25_000  # more than 32 connections send in the warm-up and the rounds (~800 req/s at most)
WITA = dt.timezone(dt.timedelta(hours=8))
STALE = "(basi: benchmark)"  # a schedule name no recompute writes


# --- who checks in, where --------------------------------------------------------------------------------------


def _office_positions(seed: int) -> list[tuple[int, int, float, float]]:
    """(employee id, user id, latitude, longitude) of serving employees with a login, each at a point well
    inside the nearest office location of his unit line (the deepest unit with one)."""
    from simasn.employees.models import Employee
    from simasn.employees.selectors import DEPARTED_STATUSES
    from simasn.org.models import OfficeLocation

    by_path: dict[str, Any] = {}
    for loc in OfficeLocation.objects.filter(is_active=True).select_related("unit").order_by("id"):
        by_path.setdefault(loc.unit.path, loc)
    rng = random.Random(seed)
    out = []
    rows = (Employee.objects.exclude(status__in=DEPARTED_STATUSES).filter(user__isnull=False, user__is_active=True)
            .order_by("pk").values_list("pk", "user_id", "unit__path"))
    for employee_id, user_id, path in rows:
        segments = path.strip("/").split("/")
        loc = next((by_path[p] for p in ("/" + "/".join(segments[:d]) + "/" for d in range(len(segments), 0, -1))
                    if p in by_path), None)
        if loc is None:
            continue
        distance = rng.uniform(0, min(loc.radius_m * 0.5, 40))
        bearing = rng.uniform(0, 2 * math.pi)
        out.append((employee_id, user_id, loc.latitude + distance * math.cos(bearing) / 111_320,
                    loc.longitude + distance * math.sin(bearing) / 111_320))
    return out


def _issue_tokens(people: list[tuple[int, int, float, float]], prefix: str) -> tuple[list[tuple[str, float, float]],
                                                                                     float]:
    """A device token per employee through the service the login endpoint calls; (token, lat, lon) and the
    seconds it took."""
    from simasn.accounts.models import User
    from simasn.accounts.services import device_token_issue

    users = User.objects.in_bulk([user_id for _, user_id, _, _ in people])
    out = []
    with stopwatch() as t:
        for employee_id, user_id, lat, lon in people:
            _, raw = device_token_issue(user=users[user_id], device_id=f"{prefix}-{employee_id}")
            out.append((raw, lat, lon))
    return out, t["seconds"]


def _checkin_request(host: str, token: str, lat: float, lon: float, *, client_id: uuid.UUID | None = None,
                     client_time: dt.datetime | None = None) -> bytes:
    from loadtest import http_request

    body = json.dumps({
        "client_id": str(client_id or uuid.uuid4()), "kind": "in",
        "client_time": (client_time or dt.datetime.now(WITA) - dt.timedelta(seconds=1)).isoformat(),
        "latitude": lat, "longitude": lon, "accuracy_m": 12.5, "mock_location": False,
    }).encode()
    return http_request("POST", "/api/v1/attendance/check-ins", host=host, body=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})


# --- one server for the load and the storm -------------------------------------------------------------------


def _server_runs(ctx) -> dict[str, Any]:
    """Start gunicorn once, measure floor vs check-in at 32 connections, then the idempotency storm; cached in
    ctx.state so the three benchmarks built on it share one server and one measurement."""
    if "attendance_load" in ctx.state:
        return ctx.state["attendance_load"]
    import floor_urls
    from loadtest import Gunicorn, Outcome, burst, closed_loop, generator_first, http_request

    from simasn.attendance.models import CheckInEvent

    people = _office_positions(ctx.seed)
    if len(people) < STORM_CLIENT_IDS + 100:
        raise Skip(f"hanya {len(people)} pegawai dengan akun dan lokasi kantor")
    storm_people = people[-STORM_CLIENT_IDS:]
    load_people = people[:-STORM_CLIENT_IDS][:MAX_LOAD_TOKENS]
    random.Random(ctx.seed).shuffle(load_people)  # a city's morning, not one OPD after another
    load_tokens, token_seconds = _issue_tokens(load_people, "bench-load")
    storm_tokens, _ = _issue_tokens(storm_people, "bench-storm")
    floor_urls.create_floor_table()
    out: dict[str, Any] = {"tokens": len(load_tokens) + len(storm_tokens), "token_seconds": token_seconds,
                           "baselines": _baselines_for(load_people)}
    try:
        with Gunicorn(log_path=ctx.var_dir / "gunicorn-attendance.log") as server:
            host = f"127.0.0.1:{server.port}"
            floor_body = _checkin_request(host, *load_tokens[0]).split(b"\r\n\r\n", 1)[1]
            floor_request = http_request("POST", "/" + floor_urls.FLOOR_PATH, host=host, body=floor_body,
                                         headers={"Content-Type": "application/json"})
            position = {"next": 0}
            # Built before the clock starts, like the floor's one request: the load generator shares the
            # machine's CPUs with the server, and building a body per request (JSON, UUID, time) cost it
            # 0.25 ms more per check-in than per floor request, which the ratio charged to the check-in.
            prebuilt = [_checkin_request(host, *load_tokens[i % len(load_tokens)]) for i in range(PREBUILT_CHECKINS)]

            def next_checkin() -> bytes:
                i = position["next"]
                position["next"] += 1
                if i < len(prebuilt):
                    return prebuilt[i]
                return _checkin_request(host, *load_tokens[i % len(load_tokens)])

            boots = server.worker_boots()
            with generator_first() as out["generator_first"]:
                closed_loop(server.port, lambda: floor_request, concurrency=CONCURRENCY, seconds=WARMUP_SECONDS)
                closed_loop(server.port, next_checkin, concurrency=CONCURRENCY, seconds=WARMUP_SECONDS)
                warm_checkins = position["next"]
                floor, checkin = Outcome(), Outcome()
                for _ in range(ROUNDS):
                    floor.merge(closed_loop(server.port, lambda: floor_request, concurrency=CONCURRENCY,
                                            seconds=ROUND_SECONDS))
                    checkin.merge(closed_loop(server.port, next_checkin, concurrency=CONCURRENCY,
                                              seconds=ROUND_SECONDS))
            out.update(floor=floor, checkin=checkin, workers=server.workers, checkins_sent=position["next"],
                       warm_checkins=warm_checkins, restarts=server.worker_boots() - boots,
                       distinct_employees=len(load_tokens))

            rng = random.Random(ctx.seed + 4)
            moment = dt.datetime.now(WITA) - dt.timedelta(seconds=2)
            ids = [uuid.uuid4() for _ in range(STORM_CLIENT_IDS)]
            bodies = [_checkin_request(host, token, lat, lon, client_id=cid, client_time=moment)
                      for cid, (token, lat, lon) in zip(ids, storm_tokens, strict=True)]
            requests = [bodies[i % STORM_CLIENT_IDS] for i in range(STORM_REQUESTS)]
            rng.shuffle(requests)
            storm, _answers = burst(server.port, requests)
            out.update(storm=storm, storm_stored=CheckInEvent.objects.filter(client_id__in=ids).count(),
                       storm_restarts=server.worker_boots() - boots - out["restarts"])
    finally:
        out["floor_rows"] = floor_urls.floor_rows()
        floor_urls.drop_floor_table()
    events = CheckInEvent.objects.filter(device_id__startswith="bench-load-")
    out["checkin_stored"] = events.count()
    out["checkin_flagged"] = events.filter(status="flagged").count()
    # Which checks fired depends on the clock (a Sunday-night run is OUTSIDE_WINDOW for everyone): shown, so a
    # reader knows which path the measured check-ins took.
    out["checkin_flags"] = Counter(flag for flags in events.values_list("flags", flat=True) for flag in flags)
    ctx.state["attendance_load"] = out
    return out


def _baselines_for(people: list[tuple[int, int, float, float]]) -> int:
    """How many of the load's employees have today's arrival baseline (left by the seed as by a nightly
    close): those check-ins read it instead of their daily records."""
    from django.utils import timezone

    from simasn.attendance.models import ArrivalBaseline

    ids = [employee_id for employee_id, _, _, _ in people]
    return ArrivalBaseline.objects.filter(as_of=timezone.localdate(), employee_id__in=ids).count()


def _ratio(run: dict[str, Any]) -> float:
    return 100 * run["checkin"].rate / run["floor"].rate if run["floor"].rate else 0.0


def _load_notes(ctx, run: dict[str, Any]) -> str:
    checkin, floor = run["checkin"], run["floor"]
    repeats = run["checkins_sent"] - run["distinct_employees"]
    return (
        f"{run['workers']} worker gunicorn sync (seperti scripts/serve.sh), {CONCURRENCY} koneksi, "
        f"{ROUNDS}×{ROUND_SECONDS:.0f} s bergantian setelah pemanasan, pembangkit beban "
        f"{'didahulukan (nice -10)' if run['generator_first'] else 'TIDAK didahulukan (bukan root)'}; "
        "lantai (view Django polos, satu INSERT): "
        f"{floor.summary()}; check-in tanpa foto (token perangkat, client_id baru, di dalam geofence): "
        f"{checkin.summary()}; rasio {_ratio(run):.0f} % dari lantai (target ≥ {MIN_RATIO_PERCENT:.0f} %); "
        f"{run['checkin_stored']} presensi tersimpan (termasuk pemanasan; {run['checkin_flagged']} ditandai: "
        f"{', '.join(f'{k}×{v}' for k, v in run['checkin_flags'].most_common(4)) or '—'}), "
        f"{run['floor_rows']} baris lantai; {run['distinct_employees']} pegawai bertoken, "
        f"{run['baselines']} di antaranya dengan riwayat kedatangan hari ini (ARRIVAL_OUTLIER, baselines.py)"
        + (f" ({repeats} check-in berulang oleh pegawai yang sama)" if repeats > 0 else "")
        + f"; {run['restarts']} worker dimulai ulang (max-requests) selama pengukuran; "
        f"{run['tokens']} token diterbitkan lewat accounts.services dalam {run['token_seconds']:.1f} s (tidak diukur)"
    )


@benchmark("attendance_checkin_load", unit="ms", target=150, order=800, source="issue 4",
           title="Check-in API tanpa foto, 32 koneksi, gunicorn: p99 (dan rasio ≥ 40 % lantai)")
def attendance_checkin_load(ctx) -> Result:
    run = _server_runs(ctx)
    checkin = run["checkin"]
    p99 = checkin.percentile(0.99)
    bad = checkin.server_errors + checkin.statuses.get(0, 0) + sum(
        n for status, n in checkin.statuses.items() if status not in (200, 201) and status)
    ok = p99 < 150 and _ratio(run) >= MIN_RATIO_PERCENT and bad == 0
    notes = _load_notes(ctx, run)
    if _ratio(run) < MIN_RATIO_PERCENT:
        notes = f"RASIO DI BAWAH {MIN_RATIO_PERCENT:.0f} %; " + notes
    if bad:
        notes = f"{bad} JAWABAN BUKAN 200/201; " + notes
    return Result(p99, notes=notes, status="pass" if ok else "fail")


@benchmark("attendance_checkin_ratio", title="Check-in API: req/s sebagai % dari lantai", unit="%",
           target=MIN_RATIO_PERCENT, higher_is_better=True, order=801, source="issue 4")
def attendance_checkin_ratio(ctx) -> Result:
    run = _server_runs(ctx)
    ratio = _ratio(run)
    return Result(ratio, notes=(
        f"check-in "
        f"{run['checkin'].rate:,.0f} req/s, lantai {run['floor'].rate:,.0f} req/s"))


@benchmark("attendance_idempotency_storm", title="1.000 check-in serentak dengan 300 client_id → tepat 300 presensi",
           unit="s", order=802, source="issue 4")
def attendance_idempotency_storm(ctx) -> Result:
    run = _server_runs(ctx)
    storm = run["storm"]
    created, replayed = storm.statuses.get(201, 0), storm.statuses.get(200, 0)
    ok = run["storm_stored"] == STORM_CLIENT_IDS and storm.server_errors == 0 and storm.statuses.get(0, 0) == 0
    statuses = ", ".join(f"{k if k else 'tanpa jawaban'}×{v}" for k, v in sorted(storm.statuses.items()))
    errors = f"; galat koneksi {dict(storm.errors)}" if storm.errors else ""
    return Result(storm.seconds, status="pass" if ok else "fail", notes=(
        f"{'' if ok else 'GAGAL: '}{run['storm_stored']} presensi tersimpan untuk {STORM_CLIENT_IDS} client_id "
        f"(harus tepat {STORM_CLIENT_IDS}), {storm.server_errors} jawaban 5xx; {STORM_REQUESTS} koneksi dilepas "
        f"sekaligus: {created} dibuat (201), {replayed} diulang (200); status {statuses}{errors}; "
        f"p50 {storm.percentile(0.5):.0f} ms, p99 {storm.percentile(0.99):.0f} ms, "
        f"{run['storm_restarts']} worker dimulai ulang"))


# --- in-process reads and the recompute -------------------------------------------------------------------------


def _previous_month() -> tuple[dt.date, dt.date]:
    from django.utils import timezone

    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def _employee_count() -> int:
    from simasn.employees.models import Employee
    from simasn.employees.selectors import DEPARTED_STATUSES

    return Employee.objects.exclude(status__in=DEPARTED_STATUSES).count()


def _last_working_morning() -> dt.datetime:
    """10:00 of the latest working day before today: a board full of arrivals, whatever day the bench runs."""
    from django.utils import timezone

    from simasn.workcalendar import days as workdays

    day = timezone.localdate() - dt.timedelta(days=1)
    while not workdays.is_working_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())


def _board_variants(ctx, label: str) -> tuple[Result, str]:
    """The page, the polling fragment with a change and the polling 204 without one, at the current clock."""
    from django.urls import reverse

    from simasn.attendance.board import board_data
    from simasn.attendance.selectors import CITY, MonitoringScope

    board = board_data(scope=MonitoringScope(CITY))
    poll = reverse("attendance:board_live")
    result = measure_pages(ctx, reverse("attendance:board"), [(f"halaman ({label})", {}, {})])
    polling = measure_pages(ctx, poll, [(f"polling dengan perubahan ({label})", {"after": 0},
                                         {"HX-Request": "true"})])
    client = ctx.client()
    times, response = timed_requests(lambda: client.get(poll, {"after": board.last_event_id, "v": board.version},
                                                        headers={"HX-Request": "true"}))
    if response.status_code != 204:
        raise RuntimeError(f"polling tanpa perubahan: HTTP {response.status_code}, bukan 204")
    result.value = max(result.value, polling.value, median(times))
    result.queries = max(result.queries, polling.queries)
    result.notes = (f"{result.notes}; {polling.notes}; polling tanpa perubahan (204, {label}): median "
                    f"{median(times):.1f} ms; di papan {board.total.expected:,} pegawai wajib hadir, "
                    f"{board.total.present:,} hadir, {len(board.latest)} presensi terbaru")
    return result, label


@benchmark("attendance_board_city", title="Pantauan langsung seluruh kota (halaman + polling, 20 permintaan)",
           unit="ms", target=100, order=300, source="issue 4")
def attendance_board_city(ctx) -> Result:
    from unittest import mock

    from django.utils import timezone

    from simasn.attendance.models import CheckInEvent, DailyRecord

    now_result, _ = _board_variants(ctx, f"sekarang, {timezone.localtime():%a %d-%m %H:%M}")
    # The clock of the second round is the latest working day's 10:00, so a bench run on a Sunday night still
    # measures a board of ~all employees expected and most of them in (the view reads timezone.now()).
    morning = _last_working_morning()
    with mock.patch.object(timezone, "now", lambda: morning):
        work_result, _ = _board_variants(ctx, f"{morning:%a %d-%m} 10:00")
    history, records = CheckInEvent.objects.count(), DailyRecord.objects.count()
    return Result(max(now_result.value, work_result.value), queries=max(now_result.queries, work_result.queries),
                  notes=(f"{now_result.notes}; {work_result.notes}; riwayat {history:,} presensi, {records:,} rekap "
                         f"harian (--days {ctx.days})"))


@benchmark("attendance_recompute_month", title="Hitung ulang rekap harian seluruh pegawai satu bulan (bulan lalu)",
           unit="s", target=60, order=310, source="issue 4")
def attendance_recompute_month(ctx) -> Result:
    from simasn.attendance.models import DailyRecord
    from simasn.attendance.recompute import recompute_days
    from simasn.employees.models import Employee

    first, last = _previous_month()
    ids = list(Employee.objects.values_list("pk", flat=True))
    month = DailyRecord.objects.filter(date__range=(first, last))
    # Every stored record of the month made stale, so the recompute has to derive and rewrite all of them.
    stale = month.update(schedule_name=STALE)
    with stopwatch() as t, count_queries() as q:
        stats = recompute_days(ids, first, last)
    with stopwatch() as again:
        second = recompute_days(ids, first, last)
    left_stale = month.filter(schedule_name=STALE).count()
    serving = stats["employees"]
    ok = second["written"] == 0 and second["deleted"] == 0 and left_stale == 0 and stats["written"] >= stale
    per_employee = t["seconds"] / serving * 1000 if serving else 0
    notes = (
        f"{first:%Y-%m} ({first:%d}–{last:%d}): {serving:,} pegawai, {stale:,} rekap dibuat basi lalu "
        f"{stats['written']:,} ditulis ({stats['written'] - stale:,} baru), {stats['deleted']} dihapus; "
        f"{per_employee:.2f} ms/pegawai, "
        f"{t['seconds'] / max(stats['written'], 1) * 1e6:.0f} µs/rekap; kedua kali (idempoten) "
        f"{again['seconds']:.1f} s: {second['written']} ditulis, {second['deleted']} dihapus, "
        f"{second['unchanged']:,} tetap")
    if not ok:
        return Result(t["seconds"], queries=q.count, status="fail", notes="TIDAK IDEMPOTEN/TIDAK LENGKAP: " + notes)
    return Result(t["seconds"], queries=q.count, notes=notes)


@benchmark("attendance_recap_city", title="Rekap presensi bulanan seluruh kota (halaman, 5 permintaan)", unit="s",
           target=5, order=320, source="issue 4")
def attendance_recap_city(ctx) -> Result:
    from django.urls import reverse

    from simasn.attendance import recap
    from simasn.attendance.selectors import CITY, MonitoringScope

    first, _last = _previous_month()
    client = ctx.client()
    url = reverse("attendance:recap")
    times, response = timed_requests(lambda: client.get(url, {"bulan": f"{first:%Y-%m}"}), repeat=5, warmup=1)
    times = [ms / 1000 for ms in times]
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    with count_queries() as q:
        client.get(url, {"bulan": f"{first:%Y-%m}"})
    scope = MonitoringScope(CITY)
    with stopwatch() as rows_t:
        rows = recap.recap_rows(scope=scope, month=first)
    with stopwatch() as xlsx_t:
        content, _, _ = recap.export_xlsx(viewer=ctx.user(), scope=scope, month=first)
    page = median(times)
    employees = len(rows)
    return Result(page, queries=q.count, notes=(
        f"{first:%Y-%m}, {employees:,} pegawai dengan rekap ({_employee_count():,} aktif): halaman median "
        f"{page:.2f} s ({page / max(employees, 1) * 1e6:.0f} µs/pegawai), recap_rows saja {rows_t['seconds']:.2f} s; "
        f"ekspor .xlsx {xlsx_t['seconds']:.2f} s ({len(content) / 1e6:.1f} MB, "
        f"{xlsx_t['seconds'] / max(employees, 1) * 1e6:.0f} µs/pegawai)"))
