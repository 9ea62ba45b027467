"""Who may do what with a request: the one place the services, selectors and pages ask."""

from __future__ import annotations

from typing import Any

from simasn.accounts.scopes import is_personnel_admin, unit_filter
from simasn.employees.models import Employee
from simasn.employees.selectors import own_employee

from .models import AbsenceRequest


def is_own(viewer: Any, employee_id: int) -> bool:
    me = own_employee(viewer)
    return me is not None and me.pk == employee_id


def administers(viewer: Any, employee: Employee) -> bool:
    """An admin BKPSDM, or an admin OPD whose unit subtree holds the employee (not merely an atasan:
    an atasan sees his bawahan's requests through their approval steps, he does not file them)."""
    if not is_personnel_admin(viewer):
        return False
    return Employee.objects.filter(unit_filter(viewer, "unit__"), pk=employee.pk).exists()


def can_submit_for(viewer: Any, employee: Employee) -> bool:
    return is_own(viewer, employee.pk) or administers(viewer, employee)


def can_cancel(viewer: Any, request: AbsenceRequest) -> bool:
    return is_own(viewer, request.employee_id) or administers(viewer, request.employee)


def can_edit(viewer: Any, request: AbsenceRequest) -> bool:
    """Resubmitting after "perlu perbaikan" is the requester's own act."""
    return is_own(viewer, request.employee_id)
