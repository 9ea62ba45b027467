"""A unit merge keeps people's records right: riwayat jabatan names the new unit kerja, and admin OPD accounts
of the merged unit administer the unit that absorbed it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simasn.accounts.models import Role, User
from simasn.accounts.scopes import managed_unit_path
from simasn.accounts.tests.factories import UserFactory
from simasn.core.audit import audit_record_many, audit_verify
from simasn.core.models import AuditEvent
from simasn.employees.models import Employee, PositionHistory
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org import services
from simasn.org.models import Unit, UnitKind
from simasn.org.services import units as units_module
from simasn.org.tests.factories import UnitFactory

EFFECTIVE = dt.date(2025, 7, 1)


def merge(actor, source, target):
    return services.unit_merge(actor=actor, source=source, target=target, effective_date=EFFECTIVE,
                               legal_basis="Perwali Kendari 7/2025")


def riwayat(employee):
    return list(PositionHistory.objects.filter(employee=employee)
                .values_list("position_id", "position_name", "unit_name", "tmt"))


def test_everyone_moved_gets_a_riwayat_jabatan_row_naming_the_new_unit(org, users):
    no_position = EmployeeFactory(unit=org.opd_b)
    sub_b = UnitFactory(name="Bidang Beta", kind=UnitKind.BIDANG, parent=org.opd_b)
    in_sub_unit = EmployeeFactory(unit=sub_b)
    result = merge(users.admin_bkpsdm, org.opd_b, org.opd_a)
    assert result.employees == 2
    assert riwayat(org.staff_b) == [(org.staf_b.pk, "Pengadministrasi Beta", "Dinas Alpha", EFFECTIVE)]
    assert riwayat(no_position) == [(None, "—", "Dinas Alpha", EFFECTIVE)]
    # A sub-unit moves whole and keeps its name, so the unit kerja of its people does not change.
    assert riwayat(in_sub_unit) == []
    assert riwayat(org.staff_a) == []
    events = AuditEvent.objects.filter(action="employees.history_added")
    assert sorted(e.after["employee_id"] for e in events) == sorted([org.staff_b.pk, no_position.pk])
    assert {e.object_type for e in events} == {"employees.positionhistory"}
    assert audit_verify().ok


def test_admin_opd_of_the_merged_unit_is_rescoped_to_the_target(org, users):
    admin_b = UserFactory(role=Role.ADMIN_OPD, scope_unit=org.opd_b)
    sub_b = UnitFactory(name="Bidang Beta", kind=UnitKind.BIDANG, parent=org.opd_b)
    admin_sub = UserFactory(role=Role.ADMIN_OPD, scope_unit=sub_b)
    result = merge(users.admin_bkpsdm, org.opd_b, org.opd_a)
    assert result.admin_accounts == 1
    admin_b.refresh_from_db()
    admin_sub.refresh_from_db()
    assert admin_b.scope_unit_id == org.opd_a.pk
    assert managed_unit_path(admin_b) == org.opd_a.path  # and so he still manages the people he managed
    assert admin_b.has_perm("employees.edit_employee", Employee.objects.get(pk=org.staff_b.pk))
    assert admin_sub.scope_unit_id == sub_b.pk  # the sub-unit is still active, under its new parent
    assert User.objects.get(pk=users.admin_opd_a.pk).scope_unit_id == org.opd_a.pk
    event = AuditEvent.objects.get(action="accounts.scope_changed")
    assert (event.object_type, event.object_id) == ("accounts.user", str(admin_b.pk))
    assert (event.before, event.after) == ({"scope_unit_id": org.opd_b.pk}, {"scope_unit_id": org.opd_a.pk})
    assert not User.objects.filter(scope_unit=org.opd_b).exists()
    assert audit_verify().ok


def test_merge_by_an_admin_opd_inside_his_scope_rescopes_the_bidang_admin(org, users):
    seksi = UnitFactory(name="Seksi Alpha", kind=UnitKind.SEKSI, parent=org.opd_a)
    admin_seksi = UserFactory(role=Role.ADMIN_OPD, scope_unit=seksi)
    worker = EmployeeFactory(unit=seksi)
    merge(users.admin_opd_a, seksi, org.bidang_a)
    admin_seksi.refresh_from_db()
    assert admin_seksi.scope_unit_id == org.bidang_a.pk
    assert riwayat(worker) == [(None, "—", "Bidang Alpha Satu", EFFECTIVE)]


def test_a_failure_late_in_the_merge_leaves_nothing_behind(org, users):
    admin_b = UserFactory(role=Role.ADMIN_OPD, scope_unit=org.opd_b)

    def fail_on_rescope(*, actor, action, entries):
        if action == "accounts.scope_changed":
            raise RuntimeError("putus")
        return audit_record_many(actor=actor, action=action, entries=entries)

    audit_before = AuditEvent.objects.count()
    with mock.patch.object(units_module, "audit_record_many", side_effect=fail_on_rescope), \
            pytest.raises(RuntimeError):
        merge(users.admin_bkpsdm, org.opd_b, org.opd_a)
    assert Unit.objects.get(pk=org.opd_b.pk).is_active
    assert Employee.objects.get(pk=org.staff_b.pk).unit_id == org.opd_b.pk
    assert not PositionHistory.objects.exists()
    assert User.objects.get(pk=admin_b.pk).scope_unit_id == org.opd_b.pk
    assert AuditEvent.objects.count() == audit_before


def test_merge_query_count_does_not_grow_with_people(org, users):
    def queries_for(n_employees, n_admins):
        source = UnitFactory(kind=UnitKind.BIDANG, parent=org.opd_a)
        EmployeeFactory.create_batch(n_employees, unit=source)
        UserFactory.create_batch(n_admins, role=Role.ADMIN_OPD, scope_unit=source)
        with CaptureQueriesContext(connection) as ctx:
            result = merge(users.admin_bkpsdm, source, org.bidang_a)
        assert (result.employees, result.admin_accounts) == (n_employees, n_admins)
        return len(ctx)

    queries_for(1, 1)  # the audit chain head exists from here on, as in any running system
    assert queries_for(2, 1) == queries_for(40, 5)
