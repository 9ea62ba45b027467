"""Load testing over real HTTP: a gunicorn started like scripts/serve.sh, and a closed-loop load generator.

The generator is stdlib asyncio on raw sockets: `concurrency` connections each send a request, read the whole
answer and send the next, so at most `concurrency` requests are in flight (a closed loop, like 32 phones that
retry at once). gunicorn's sync workers answer `Connection: close`, so every request opens its own TCP
connection; the latency is the client's view: connect, send, wait, read the last byte. One asyncio loop
costs the client ~0.1 ms of CPU per request, which on a 2-core machine is taken from the server, the same
for the floor and the check-in.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass
class Outcome:
    """What a load run saw: per-request latencies (ms) and statuses (0: no HTTP answer), the wall time."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of the load generator itself

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, int(share * len(ordered) + 0.5) - 1))]

    def merge(self, other: Outcome) -> None:
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors.update(other.errors)
        self.seconds += other.seconds
        self.client_cpu += other.client_cpu

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        statuses = ", ".join(f"{k if k else 'tanpa jawaban'}×{v}" for k, v in sorted(self.statuses.items()))
        return (f"{self.rate:,.0f} req/s, p50 {self.percentile(0.5):.0f} ms, p99 {self.percentile(0.99):.0f} ms "
                f"({self.count} permintaan dalam {self.seconds:.1f} s; {statuses}; CPU pembangkit beban "
                f"{1000 * self.client_cpu / max(self.count, 1):.2f} ms/permintaan)")


def http_request(method: str, target: str, *, host: str, headers: dict[str, str] | None = None,
                 body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Connection: close", "User-Agent: simasn-bench"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _exchange(host: str, port: int, request: bytes, timeout: float) -> tuple[int, bytes]:
    """Send one request on a new connection; the status and the whole answer (the server closes)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(request)
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head = data.split(b"\r\n", 1)[0].split()
    return (int(head[1]) if len(head) >= 2 and head[1].isdigit() else 0), data


async def _closed_loop(host: str, port: int, make: Callable[[], bytes], *, concurrency: int, seconds: float,
                       timeout: float) -> Outcome:
    out = Outcome()
    deadline = time.perf_counter() + seconds

    async def connection_slot() -> None:
        while time.perf_counter() < deadline:
            request = make()
            started = time.perf_counter()
            try:
                status, _ = await _exchange(host, port, request, timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
                status = 0
                out.errors[type(exc).__name__] += 1
            out.latencies.append((time.perf_counter() - started) * 1000)
            out.statuses[status] += 1

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(connection_slot() for _ in range(concurrency)))
    out.seconds = time.perf_counter() - started
    out.client_cpu = time.process_time() - cpu
    return out


def closed_loop(port: int, make: Callable[[], bytes], *, concurrency: int, seconds: float,
                timeout: float = 30.0, host: str = "127.0.0.1") -> Outcome:
    """`concurrency` connections sending `make()` requests back to back for `seconds`."""
    return asyncio.run(_closed_loop(host, port, make, concurrency=concurrency, seconds=seconds, timeout=timeout))


async def _burst(host: str, port: int, requests: list[bytes], timeout: float
                 ) -> tuple[Outcome, list[tuple[int, bytes]]]:
    out = Outcome()
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(requests)
    gate = asyncio.Event()

    async def send(i: int, request: bytes) -> None:
        await gate.wait()
        started = time.perf_counter()
        try:
            answers[i] = await _exchange(host, port, request, timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            out.errors[type(exc).__name__] += 1
        out.latencies.append((time.perf_counter() - started) * 1000)
        out.statuses[answers[i][0]] += 1

    tasks = [asyncio.create_task(send(i, r)) for i, r in enumerate(requests)]
    await asyncio.sleep(0)  # every task waits at the gate
    started = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    out.seconds = time.perf_counter() - started
    return out, answers


def burst(port: int, requests: Iterable[bytes], *, timeout: float = 120.0, host: str = "127.0.0.1"
          ) -> tuple[Outcome, list[tuple[int, bytes]]]:
    """Every request on its own connection, all released at once; the outcome and each (status, answer)."""
    requests = list(requests)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = len(requests) + 256
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    return asyncio.run(_burst(host, port, requests, timeout))


@contextmanager
def generator_first(niceness: int = -10) -> Iterator[bool]:
    """Run the load generator ahead of the server on the CPUs they share (whether it could: lowering a
    process's niceness needs root).

    Phones in the field have CPUs of their own. Here the generator waits for one like any process, and while
    it waits, answers the server has already sent sit unread and count as the server's latency (the floor's
    p99 went from ~95 to ~60 ms with the generator first, its rate unchanged). Entered after gunicorn has
    started, so its workers keep the ordinary priority."""
    before = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
    except OSError:
        yield False
        return
    try:
        yield True
    finally:
        os.setpriority(os.PRIO_PROCESS, 0, before)


# --- the server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with the flags of scripts/serve.sh (workers from SIMASN_WEB_WORKERS, default 3; timeout 60,
    graceful 10, max-requests 20000 ± 2000, preload) on a free port, against the database in DATABASE_URL
    (run.py has pointed it at the benchmark database), with `settings_module` (floor_settings adds the floor URL)."""

    def __init__(self, *, log_path: Path, settings_module: str = "floor_settings") -> None:
        self.port = free_port()
        self.workers = int(os.environ.get("SIMASN_WEB_WORKERS", "3"))
        self.log_path = log_path
        self.settings_module = settings_module
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "10",
            "--max-requests", "20000", "--max-requests-jitter", "2000", "--preload",
            "--chdir", str(ROOT), "--pythonpath", str(BENCH_DIR),
        ]

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": self.settings_module, "DEBUG": "0",
               "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH_DIR)])}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        """Until every worker has booted and one answers HTTP."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn berhenti (kode {self.process.returncode}): {self.log_tail()}")
            if self.worker_boots() >= self.workers:
                try:
                    status, _ = asyncio.run(_exchange("127.0.0.1", self.port, http_request(
                        "GET", "/akun/masuk/", host="127.0.0.1"), 10))
                    if status:
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn tidak siap dalam {timeout:.0f} s: {self.log_tail()}")

    def worker_boots(self) -> int:
        return self.log_path.read_text(errors="replace").count("Booting worker")

    def log_tail(self, lines: int = 15) -> str:
        return " | ".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
