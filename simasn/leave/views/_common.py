"""What the leave views share: turning service refusals into HTTP, and who may press which button."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from simasn.employees.selectors import own_employee
from simasn.org.forms import call_service

from .. import documents, rules, selectors
from ..models import AbsenceRequest, ApprovalStep, RequestStatus, StepStatus

T = TypeVar("T")


def call(action: Callable[[], T]) -> T:
    """Run a selector or service call; NotFound → 404, Forbidden → 403, other DomainErrors propagate."""
    return call_service(None, action)


def on_form(form: Any, action: Callable[[], T]) -> T | None:
    """Like `call`, but a DomainError lands on the form (per field where it names one) and gives None."""
    return call_service(form, action)


def request_or_404(request: HttpRequest, pk: int) -> AbsenceRequest:
    return call(lambda: selectors.request_get_for(viewer=request.user, pk=pk))


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


@dataclass(frozen=True)
class Actions:
    """Which buttons the detail page shows. The services decide again on submission; these only hide
    buttons that would certainly be refused."""

    decide: bool  # approver of the current step: approve, reject, ask for a change
    cancel: bool
    resubmit: bool
    cut_short: bool
    letter: bool
    is_owner: bool

    @property
    def any_owner_action(self) -> bool:
        return self.cancel or self.resubmit or self.cut_short


def current_step(req: AbsenceRequest, steps: list[ApprovalStep]) -> ApprovalStep | None:
    for step in steps:
        if step.order == req.current_step and step.status == StepStatus.PENDING:
            return step
    return None


def actions_for(user: Any, req: AbsenceRequest, steps: list[ApprovalStep], today: dt.date | None = None) -> Actions:
    today = today or timezone.localdate()
    me = own_employee(user)
    is_owner = me is not None and me.pk == req.employee_id
    step = current_step(req, steps) if req.status == RequestStatus.PENDING else None
    decide = me is not None and step is not None and step.approver_id == me.pk and not is_owner
    # Still awaiting a decision: withdrawable any time; approved: only before its first day (then cut short).
    cancellable = (req.status in (RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED)
                   or (req.status == RequestStatus.APPROVED and today < req.start_date))
    running = req.status == RequestStatus.APPROVED and req.start_date <= today <= req.last_day_away
    may_withdraw = is_owner or ((cancellable or running) and rules.can_cancel(user, req))
    return Actions(
        decide=decide,
        cancel=cancellable and may_withdraw,
        resubmit=is_owner and req.status == RequestStatus.CHANGES_REQUESTED,
        cut_short=running and may_withdraw,
        letter=documents.is_printable(req),
        is_owner=is_owner,
    )

