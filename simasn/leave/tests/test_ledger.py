"""The cuti tahunan ledger: granting, carry-over read from the ledger, the idempotent roll-over, and the
properties the issue asks for — never negative, never double-counted (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simasn.core.errors import DomainError
from simasn.employees.tests.factories import EmployeeFactory
from simasn.leave import ledger, services
from simasn.leave.models import AbsenceRequest, LeaveLedgerEntry, LedgerEntryKind, RequestStatus
from simasn.leave.tests.factories import AbsenceRequestFactory
from simasn.workcalendar import days as workdays

from .conftest import TODAY


def history(employee, year: int, hak: int, used: int) -> None:
    LeaveLedgerEntry.objects.create(employee=employee, year=year, leave_type="tahunan",
                                    entry_kind=LedgerEntryKind.ENTITLEMENT, days=hak)
    if used:
        LeaveLedgerEntry.objects.create(employee=employee, year=year, leave_type="tahunan",
                                        entry_kind=LedgerEntryKind.USE, days=-used)


CARRY_CASES = [
    # (why, kind, {year: (hak, used)}, penangguhan 2026)
    ("tanpa riwayat: 12 hari, tanpa penangguhan", "PNS", {}, 0),
    ("tahun lalu habis dipakai", "PNS", {2025: (12, 12)}, 0),
    ("sisa 8 hari, ditangguhkan paling banyak 6 (jadi 18)", "PNS", {2024: (12, 12), 2025: (12, 4)}, 6),
    ("sisa 2 hari ditangguhkan seluruhnya", "PNS", {2025: (12, 10)}, 2),
    ("tidak diambil 2 tahun berturut-turut: paling lama 24", "PNS", {2024: (12, 0), 2025: (12, 0)}, 12),
    ("tahun tanpa hak (belum 1 tahun) tidak menangguhkan", "PNS", {2024: (12, 0), 2025: (0, 0)}, 0),
    ("PPPK: tanpa penangguhan", "PPPK", {2024: (12, 0), 2025: (12, 0)}, 0),
]


@pytest.mark.parametrize(("why", "kind", "years", "carried"), CARRY_CASES, ids=[c[0] for c in CARRY_CASES])
def test_carry_over_is_read_from_the_ledger(db, why, kind, years, carried):
    employee = EmployeeFactory(kind=kind, tmt_cpns=dt.date(2010, 1, 1), tmt_golongan=dt.date(2010, 1, 1))
    for year, (hak, used) in years.items():
        history(employee, year, hak, used)
    grant = ledger.grant_year(employee, 2026)
    assert (grant.entitlement, grant.carried_over) == (12, carried)
    assert ledger.balance(employee, "tahunan", 2026) == 12 + carried


def test_a_year_with_cuti_besar_passes_nothing_on(db):
    employee = EmployeeFactory(tmt_cpns=dt.date(2010, 1, 1))
    history(employee, 2024, 12, 0)
    history(employee, 2025, 12, 0)
    AbsenceRequestFactory(employee=employee, leave_type="besar", start_date=dt.date(2025, 2, 3),
                          end_date=dt.date(2025, 4, 30), working_days=60)
    assert ledger.grant_year(employee, 2026).carried_over == 0


@pytest.mark.parametrize(("why", "tmt", "year", "hak"), [
    ("masuk Juni 2025: belum 1 tahun pada akhir 2025", dt.date(2025, 6, 1), 2025, 0),
    ("genap 1 tahun pada Juni 2026: hak 2026 diberikan", dt.date(2025, 6, 1), 2026, 12),
    ("genap 1 tahun tepat 31 Desember", dt.date(2025, 12, 31), 2026, 12),
    ("masuk 1 Januari 2026", dt.date(2026, 1, 1), 2026, 0),
])
def test_the_first_year_of_service(db, why, tmt, year, hak):
    employee = EmployeeFactory(tmt_cpns=tmt)
    assert ledger.grant_year(employee, year).entitlement == hak


def test_without_a_tmt_nothing_is_written_so_the_year_can_be_granted_later(db):
    employee = EmployeeFactory(tmt_cpns=None)
    grant = ledger.grant_year(employee, 2026)
    assert not grant.created and not LeaveLedgerEntry.objects.exists()
    employee.tmt_cpns = dt.date(2015, 1, 1)
    employee.save()
    assert ledger.grant_year(employee, 2026).entitlement == 12


def test_rollover_is_idempotent_and_bulk(db, django_assert_max_num_queries):
    people = [EmployeeFactory(tmt_cpns=dt.date(2015, 1, 1)) for _ in range(30)]
    for person in people[:10]:
        history(person, 2025, 12, 9)
    EmployeeFactory(tmt_cpns=dt.date(2015, 1, 1), status="pensiun")
    with django_assert_max_num_queries(16):  # constant: per 2,000 employees, not per employee
        assert ledger.rollover_year(2026) == {"granted": 30, "already": 0, "no_tmt": 0}
    snapshot = list(LeaveLedgerEntry.objects.order_by("id").values_list("employee", "year", "entry_kind", "days"))
    assert ledger.rollover_year(2026) == {"granted": 0, "already": 30, "no_tmt": 0}
    assert list(LeaveLedgerEntry.objects.order_by("id").values_list(
        "employee", "year", "entry_kind", "days")) == snapshot
    assert ledger.balance(people[0], "tahunan", 2026) == 12 + 3
    assert ledger.balance(people[-1], "tahunan", 2026) == 12


def test_the_rollover_task_runs_through_django_tasks(db, settings):
    from simasn.leave.tasks import rollover_annual_leave

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    EmployeeFactory(tmt_cpns=dt.date(2015, 1, 1))
    result = rollover_annual_leave.enqueue(2026)
    assert result.return_value == {"granted": 1, "already": 0, "no_tmt": 0}


def test_the_database_refuses_a_second_grant(db):
    employee = EmployeeFactory(tmt_cpns=dt.date(2015, 1, 1))
    ledger.grant_year(employee, 2026)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveLedgerEntry.objects.create(employee=employee, year=2026, leave_type="tahunan",
                                        entry_kind=LedgerEntryKind.ENTITLEMENT, days=12)


# ── Properties ────────────────────────────────────────────────────────────────────────────────────────


class _Rollback(Exception):
    pass


operations = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.integers(0, 60), st.integers(0, 13)),
        st.tuples(st.just("approve"), st.integers(0, 9)),
        st.tuples(st.just("approve_one"), st.integers(0, 9)),
        st.tuples(st.just("reject"), st.integers(0, 9)),
        st.tuples(st.just("cancel"), st.integers(0, 9)),
        st.tuples(st.just("cut"), st.integers(0, 9), st.integers(1, 6)),
        st.tuples(st.just("rollover")),
    ),
    min_size=1, max_size=14,
)


def _used(req: AbsenceRequest) -> int:
    return workdays.working_days_between(req.start_date, req.last_day_away, req.employee.unit)


def _check_invariants(staff) -> None:
    balance = ledger.balance(staff, "tahunan", 2026)
    approved = AbsenceRequest.objects.filter(employee=staff, leave_type="tahunan", status=RequestStatus.APPROVED)
    assert balance == 12 - sum(_used(r) for r in approved)
    assert balance >= 0
    assert balance - ledger.pending_days(staff, 2026) >= 0
    for req in AbsenceRequest.objects.filter(employee=staff):
        held = -ledger.net_for_request(req, [LedgerEntryKind.USE, LedgerEntryKind.RETURN])
        assert held == (_used(req) if req.status == RequestStatus.APPROVED else 0)


def _apply(world, op) -> None:
    staff, user = world.org.staff_a, world.users.staff_a
    requests = list(AbsenceRequest.objects.filter(employee=staff).order_by("id"))
    name = op[0]
    if name == "rollover":
        before = list(LeaveLedgerEntry.objects.filter(employee=staff).values_list("id", "days"))
        ledger.rollover_year(2026)  # staff A's 2026 is granted already: nothing changes for him
        assert list(LeaveLedgerEntry.objects.filter(employee=staff).values_list("id", "days")) == before
        return
    if name == "submit":
        start = TODAY + dt.timedelta(days=7 + op[1])
        services.request_submit(actor=user, employee=staff, kind="cuti", leave_type="tahunan", start_date=start,
                                end_date=start + dt.timedelta(days=op[2]), reason="uji", today=TODAY)
        return
    if not requests:
        return
    req = requests[op[1] % len(requests)]
    if name in ("approve", "approve_one"):
        step = req.steps.filter(status="menunggu").select_related("approver__user").first()
        while step is not None:
            services.request_approve(actor=step.approver.user, request=req)
            step = None if name == "approve_one" else (
                req.steps.filter(status="menunggu").select_related("approver__user").first())
    elif name == "reject":
        step = req.steps.filter(status="menunggu").select_related("approver__user").first()
        if step is not None:
            services.request_reject(actor=step.approver.user, request=req, reason="uji")
    elif name == "cancel":
        services.request_cancel(actor=user, request=req, today=TODAY)
    elif name == "cut":
        services.request_cut_short(actor=user, request=req, back_at_work_on=req.start_date + dt.timedelta(days=op[2]),
                                   reason="uji", today=req.start_date)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_the_ledger_never_goes_negative_and_never_double_counts(world, ops):
    try:
        with transaction.atomic():
            ledger.grant_year(world.org.staff_a, 2026)
            for op in ops:
                try:
                    _apply(world, op)
                except DomainError:
                    event(f"{op[0]}: ditolak")  # refused: and nothing half-written, which the invariants check
                else:
                    event(f"{op[0]}: jalan")
                _check_invariants(world.org.staff_a)
            raise _Rollback
    except _Rollback:
        pass
