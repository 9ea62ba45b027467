"""The idempotency storm of issue 4: many threads post 300 distinct client_ids, each several times and in
shuffled order → exactly 300 events, no 5xx, and every retry answered 200 with the first answer's id.

Each thread has its own database connection, as gunicorn workers do. SQLite's test database lives in
memory with a shared cache, where concurrent writers fail with "table is locked" instead of waiting; so on
SQLite the storm runs against a migrated file database with the production options (WAL, IMMEDIATE
transactions, busy timeout), which is what `make run` uses. On PostgreSQL it runs on the test database.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from simasn.attendance.models import CheckInEvent

from .capture_helpers import API, URLCONF, at, bearer, body, five_day_schedule, office_for, token_for, working_monday

pytestmark = [pytest.mark.urls(URLCONF), pytest.mark.django_db(transaction=True)]

NOW = at(working_monday(), "07:20")
DISTINCT = 300
COPIES = 3  # 900 requests
THREADS = 12
EMPLOYEES = 6


def in_thread(fn, *args):
    """Run fn in a fresh thread (its own connection), closing that connection afterwards."""
    result: dict = {}

    def run():
        try:
            result["value"] = fn(*args)
        except BaseException as exc:  # re-raised in the caller
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


@contextmanager
def concurrent_database(tmp_path):
    """On SQLite's in-memory test database: point the connections of new threads at a file database."""
    main = connections["default"]
    if main.vendor != "sqlite" or not main.is_in_memory_db():
        yield
        return
    settings_dict = connections.settings["default"]
    saved = dict(settings_dict)
    settings_dict["NAME"] = str(tmp_path / "storm.sqlite3")
    try:
        in_thread(lambda: call_command("migrate", verbosity=0))
        yield
    finally:
        settings_dict.clear()
        settings_dict.update(saved)


def _setup() -> list[str]:
    from simasn.accounts.models import Role
    from simasn.accounts.tests.factories import UserFactory
    from simasn.employees.tests.factories import EmployeeFactory
    from simasn.org.tests.factories import UnitFactory

    unit = UnitFactory(name="Dinas Badai")
    five_day_schedule(unit)
    office_for(unit)
    tokens = []
    for i in range(EMPLOYEES):
        user = UserFactory(role=Role.PEGAWAI)
        EmployeeFactory(unit=unit, user=user)
        tokens.append(token_for(user, f"ponsel-badai-{i}"))
    return tokens


def _count() -> tuple[int, int]:
    return CheckInEvent.objects.count(), CheckInEvent.objects.values("client_id").distinct().count()


def test_idempotency_storm(tmp_path, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    with concurrent_database(tmp_path):
        tokens = in_thread(_setup)
        requests = []
        for i in range(DISTINCT):
            token = tokens[i % EMPLOYEES]
            payload = json.dumps(body(client_time=NOW - dt.timedelta(seconds=5), client_id=str(uuid.uuid4()),
                                      kind="in" if i % 2 else "out"))
            requests += [(token, payload)] * COPIES
        random.Random(4).shuffle(requests)

        results: list[tuple[int, str, int | None]] = []
        lock = threading.Lock()

        def worker(share):
            client = Client()
            try:
                for token, payload in share:
                    response = client.post(f"{API}/check-ins", payload, content_type="application/json",
                                           **bearer(token))
                    with lock:
                        results.append((response.status_code, json.loads(payload)["client_id"],
                                        response.json().get("id")))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, args=(requests[i::THREADS],)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == len(requests)
        statuses = Counter(status for status, _cid, _id in results)
        assert statuses[201] == DISTINCT, statuses
        assert statuses[200] == DISTINCT * (COPIES - 1), statuses
        assert set(statuses) == {200, 201}
        ids_by_client: dict[str, set] = {}
        for _status, client_id, event_id in results:
            ids_by_client.setdefault(client_id, set()).add(event_id)
        assert all(len(ids) == 1 for ids in ids_by_client.values())  # every retry named the same event
        assert in_thread(_count) == (DISTINCT, DISTINCT)
