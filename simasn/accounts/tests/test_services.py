"""Opening accounts for employees, roles and scopes, activation: who may, and what is refused."""

from __future__ import annotations

import pytest

from simasn.accounts.errors import Forbidden
from simasn.accounts.models import Role, User
from simasn.accounts.services import user_create_for_employee, user_set_active, user_set_role
from simasn.core.errors import Conflict, DomainError, NotFound
from simasn.core.models import AuditEvent
from simasn.employees.tests.factories import EmployeeFactory

STRONG = "Sultra-Kendari-2026"


def test_city_admin_opens_an_account_named_by_nip(users, org):
    employee = EmployeeFactory(unit=org.opd_b)
    user = user_create_for_employee(actor=users.admin_bkpsdm, employee=employee, password=STRONG)
    employee.refresh_from_db()
    assert employee.user == user
    assert user.username == employee.nip
    assert user.full_name == employee.full_name
    assert user.role == Role.PEGAWAI
    assert user.check_password(STRONG)
    event = AuditEvent.objects.get(action="accounts.user_created")
    assert event.after["username"] == employee.nip and STRONG not in str(event.after)


def test_account_without_password_cannot_log_in(users, org):
    employee = EmployeeFactory(unit=org.opd_b)
    user = user_create_for_employee(actor="seed", employee=employee)
    assert not user.has_usable_password()


def test_admin_opd_opens_pegawai_accounts_only_inside_their_subtree(users, org):
    inside = EmployeeFactory(unit=org.bidang_a)
    user_create_for_employee(actor=users.admin_opd_a, employee=inside, password=STRONG)
    with pytest.raises(NotFound):
        user_create_for_employee(actor=users.admin_opd_a, employee=EmployeeFactory(unit=org.opd_b))
    with pytest.raises(Forbidden):
        user_create_for_employee(actor=users.admin_opd_a, employee=EmployeeFactory(unit=org.bidang_a),
                                 role=Role.PIMPINAN)


def test_pegawai_cannot_open_accounts(users, org):
    with pytest.raises(NotFound):
        user_create_for_employee(actor=users.staff_a, employee=EmployeeFactory(unit=org.bidang_a))


def test_refusals_leave_nothing_behind(users, org):
    employee = EmployeeFactory(unit=org.opd_b)
    with pytest.raises(DomainError) as weak:
        user_create_for_employee(actor=users.admin_bkpsdm, employee=employee, password="12345678901")
    assert weak.value.code == "weak_password"
    with pytest.raises(DomainError) as no_scope:
        user_create_for_employee(actor=users.admin_bkpsdm, employee=employee, role=Role.ADMIN_OPD)
    assert no_scope.value.code == "scope_unit_required"
    assert not User.objects.filter(username=employee.nip).exists()
    assert not AuditEvent.objects.filter(action="accounts.user_created").exists()


def test_an_employee_has_at_most_one_account(users, org):
    with pytest.raises(Conflict):
        user_create_for_employee(actor=users.admin_bkpsdm, employee=org.staff_a)


def test_admin_opd_role_needs_a_scope_unit_and_is_audited(users, org):
    with pytest.raises(DomainError) as exc:
        user_set_role(actor=users.admin_bkpsdm, user=users.kabid, role=Role.ADMIN_OPD, scope_unit=None)
    assert exc.value.code == "scope_unit_required"
    user_set_role(actor=users.admin_bkpsdm, user=users.kabid, role=Role.ADMIN_OPD, scope_unit=org.opd_a)
    users.kabid.refresh_from_db()
    assert users.kabid.role == Role.ADMIN_OPD and users.kabid.scope_unit == org.opd_a
    event = AuditEvent.objects.get(action="accounts.role_changed")
    assert event.before == {"role": "pegawai", "scope_unit_id": None}
    assert event.after == {"role": "admin_opd", "scope_unit_id": org.opd_a.pk}


def test_scope_unit_only_for_admin_opd(users, org):
    with pytest.raises(DomainError) as exc:
        user_set_role(actor=users.admin_bkpsdm, user=users.kabid, role=Role.PIMPINAN, scope_unit=org.opd_a)
    assert exc.value.code == "scope_unit_not_allowed"


def test_only_city_admin_sets_roles_and_not_their_own(users, org):
    for actor in (users.admin_opd_a, users.pimpinan, users.staff_a):
        with pytest.raises(Forbidden):
            user_set_role(actor=actor, user=users.staff_b, role=Role.PIMPINAN)
    with pytest.raises(Forbidden):
        user_set_role(actor=users.admin_bkpsdm, user=users.admin_bkpsdm, role=Role.PEGAWAI)


def test_unknown_role_is_refused(users):
    with pytest.raises(DomainError) as exc:
        user_set_role(actor=users.admin_bkpsdm, user=users.staff_b, role="raja")
    assert exc.value.code == "invalid_role"


def test_deactivation_is_audited_and_not_of_oneself(users):
    user_set_active(actor=users.admin_bkpsdm, user=users.staff_b, is_active=False)
    assert AuditEvent.objects.filter(action="accounts.user_deactivated").count() == 1
    with pytest.raises(Forbidden):
        user_set_active(actor=users.admin_bkpsdm, user=users.admin_bkpsdm, is_active=False)
