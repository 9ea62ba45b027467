"""The leave part of the Kendari demo: ledger for everyone, the demo pegawai's requests in every state,
a city-wide sample — all consistent with the rules (the ledger never negative, the audit chain intact)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from simasn.core.audit import audit_verify
from simasn.core.demo.loader import load_demo
from simasn.leave import demo, ledger, selectors
from simasn.leave.models import AbsenceRequest, LeaveLedgerEntry, RequestStatus

TODAY = dt.date(2026, 5, 12)  # a Tuesday in May: every scenario date falls inside the year


@pytest.fixture
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo(employees=320, seed=7, today=TODAY).counts  # the loader runs demo.seed_leave


def test_the_demo_has_requests_in_every_state(seeded):
    assert seeded["leave_demo_skipped"] == 0, seeded
    assert seeded["leave_demo_requests"] == 10
    statuses = set(AbsenceRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    atasan, staf = demo.demo_pair()
    inbox = list(selectors.approval_inbox(viewer=atasan.user))
    assert {step.request.employee_id for step in inbox} >= {staf.pk}
    approved = AbsenceRequest.objects.filter(employee=staf, status=RequestStatus.APPROVED, leave_type="tahunan")
    assert approved.exists() and all(len(r.verification_code) == 10 for r in approved)
    assert seeded["leave_sample_requests"] > 0


def test_the_demo_ledger_is_consistent(seeded):
    assert seeded["leave_ledger_employees"] > 300
    negative = (LeaveLedgerEntry.objects.filter(year=2026).values("employee").annotate(total=Sum("days"))
                .filter(total__lt=0))
    assert not negative.exists()
    # Granting again (the year-end task run by mistake in May) changes nothing.
    assert ledger.rollover_year(2026)["granted"] == 0
    assert audit_verify().ok
