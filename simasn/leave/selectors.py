"""Reads of requests, balances and approvals, scoped to the viewer; and the "was he excused?" answer
attendance asks for many employees and days at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.accounts.scopes import is_city_wide, is_personnel_admin
from simasn.core.errors import DomainError, NotFound
from simasn.employees.models import Employee, EmployeeKind
from simasn.employees.selectors import employee_queryset_for, own_employee
from simasn.workcalendar import days as workdays

from . import ledger, rules_data, validation
from .models import (
    AbsenceRequest,
    ApprovalStep,
    LeaveLedgerEntry,
    LedgerEntryKind,
    RequestKind,
    RequestStatus,
    StepStatus,
)

# ── Balances ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Balance:
    """One leave type of one year. Cuti tahunan: entitlement (hak + koreksi), carried_over (penangguhan),
    used (net of returns), pending (awaiting a decision), available (what a new request may still take).
    Other types have no yearly quota: entitlement and available are None, used/pending are their days."""

    leave_type: str
    label: str
    entitlement: int | None
    carried_over: int
    used: int
    pending: int
    available: int | None
    forfeited: int = 0  # hangus (cuti besar in the same year)
    uses_ledger: bool = False


def _allowed_codes(employee: Employee) -> list[rules_data.LeaveTypeRule]:
    table = rules_data.rules_employee_type(employee.kind)
    return [rule for (kind, _code), rule in rules_data.LEAVE_TYPES.items() if kind == table]


def balances_for(employee: Employee, year: int) -> list[Balance]:
    """Cuti tahunan always first, then every other requestable type of the employee with its days this year
    (approved and cut short counted as taken). Three queries."""
    totals = ledger.year_totals([employee.pk], year).get(employee.pk, {})
    used_by_type: dict[str, int] = defaultdict(int)
    pending_by_type: dict[str, int] = defaultdict(int)
    requests = (
        AbsenceRequest.objects.filter(employee=employee, kind=RequestKind.CUTI, start_date__year=year,
                                      status__in=[RequestStatus.APPROVED, *ledger.PENDING_STATUSES])
        .only("leave_type", "status", "working_days", "start_date", "end_date", "cut_short_from")
    )
    for req in requests:
        if req.status == RequestStatus.APPROVED:
            days = req.working_days
            if req.cut_short_from:
                days = workdays.working_days_between(req.start_date, req.last_day_away, employee.unit)
            used_by_type[req.leave_type] += days
        else:
            pending_by_type[req.leave_type] += req.working_days
    entitlement = totals.get(LedgerEntryKind.ENTITLEMENT, 0) + totals.get(LedgerEntryKind.ADJUSTMENT, 0)
    carried = totals.get(LedgerEntryKind.CARRYOVER, 0)
    used = -(totals.get(LedgerEntryKind.USE, 0) + totals.get(LedgerEntryKind.RETURN, 0))
    forfeited = -totals.get(LedgerEntryKind.FORFEIT, 0)
    pending = pending_by_type[rules_data.TAHUNAN]
    out = [Balance(
        leave_type=rules_data.TAHUNAN, label=_("Cuti Tahunan"), entitlement=entitlement, carried_over=carried,
        used=used, pending=pending, available=entitlement + carried - used - forfeited - pending,
        forfeited=forfeited, uses_ledger=True,
    )]
    for rule in _allowed_codes(employee):
        if rule.uses_ledger or not rule.requestable:
            continue
        if employee.kind == EmployeeKind.CPNS and rule.code in rules_data.CPNS_EXCLUDED:
            continue
        out.append(Balance(leave_type=rule.code, label=rule.name, entitlement=None, carried_over=0,
                           used=used_by_type[rule.code], pending=pending_by_type[rule.code], available=None))
    return out


@dataclass(frozen=True)
class LeaveOption:
    rule: rules_data.LeaveTypeRule
    allowed: bool
    reason: str = ""  # why not, in Indonesian

    # The form and templates read the rule's fields through the option.
    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def label(self) -> str:
        return self.rule.name


def allowed_leave_types(employee: Employee, *, on: dt.date | None = None) -> list[LeaveOption]:
    """Every requestable cuti type of the employee's table, each allowed or with the reason it is not
    (service length on `on`, default today; sex; CPNS). Types of the other table are not listed."""
    day = on or timezone.localdate()
    options = []
    for rule in _allowed_codes(employee):
        if not rule.requestable:
            continue
        try:
            validation.leave_rule(employee, rule.code)
            validation.check_service(employee, rule, day)
        except DomainError as exc:
            options.append(LeaveOption(rule, False, exc.message))
            continue
        if rule.uses_ledger and ledger.has_cuti_besar(employee, day.year):
            options.append(LeaveOption(rule, False, _("Tidak berhak cuti tahunan pada tahun cuti besar.")))
            continue
        options.append(LeaveOption(rule, True))
    return options


# ── Requests ───────────────────────────────────────────────────────────────────────────────────────────


def _visible_q(viewer: Any) -> Q:
    """Own requests, requests where the viewer is an approver, and those of employees an admin manages.
    A plain atasan sees his bawahan's requests through their steps, not through the employee scope."""
    if not getattr(viewer, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    me = own_employee(viewer)
    if me is not None:
        q |= Q(employee_id=me.pk) | Q(Exists(ApprovalStep.objects.filter(request=OuterRef("pk"), approver=me)))
    if is_personnel_admin(viewer) or is_city_wide(viewer):
        q |= Q(employee__in=employee_queryset_for(viewer).values("pk"))
    return q


def request_list_for(*, viewer: Any, employee: Employee | None = None, status: str | None = None,
                     kind: str | None = None) -> QuerySet[AbsenceRequest]:
    qs = AbsenceRequest.objects.filter(_visible_q(viewer))
    if employee is not None:
        qs = qs.filter(employee=employee)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("employee", "employee__unit").order_by("-start_date", "-id")


def request_get_for(*, viewer: Any, pk: Any) -> AbsenceRequest:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Permohonan tidak ditemukan.")) from exc
    found = (
        AbsenceRequest.objects.filter(_visible_q(viewer), pk=pk)
        .select_related("employee", "employee__unit", "employee__position", "submitted_by")
        .first()
    )
    if found is None:
        raise NotFound(_("Permohonan tidak ditemukan."))
    return found


def approval_inbox(*, viewer: Any) -> QuerySet[ApprovalStep]:
    """The steps awaiting the viewer's decision, oldest request first (one query)."""
    me = own_employee(viewer)
    if me is None:
        return ApprovalStep.objects.none()
    return (
        ApprovalStep.objects.filter(approver=me, status=StepStatus.PENDING, request__status=RequestStatus.PENDING)
        .select_related("request", "request__employee", "request__employee__unit", "request__employee__position")
        .order_by("request__created_at", "request_id")
    )


def request_by_verification_code(code: Any) -> AbsenceRequest | None:
    """The approved request a surat izin cuti names, for the public check (no scope: the code is the key)."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper().replace("-", "").replace(" ", "")
    if not code or len(code) > 16:
        return None
    return (
        AbsenceRequest.objects.filter(verification_code=code, status=RequestStatus.APPROVED)
        .select_related("employee", "employee__unit", "employee__position")
        .first()
    )


def ledger_entries_for(employee: Employee, year: int) -> QuerySet:
    """The cuti tahunan entries behind a balance, oldest first (the "why is my balance this" list)."""
    return LeaveLedgerEntry.objects.filter(employee=employee, year=year).select_related("request").order_by("id")


# ── Excused days (attendance) ─────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ExcuseLocation:
    latitude: Decimal
    longitude: Decimal
    radius_m: int
    name: str = ""


@dataclass(frozen=True)
class Excuse:
    kind: str
    leave_type: str
    request_id: int
    location: ExcuseLocation | None = None  # dinas luar with a geofence, flexible work: check-ins valid there
    start_time: dt.time | None = None  # an izin of a few hours: only these hours are excused
    end_time: dt.time | None = None


def excused_days(employee_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], Excuse]:
    """(employee id, date) → why he was away, for approved requests, working days only (per his unit),
    honouring an early return. Two queries (requests with their employees' units), whatever the size."""
    ids = list(employee_ids)
    out: dict[tuple[int, dt.date], Excuse] = {}
    if not ids or end < start:
        return out
    rows = (
        AbsenceRequest.objects.filter(employee_id__in=ids, status=RequestStatus.APPROVED, start_date__lte=end,
                                      end_date__gte=start)
        .filter(Q(cut_short_from__isnull=True) | Q(cut_short_from__gt=start))
        .select_related("employee__unit")
        .only("id", "employee_id", "kind", "leave_type", "start_date", "end_date", "cut_short_from", "start_time",
              "end_time", "latitude", "longitude", "radius_m", "location_name", "employee__unit__id",
              "employee__unit__path")
        .order_by("start_date", "id")
    )
    for req in rows:
        location = None
        if req.latitude is not None and req.longitude is not None and req.radius_m:
            location = ExcuseLocation(req.latitude, req.longitude, req.radius_m, req.location_name)
        excuse = Excuse(req.kind, req.leave_type, req.pk, location, req.start_time, req.end_time)
        unit = req.employee.unit
        day = max(req.start_date, start)
        last = min(req.last_day_away, end)
        while day <= last:
            if workdays.is_working_day(day, unit):
                out.setdefault((req.employee_id, day), excuse)
            day += dt.timedelta(days=1)
    return out

