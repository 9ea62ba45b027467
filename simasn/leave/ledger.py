"""The cuti tahunan ledger: signed entries per employee, type and year; a balance is their sum.

Entries and when they are written:
- hak (the year's own 12 days, or 0 before the first year of service ends) and penangguhan (carried over
  from earlier years by `carryover.annual_entitlement`), once per employee and year — the database refuses a
  second one, so `rollover_year` can run any number of times;
- pemakaian (−working days) when a cuti tahunan request is finally approved;
- pengembalian (+days) when an approved request is cancelled before it starts or cut short;
- hangus (−the rest of the year) when a cuti besar is approved (no cuti tahunan in the year of a cuti besar);
  a positive hangus undoes it when that cuti besar is cancelled before it starts.

Service: PNS and CPNS count from TMT CPNS (Pasal 311: "PNS dan CPNS yang telah bekerja paling kurang 1 tahun
secara terus-menerus"); a PPPK from the TMT of his appointment, which we read from the earliest of TMT PNS
(where an import put the contract date), TMT golongan and TMT jabatan — a PPPK has no CPNS date. The year's
hak is 12 when the first year of service is complete by 31 December; the service-length rule at request
time keeps the days unused until the anniversary itself. Without any TMT nothing is written, so the year can
still be granted once the date is recorded.

Carry-over reads the ledger of the ten previous years: a year counts with the days it used; a year without
hak (not yet entitled) or with an approved cuti besar counts as "not in the history" (passes nothing on and
breaks the two-untaken-years streak). Granting a year assumes the previous one is closed: the roll-over task
runs on 1 January, and a request for a year not yet granted is refused until then (see services).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record
from simasn.core.errors import Conflict
from simasn.employees.models import Employee, EmployeeKind, EmployeeStatus
from simasn.employees.selectors import add_months

from . import rules_data
from .carryover import UsageExceedsEntitlement, annual_entitlement
from .models import AbsenceRequest, LeaveLedgerEntry, LedgerEntryKind, RequestKind, RequestStatus

TAHUNAN = rules_data.TAHUNAN
HISTORY_YEARS = 10
PENDING_STATUSES = (RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED)


@dataclass(frozen=True)
class Grant:
    year: int
    entitlement: int  # hak
    carried_over: int  # penangguhan
    created: bool  # False: the year was already granted (or cannot be: no TMT)
    reason: str = ""


def service_start(employee: Employee) -> dt.date | None:
    if employee.kind == EmployeeKind.PPPK:
        dates = [d for d in (employee.tmt_pns, employee.tmt_golongan, employee.tmt_jabatan) if d]
        return min(dates) if dates else None
    return employee.tmt_cpns


def service_years_on(employee: Employee, day: dt.date) -> int | None:
    """Complete years of service on `day`, or None when the start is not recorded."""
    start = service_start(employee)
    if start is None or day < start:
        return None if start is None else 0
    years = day.year - start.year
    if add_months(start, 12 * years) > day:
        years -= 1
    return years


def annual_rule(employee: Employee) -> rules_data.AnnualLeaveRule:
    return rules_data.ANNUAL_LEAVE_RULES[rules_data.rules_employee_type(employee.kind)]


def lock_employee(employee: Employee) -> None:
    """Serialise every ledger change of one employee (two approvals of his requests at the same moment)."""
    list(Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk", flat=True))


# ── Granting ───────────────────────────────────────────────────────────────────────────────────────────


def _history(employee_ids: list[int], year: int) -> tuple[dict, dict, set]:
    """(employee, year) → used days and → hak days for the years before `year`, and the (employee, year)
    pairs with an approved cuti besar. Three queries, whatever the number of employees."""
    since = year - HISTORY_YEARS
    used: dict[tuple[int, int], int] = defaultdict(int)
    granted: dict[tuple[int, int], int] = {}
    rows = (
        LeaveLedgerEntry.objects.filter(employee_id__in=employee_ids, leave_type=TAHUNAN, year__gte=since,
                                        year__lt=year)
        .values_list("employee_id", "year", "entry_kind")
        .annotate(total=Sum("days"))
        .order_by()
    )
    for employee_id, y, kind, total in rows:
        if kind in (LedgerEntryKind.USE, LedgerEntryKind.RETURN):
            used[(employee_id, y)] -= total
        elif kind == LedgerEntryKind.ENTITLEMENT:
            granted[(employee_id, y)] = total
    besar = set(
        AbsenceRequest.objects.filter(employee_id__in=employee_ids, kind=RequestKind.CUTI,
                                      leave_type=rules_data.BESAR, status=RequestStatus.APPROVED,
                                      start_date__year__gte=since, start_date__year__lt=year)
        .annotate(y=ExtractYear("start_date")).values_list("employee_id", "y")
    )
    return used, granted, besar


def _compute(employee: Employee, year: int, used: dict, granted: dict, besar: set) -> Grant | None:
    start = service_start(employee)
    if start is None:
        return None
    rule = annual_rule(employee)
    if add_months(start, 12) > dt.date(year, 12, 31):
        return Grant(year, 0, 0, True, _("Belum 1 tahun bekerja terus-menerus pada akhir tahun %(year)s.")
                     % {"year": year})
    history = {
        y: max(0, used.get((employee.pk, y), 0))
        for y in range(year - HISTORY_YEARS, year)
        if granted.get((employee.pk, y), 0) > 0 and (employee.pk, y) not in besar
    }
    try:
        carried = annual_entitlement(rule, year, history).carried_over
    except UsageExceedsEntitlement:
        carried = 0  # only a manual koreksi can make a year's uses exceed its recomputed entitlement
    return Grant(year, rule.annual_days, carried, True)


def _entries(employee_id: int, grant: Grant, actor: Any) -> list[LeaveLedgerEntry]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return [
        LeaveLedgerEntry(employee_id=employee_id, year=grant.year, leave_type=TAHUNAN,
                         entry_kind=LedgerEntryKind.ENTITLEMENT, days=grant.entitlement,
                         note=grant.reason[:200] or _("Hak cuti tahunan %(year)s") % {"year": grant.year},
                         created_by=user),
        LeaveLedgerEntry(employee_id=employee_id, year=grant.year, leave_type=TAHUNAN,
                         entry_kind=LedgerEntryKind.CARRYOVER, days=grant.carried_over,
                         note=_("Penangguhan dari tahun sebelumnya"), created_by=user),
    ]


def _existing(employee_ids: Iterable[int], year: int) -> dict[int, tuple[int, int]]:
    found: dict[int, list[int]] = {}
    for employee_id, kind, days in LeaveLedgerEntry.objects.filter(
        employee_id__in=list(employee_ids), leave_type=TAHUNAN, year=year,
        entry_kind__in=[LedgerEntryKind.ENTITLEMENT, LedgerEntryKind.CARRYOVER],
    ).values_list("employee_id", "entry_kind", "days"):
        slot = found.setdefault(employee_id, [0, 0])
        slot[0 if kind == LedgerEntryKind.ENTITLEMENT else 1] = days
    return {k: (v[0], v[1]) for k, v in found.items()}


@transaction.atomic
def grant_year(employee: Employee, year: int, *, actor: Any = "sistem") -> Grant:
    """Write the year's hak and penangguhan unless they exist (idempotent)."""
    existing = _existing([employee.pk], year).get(employee.pk)
    if existing is not None:
        return Grant(year, existing[0], existing[1], False)
    grant = _compute(employee, year, *_history([employee.pk], year))
    if grant is None:
        return Grant(year, 0, 0, False, _("TMT belum tercatat."))
    LeaveLedgerEntry.objects.bulk_create(_entries(employee.pk, grant, actor), ignore_conflicts=True)
    audit_record(actor=actor, action="leave.ledger_granted", object_type="employees.employee",
                 object_id=employee.pk,
                 summary=f"Hak cuti tahunan {year}: {grant.entitlement} + penangguhan {grant.carried_over} hari",
                 after={"year": year, "hak": grant.entitlement, "penangguhan": grant.carried_over})
    return grant


def compute_grants(employees: list[Employee], year: int) -> list[tuple[Employee, Grant | None]]:
    """What grant_year would write for each employee (None: no TMT), from one history read."""
    used, granted, besar = _history([e.pk for e in employees], year)
    return [(employee, _compute(employee, year, used, granted, besar)) for employee in employees]


def grant_year_bulk(employees: Iterable[Employee], year: int, *, actor: Any = "sistem",
                    batch_size: int = 2000) -> dict[str, int]:
    """grant_year for many employees in a handful of queries per batch; one audit event per call."""
    created = skipped = no_tmt = 0
    employees = list(employees)
    with transaction.atomic():
        for i in range(0, len(employees), batch_size):
            batch = employees[i:i + batch_size]
            ids = [e.pk for e in batch]
            existing = _existing(ids, year)
            todo = [e for e in batch if e.pk not in existing]
            skipped += len(batch) - len(todo)
            rows: list[LeaveLedgerEntry] = []
            for employee, grant in compute_grants(todo, year):
                if grant is None:
                    no_tmt += 1
                    continue
                rows += _entries(employee.pk, grant, actor)
                created += 1
            LeaveLedgerEntry.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        if created:
            audit_record(actor=actor, action="leave.ledger_rollover", object_type="leave.leaveledgerentry",
                         object_id=year, summary=f"Hak cuti tahunan {year} ditetapkan untuk {created} pegawai",
                         after={"year": year, "granted": created, "already": skipped, "no_tmt": no_tmt})
    return {"granted": created, "already": skipped, "no_tmt": no_tmt}


def rollover_year(year: int, *, actor: Any = "rollover_cuti") -> dict[str, int]:
    """The year-end task: grant `year` to every active employee. Running it again changes nothing."""
    employees = Employee.objects.filter(status=EmployeeStatus.AKTIF).only(
        "pk", "kind", "tmt_cpns", "tmt_pns", "tmt_golongan", "tmt_jabatan").order_by("pk")
    return grant_year_bulk(employees.iterator(chunk_size=2000), year, actor=actor)


def is_granted(employee: Employee, year: int) -> bool:
    return LeaveLedgerEntry.objects.filter(employee=employee, leave_type=TAHUNAN, year=year,
                                           entry_kind=LedgerEntryKind.ENTITLEMENT).exists()


# ── Reading ────────────────────────────────────────────────────────────────────────────────────────────


def balance(employee: Employee, leave_type: str, year: int) -> int:
    """The sum of the year's entries: what is left to spend (pending requests not subtracted)."""
    total = LeaveLedgerEntry.objects.filter(employee=employee, leave_type=leave_type, year=year).aggregate(
        total=Sum("days"))["total"]
    return total or 0


def pending_days(employee: Employee, year: int, *, exclude_pk: int | None = None) -> int:
    """Working days held by tahunan requests of the year still awaiting a decision (reserved)."""
    qs = AbsenceRequest.objects.filter(employee=employee, kind=RequestKind.CUTI, leave_type=TAHUNAN,
                                       status__in=PENDING_STATUSES, start_date__year=year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(total=Sum("working_days"))["total"] or 0


def has_cuti_besar(employee: Employee, year: int) -> bool:
    return AbsenceRequest.objects.filter(employee=employee, kind=RequestKind.CUTI, leave_type=rules_data.BESAR,
                                         status=RequestStatus.APPROVED, start_date__year=year).exists()


def net_for_request(request: AbsenceRequest, kinds: Iterable[str]) -> int:
    return LeaveLedgerEntry.objects.filter(request=request, entry_kind__in=list(kinds)).aggregate(
        total=Sum("days"))["total"] or 0


# ── Uses (called by the services inside their transaction, after lock_employee) ─────────────────────


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record_use(request: AbsenceRequest, *, actor: Any) -> LeaveLedgerEntry:
    year = request.start_date.year
    if has_cuti_besar(request.employee, year):
        raise Conflict(_("Pegawai menjalani cuti besar pada tahun %(year)s: tidak berhak atas cuti tahunan pada "
                         "tahun yang sama.") % {"year": year}, code="annual_blocked_by_besar")
    if net_for_request(request, [LedgerEntryKind.USE]):
        raise Conflict(_("Pemakaian cuti ini sudah tercatat."), code="already_recorded")
    left = balance(request.employee, TAHUNAN, year)
    if request.working_days > left:
        raise Conflict(_("Sisa cuti tahunan %(year)s tinggal %(left)s hari kerja; permohonan ini %(days)s hari.")
                       % {"year": year, "left": left, "days": request.working_days}, code="insufficient_balance")
    return LeaveLedgerEntry.objects.create(
        employee=request.employee, year=year, leave_type=TAHUNAN, entry_kind=LedgerEntryKind.USE,
        days=-request.working_days, request=request, created_by=_user(actor),
        note=_("Cuti tahunan %(start)s s.d. %(end)s") % {"start": request.start_date.isoformat(),
                                                         "end": request.end_date.isoformat()},
    )


def record_return(request: AbsenceRequest, days: int, *, actor: Any, note: str) -> LeaveLedgerEntry | None:
    """Give back up to what the request still holds (never more: no double return)."""
    held = -net_for_request(request, [LedgerEntryKind.USE, LedgerEntryKind.RETURN])
    days = min(days, held)
    if days <= 0:
        return None
    return LeaveLedgerEntry.objects.create(
        employee=request.employee, year=request.start_date.year, leave_type=TAHUNAN,
        entry_kind=LedgerEntryKind.RETURN, days=days, request=request, created_by=_user(actor), note=note[:200],
    )


def forfeit_rest_of_year(request: AbsenceRequest, *, actor: Any) -> LeaveLedgerEntry | None:
    """An approved cuti besar: what is left of that year's cuti tahunan lapses."""
    year = request.start_date.year
    left = balance(request.employee, TAHUNAN, year)
    if left <= 0:
        return None
    return LeaveLedgerEntry.objects.create(
        employee=request.employee, year=year, leave_type=TAHUNAN, entry_kind=LedgerEntryKind.FORFEIT,
        days=-left, request=request, created_by=_user(actor),
        note=_("Hangus karena cuti besar %(start)s") % {"start": request.start_date.isoformat()},
    )


def undo_forfeit(request: AbsenceRequest, *, actor: Any) -> LeaveLedgerEntry | None:
    """A cuti besar cancelled before it starts: the lapsed days come back."""
    forfeited = -net_for_request(request, [LedgerEntryKind.FORFEIT])
    if forfeited <= 0:
        return None
    return LeaveLedgerEntry.objects.create(
        employee=request.employee, year=request.start_date.year, leave_type=TAHUNAN,
        entry_kind=LedgerEntryKind.FORFEIT, days=forfeited, request=request, created_by=_user(actor),
        note=_("Hangus dibatalkan: cuti besar dibatalkan"),
    )


def year_totals(employee_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """employee → {entry kind: days} of the year's tahunan entries, one query (balance pages, exports)."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for employee_id, kind, total in (
        LeaveLedgerEntry.objects.filter(Q(employee_id__in=employee_ids), leave_type=TAHUNAN, year=year)
        .values_list("employee_id", "entry_kind").annotate(total=Sum("days")).order_by()
    ):
        out[employee_id][kind] = total
    return out
