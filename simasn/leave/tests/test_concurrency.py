"""Two clicks on "Setujui" at the same moment: the request row is locked, so exactly one counts and the
ledger is charged once (real transactions in two threads, PostgreSQL row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from simasn.core.errors import DomainError
from simasn.leave import ledger, services
from simasn.leave.models import LeaveLedgerEntry

from .conftest import TODAY, d


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_final_approvals_count_once(world):
    if connections["default"].vendor != "postgresql":
        # The SQLite test database is shared in-memory, where a second writer fails at once instead of waiting;
        # the file database of a real server serialises writers (transaction_mode IMMEDIATE + busy timeout).
        pytest.skip("row locks are checked on PostgreSQL (make test runs the suite there too)")
    req = services.request_submit(actor=world.users.kabid, employee=world.org.kabid, kind="cuti",
                                  leave_type="tahunan", start_date=d("2026-03-09"), end_date=d("2026-03-13"),
                                  reason="Uji", today=TODAY)
    assert req.steps.count() == 1  # kepala A only
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            services.request_approve(actor=world.head_a, request=req)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["not_pending", "ok"]
    assert LeaveLedgerEntry.objects.filter(request=req).count() == 1
    assert ledger.balance(world.org.kabid, "tahunan", 2026) == 12 - 5
