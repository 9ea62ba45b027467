"""Leave in the Kendari demo: this year's cuti tahunan ledger for everyone, the demo pegawai's requests in
every state (through the services, so they are exactly what a user would have produced), and a sample of
approved requests across the city so the unit calendars and attendance have something to show.

Call it after the employees and the holiday table exist, inside the loader's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from simasn.core.audit import audit_record
from simasn.core.demo import data_org
from simasn.core.demo.bulk import insert_rows
from simasn.core.errors import DomainError
from simasn.employees.models import Employee, EmployeeStatus
from simasn.org.models import Position, Unit
from simasn.workcalendar import days as workdays

from . import ledger, routing, rules_data, services
from .models import AbsenceRequest, ApprovalStep, LeaveLedgerEntry, LedgerEntryKind, RequestKind, RequestStatus
from .services.decisions import new_verification_code

ACTOR = "seed_demo"
SAMPLE_SHARE = 0.03  # of the city's employees have an approved request around today
SAMPLE_MAX = 300
SEED = 7


def _workday_on_or_after(day: dt.date, unit: Unit | None) -> dt.date:
    while not workdays.is_working_day(day, unit):
        day += dt.timedelta(days=1)
    return day


def _span(start: dt.date, working_days: int, unit: Unit | None) -> tuple[dt.date, dt.date]:
    start = _workday_on_or_after(start, unit)
    return start, workdays.add_working_days(start, working_days - 1, unit)


def grant_all(year: int) -> int:
    """This year's hak and penangguhan for every active employee, in bulk (no earlier history in a fresh
    demo: 12 days, or 0 in the first year of service)."""
    employees = list(Employee.objects.filter(status=EmployeeStatus.AKTIF).only(
        "pk", "kind", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan"))
    rows = []
    for employee, grant in ledger.compute_grants(employees, year):
        if grant is None:
            continue
        base = {"employee_id": employee.pk, "year": year, "leave_type": rules_data.TAHUNAN}
        rows.append({**base, "entry_kind": LedgerEntryKind.ENTITLEMENT, "days": grant.entitlement,
                     "note": grant.reason or f"Hak cuti tahunan {year}"})
        rows.append({**base, "entry_kind": LedgerEntryKind.CARRYOVER, "days": grant.carried_over,
                     "note": "Penangguhan dari tahun sebelumnya"})
    insert_rows(LeaveLedgerEntry, rows)  # a fresh demo: the loader wiped the ledger with everything else
    return len(rows) // 2


def demo_pair() -> tuple[Employee | None, Employee | None]:
    """The demo atasan (the kepala bidang whose login is printed) and his first bawahan (the printed staf)."""
    unit = Unit.objects.filter(code=data_org.DEMO_ATASAN_UNIT).first()
    if unit is None:
        return None, None
    top = routing.top_position_of(unit)
    atasan = (Employee.objects.filter(position=top, status=EmployeeStatus.AKTIF).select_related("user", "unit")
              .order_by("pk").first() if top else None)
    if atasan is None:
        return None, None
    below = Position.objects.filter(parent_id=atasan.position_id)
    staf = (Employee.objects.filter(position__in=below, status=EmployeeStatus.AKTIF, user__isnull=False)
            .select_related("user", "unit").order_by("pk").first())
    return atasan, staf


class _Scenarios:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.made: dict[str, int] = {}
        self.skipped = 0

    def run(self, name: str, act: Callable[[], Any]) -> None:
        """One scenario in its own savepoint: a date the calendar makes impossible skips it, nothing else."""
        try:
            with transaction.atomic():
                act()
        except DomainError:
            self.skipped += 1
        else:
            self.made[name] = self.made.get(name, 0) + 1

    def submit(self, employee: Employee, *, submitted_on: dt.date | None = None, **fields: Any) -> AbsenceRequest:
        return services.request_submit(actor=employee.user, employee=employee, today=submitted_on or self.today,
                                       **fields)


def _approve_all(request: AbsenceRequest) -> AbsenceRequest:
    for step in request.steps.select_related("approver__user").order_by("order"):
        services.request_approve(actor=step.approver.user, request=request, note="Disetujui.")
    request.refresh_from_db()
    return request


def _approve_first(request: AbsenceRequest) -> None:
    step = request.steps.select_related("approver__user").get(order=1)
    services.request_approve(actor=step.approver.user, request=request, note="Setuju, diteruskan.")


def _first_step_user(request: AbsenceRequest):
    return request.steps.select_related("approver__user").get(order=1).approver.user


def _demo_requests(s: _Scenarios, atasan: Employee, staf: Employee, others: list[Employee]) -> None:
    today = s.today
    unit = staf.unit

    def past_tahunan() -> None:
        start, end = _span(today - dt.timedelta(days=26), 3, unit)
        _approve_all(s.submit(staf, kind=RequestKind.CUTI, leave_type=rules_data.TAHUNAN, start_date=start,
                              end_date=end, reason="Menghadiri pernikahan adik di Baubau",
                              address_during="Jl. Betoambari No. 12, Baubau",
                              submitted_on=today - dt.timedelta(days=33)))

    def izin_hours() -> None:
        day = _workday_on_or_after(today - dt.timedelta(days=6), unit)
        _approve_all(s.submit(staf, kind=RequestKind.IZIN, leave_type=rules_data.IZIN_KEPERLUAN_PENTING,
                              start_date=day, end_date=day, start_time=dt.time(9), end_time=dt.time(11),
                              reason="Mengurus perpanjangan SIM di Polresta Kendari"))

    def dinas_luar() -> None:
        start, end = _span(today + dt.timedelta(days=3), 2, unit)
        _approve_all(s.submit(staf, kind=RequestKind.DINAS_LUAR, start_date=start, end_date=end,
                              spt_number=f"800.1.11.1/{today:%m}/SPT/{today.year}", destination="Dinas Kesehatan "
                              "Kabupaten Konawe Selatan, Andoolo", reason="Pendampingan verifikasi data stunting",
                              location_name="Kantor Dinas Kesehatan Konawe Selatan", latitude="-4.1389",
                              longitude="122.3886", radius_m=200))

    def pending_tahunan() -> None:
        start, end = _span(today + dt.timedelta(days=14), 4, unit)
        s.submit(staf, kind=RequestKind.CUTI, leave_type=rules_data.TAHUNAN, start_date=start, end_date=end,
                 reason="Mudik menjenguk orang tua di Raha", address_during="Jl. Pahlawan No. 4, Raha",
                 idempotency_key="demo-cuti-menunggu")

    for name, act in (("cuti_tahunan_disetujui", past_tahunan), ("izin_disetujui", izin_hours),
                      ("dinas_luar_disetujui", dinas_luar), ("cuti_tahunan_menunggu_atasan", pending_tahunan)):
        s.run(name, act)

    for i, other in enumerate(others[:4]):
        start, end = _span(today + dt.timedelta(days=8 + 7 * i), 2, other.unit)
        fields = {"kind": RequestKind.CUTI, "leave_type": rules_data.TAHUNAN, "start_date": start, "end_date": end,
                  "reason": ("Mengantar anak wisuda di Makassar", "Urusan keluarga", "Acara adat keluarga di Muna",
                             "Istirahat setelah pelatihan")[i]}
        if i == 0:
            s.run("cuti_menunggu_atasan", lambda f=fields, o=other: s.submit(o, **f))
        elif i == 1:
            s.run("cuti_menunggu_kepala", lambda f=fields, o=other: _approve_first(s.submit(o, **f)))
        elif i == 2:
            def rejected(f=fields, o=other) -> None:
                req = s.submit(o, **f)
                services.request_reject(actor=_first_step_user(req), request=req,
                                        reason="Bertepatan dengan monitoring imunisasi; mohon geser tanggalnya.")
            s.run("cuti_ditolak", rejected)
        else:
            def changes(f=fields, o=other) -> None:
                req = s.submit(o, **f)
                services.request_ask_change(actor=_first_step_user(req), request=req,
                                            note="Mohon lengkapi alamat selama menjalankan cuti.")
            s.run("cuti_perlu_perbaikan", changes)

    def cancelled() -> None:
        start, end = _span(today + dt.timedelta(days=40), 1, unit)
        req = _approve_all(s.submit(staf, kind=RequestKind.CUTI, leave_type=rules_data.TAHUNAN, start_date=start,
                                    end_date=end, reason="Rencana perjalanan keluarga"))
        services.request_cancel(actor=staf.user, request=req, reason="Perjalanan ditunda", today=today)

    def atasan_own() -> None:
        start, end = _span(today + dt.timedelta(days=21), 2, atasan.unit)
        _approve_all(s.submit(atasan, kind=RequestKind.CUTI, leave_type=rules_data.TAHUNAN, start_date=start,
                              end_date=end, reason="Menghadiri wisuda anak di Yogyakarta"))

    s.run("cuti_dibatalkan", cancelled)
    s.run("cuti_atasan_disetujui", atasan_own)


def _sample(today: dt.date, exclude: set[int]) -> dict[str, int]:
    """Approved requests around today for a random few per cent of the city, written in bulk: chains
    resolved once per (position, kind, type), one ApprovalStep per approver, ledger uses for cuti tahunan."""
    rng = random.Random(SEED + today.toordinal())
    pool = list(
        Employee.objects.filter(status=EmployeeStatus.AKTIF, user__isnull=False, position__isnull=False)
        .exclude(pk__in=exclude).select_related("unit", "position").order_by("pk")
    )
    if not pool:
        return {}
    count = min(SAMPLE_MAX, max(1, round(len(pool) * SAMPLE_SHARE)))
    chosen = rng.sample(pool, min(count, len(pool)))
    chains: dict[tuple, list] = {}
    cache: dict = {}
    now = timezone.now()
    requests: list[AbsenceRequest] = []
    planned_steps: list[list] = []
    for employee in chosen:
        kind, leave_type = rng.choice([(RequestKind.CUTI, rules_data.TAHUNAN)] * 3
                                      + [(RequestKind.DINAS_LUAR, ""), (RequestKind.IZIN, rules_data.IZIN_SAKIT)])
        if kind == RequestKind.CUTI and (ledger.service_years_on(employee, today) or 0) < 1:
            kind, leave_type = RequestKind.DINAS_LUAR, ""
        length = 1 if kind == RequestKind.IZIN else rng.randint(1, 3)
        start, end = _span(today + dt.timedelta(days=rng.randint(-12, 20)), length, employee.unit)
        if start.year != today.year or end.year != today.year:
            continue
        key = (employee.position_id, kind, leave_type)
        if key not in chains:
            try:
                chains[key] = routing.resolve_chain(employee, kind=kind, leave_type=leave_type, cache=cache)
            except DomainError:
                chains[key] = []
        chain = [step for step in chains[key] if step.approver.pk != employee.pk]
        if not chain:
            continue
        extra = {"spt_number": f"094/{rng.randint(100, 999)}/SPT/{today.year}",
                 "destination": rng.choice(["Kabupaten Konawe", "Kota Baubau", "Kabupaten Kolaka", "Makassar"])
                 } if kind == RequestKind.DINAS_LUAR else {}
        requests.append(AbsenceRequest(
            employee=employee, kind=kind, leave_type=leave_type, start_date=start, end_date=end,
            working_days=workdays.working_days_between(start, end, employee.unit),
            reason={RequestKind.CUTI: "Keperluan keluarga", RequestKind.IZIN: "Sakit demam",
                    RequestKind.DINAS_LUAR: "Koordinasi program"}[kind],
            status=RequestStatus.APPROVED, current_step=len(chain), submitted_by_id=employee.user_id,
            verification_code=new_verification_code(), decided_at=now, **extra,
        ))
        planned_steps.append(chain)
    AbsenceRequest.objects.bulk_create(requests, batch_size=500)
    steps = [
        ApprovalStep(request=req, order=i, role=step.role, approver=step.approver, status="disetujui",
                     decided_at=now, decided_by_id=step.approver.user_id, note="Disetujui.")
        for req, chain in zip(requests, planned_steps, strict=True) for i, step in enumerate(chain, start=1)
    ]
    ApprovalStep.objects.bulk_create(steps, batch_size=1000)
    uses = [
        LeaveLedgerEntry(employee_id=req.employee_id, year=req.start_date.year, leave_type=rules_data.TAHUNAN,
                         entry_kind=LedgerEntryKind.USE, days=-req.working_days, request=req,
                         note=f"Cuti tahunan {req.start_date.isoformat()} s.d. {req.end_date.isoformat()}")
        for req in requests if req.kind == RequestKind.CUTI
    ]
    LeaveLedgerEntry.objects.bulk_create(uses, batch_size=1000)
    return {"leave_sample_requests": len(requests), "leave_sample_steps": len(steps)}


def seed_leave(*, today: dt.date) -> dict[str, int]:
    """Everything leave adds to the demo; returns counts for the loader's summary."""
    with transaction.atomic():
        counts = {"leave_ledger_employees": grant_all(today.year)}
        atasan, staf = demo_pair()
        scenarios = _Scenarios(today)
        exclude: set[int] = set()
        if atasan is not None and staf is not None and atasan.user_id and staf.user_id:
            # The atasan's other bawahan first, then colleagues of his OPD (a small demo has few bawahan).
            opd = routing.opd_of(atasan.unit)
            candidates = (
                Employee.objects.filter(status=EmployeeStatus.AKTIF, user__isnull=False, position__isnull=False,
                                        unit__path__startswith=opd.path)
                .exclude(pk__in=[staf.pk, atasan.pk]).exclude(position_id=routing.top_position_of(opd).pk)
                .select_related("user", "unit", "position")
                .order_by(Case(When(position__parent_id=atasan.position_id, then=0), default=1), "pk")
            )
            others = list(candidates[:4])
            _demo_requests(scenarios, atasan, staf, others)
            exclude = {atasan.pk, staf.pk, *(o.pk for o in others)}
        counts["leave_demo_requests"] = sum(scenarios.made.values())
        counts["leave_demo_skipped"] = scenarios.skipped
        counts.update(_sample(today, exclude))
        audit_record(actor=ACTOR, action="leave.demo_seeded", object_type="leave.absencerequest", object_id="demo",
                     summary=f"Data cuti demo: {counts['leave_demo_requests']} permohonan pegawai demo, "
                             f"{counts.get('leave_sample_requests', 0)} permohonan contoh.", after=counts)
    return counts
