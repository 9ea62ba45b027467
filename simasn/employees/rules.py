"""Who may do what with employee records: every permission of this app, in one place.

Object permissions take the employee as the target. Reading is decided by the scoped selector (the one
scoping rule); writing and the full NIK are narrower: pimpinan and an atasan may read a profile but not
change it, and neither sees the full NIK.
"""

from __future__ import annotations

import rules

from simasn.accounts.rules import is_admin_bkpsdm as is_city_admin
from simasn.accounts.rules import is_inspektorat, is_personnel_admin_pred, reads_city_wide
from simasn.accounts.scopes import managed_unit_path

from .models import Employee
from .selectors import employee_in_scope, has_subordinates


@rules.predicate
def in_scope(user, employee: Employee | None) -> bool:
    return employee is not None and employee_in_scope(user, employee)


@rules.predicate
def manages_unit_of(user, employee: Employee | None) -> bool:
    """Admin OPD whose subtree holds the employee's unit."""
    path = managed_unit_path(user)
    return bool(path and employee is not None and employee.unit.path.startswith(path))


@rules.predicate
def is_self(user, employee: Employee | None) -> bool:
    return employee is not None and user.is_authenticated and employee.user_id == user.pk


@rules.predicate
def is_atasan(user) -> bool:
    return has_subordinates(user)


can_edit = is_city_admin | manages_unit_of

# Reading a profile, its photo and its SK scans: anyone who can see the employee at all.
rules.add_perm("employees.view_employee", in_scope)
rules.add_perm("employees.view_documents", in_scope)
# The full NIK is personal data beyond what a reader of the profile needs: not pimpinan, not the atasan.
rules.add_perm("employees.view_nik", is_city_admin | manages_unit_of | is_inspektorat | is_self)
rules.add_perm("employees.edit_employee", can_edit)
rules.add_perm("employees.add_history", can_edit)
rules.add_perm("employees.create_employee", is_personnel_admin_pred)
# Pages over many employees: people who read personnel data, and an atasan for his own team.
rules.add_perm("employees.list_employees", reads_city_wide | is_personnel_admin_pred | is_atasan)
rules.add_perm("employees.view_retirements", reads_city_wide | is_personnel_admin_pred)
