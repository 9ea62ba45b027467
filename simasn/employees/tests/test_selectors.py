"""Who sees which employees (the one scoping rule), the list filters, atasan/bawahan and upcoming retirements."""

from __future__ import annotations

import datetime as dt

import pytest

from simasn.accounts.models import Role
from simasn.accounts.tests.factories import UserFactory
from simasn.conftest import user_for
from simasn.core.errors import NotFound
from simasn.employees import selectors
from simasn.employees.models import EmployeeStatus
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return {e.name for e in qs}


def everyone(org) -> set[str]:
    return {e.name for e in (org.head_a, org.kabid, org.staff_a, org.staff_a2, org.staff_b)}


@pytest.mark.parametrize("who", ["admin_bkpsdm", "pimpinan", "inspektorat"])
def test_city_wide_roles_see_everyone(org, users, who):
    assert names(selectors.employee_queryset_for(getattr(users, who))) == everyone(org)


def test_a_superuser_sees_everyone(org):
    assert names(selectors.employee_queryset_for(UserFactory(is_superuser=True, role=Role.PEGAWAI))) == everyone(org)


def test_admin_opd_sees_his_unit_subtree(org, users):
    assert names(selectors.employee_queryset_for(users.admin_opd_a)) == {
        org.head_a.name, org.kabid.name, org.staff_a.name, org.staff_a2.name}


def test_an_atasan_sees_himself_and_his_direct_subordinates(org, users):
    assert names(selectors.employee_queryset_for(users.kabid)) == {org.kabid.name, org.staff_a.name,
                                                                     org.staff_a2.name}


def test_the_atasan_of_the_atasan_sees_only_his_direct_subordinates(org):
    head = user_for(org.head_a)
    assert names(selectors.employee_queryset_for(head)) == {org.head_a.name, org.kabid.name}


def test_a_staff_member_sees_only_himself(org, users):
    assert names(selectors.employee_queryset_for(users.staff_a)) == {org.staff_a.name}


def test_a_login_without_an_employee_record_sees_nobody(org):
    assert not selectors.employee_queryset_for(UserFactory(role=Role.PEGAWAI)).exists()


def test_departed_people_are_nobody_s_subordinates_and_nobody_s_atasan(org, users):
    org.staff_a2.status = EmployeeStatus.PENSIUN
    org.staff_a2.save()
    assert names(selectors.employee_queryset_for(users.kabid)) == {org.kabid.name, org.staff_a.name}
    org.kabid.status = EmployeeStatus.MENINGGAL
    org.kabid.save()
    assert list(selectors.atasan_of(org.staff_a)) == []


def test_atasan_and_subordinates_follow_the_position_tree(org):
    assert list(selectors.atasan_of(org.staff_a)) == [org.kabid]
    assert list(selectors.atasan_of(org.kabid)) == [org.head_a]
    assert list(selectors.atasan_of(org.head_a)) == []
    assert names(selectors.subordinates_of(org.kabid)) == {org.staff_a.name, org.staff_a2.name}
    assert names(selectors.subordinates_of(org.staff_a)) == set()


def test_get_for_hides_what_is_out_of_scope_exactly_like_what_is_missing(org, users):
    assert selectors.employee_get_for(viewer=users.admin_opd_a, pk=org.staff_a.pk) == org.staff_a
    with pytest.raises(NotFound) as out_of_scope:
        selectors.employee_get_for(viewer=users.admin_opd_a, pk=org.staff_b.pk)
    with pytest.raises(NotFound) as missing:
        selectors.employee_get_for(viewer=users.admin_opd_a, pk=10**9)
    assert out_of_scope.value.as_dict() == missing.value.as_dict()


def test_list_search_by_name_or_nip(org, users):
    admin = users.admin_bkpsdm
    assert names(selectors.employee_list(viewer=admin, q=org.staff_b.name.lower())) == {org.staff_b.name}
    nip = org.staff_a.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]}"
    assert names(selectors.employee_list(viewer=admin, q=grouped)) == {org.staff_a.name}
    assert names(selectors.employee_list(viewer=admin, q="tidak ada orang begini")) == set()


def test_list_filter_by_unit_includes_sub_units_unless_asked_not_to(org, users):
    admin = users.admin_bkpsdm
    assert len(selectors.employee_list(viewer=admin, unit_id=org.opd_a.pk)) == 4
    assert names(selectors.employee_list(viewer=admin, unit_id=org.opd_a.pk, include_subunits=False)) == {
        org.head_a.name}
    assert not selectors.employee_list(viewer=admin, unit_id=10**9).exists()


def test_list_filters_never_widen_the_scope(org, users):
    assert not selectors.employee_list(viewer=users.admin_opd_a, unit_id=org.opd_b.pk).exists()


def test_list_filter_by_golongan_kind_and_status(org, users):
    admin = users.admin_bkpsdm
    assert names(selectors.employee_list(viewer=admin, golongan="IV/b")) == {org.head_a.name}
    EmployeeFactory(unit=org.opd_b, kind="PPPK", golongan="IX", name="Pegawai PPPK")
    assert names(selectors.employee_list(viewer=admin, kind="PPPK")) == {"Pegawai PPPK"}
    org.staff_b.status = EmployeeStatus.TUGAS_BELAJAR
    org.staff_b.save()
    assert names(selectors.employee_list(viewer=admin, status="tugas_belajar")) == {org.staff_b.name}


def test_upcoming_retirements_use_the_stored_date_and_the_scope(org, users):
    today = dt.date(2026, 3, 15)
    soon = [(org.staff_a, dt.date(2026, 4, 1)), (org.staff_b, dt.date(2027, 3, 1)), (org.kabid, dt.date(2027, 4, 1)),
            (org.head_a, dt.date(2026, 3, 1))]
    for employee, date in soon:
        employee.retirement_date = date
        employee.save()
    admin = users.admin_bkpsdm
    assert [e.name for e in selectors.upcoming_retirements(viewer=admin, today=today)] == [
        org.staff_a.name, org.staff_b.name]  # 1 Apr 2027 is beyond 12 months; 1 Mar 2026 has passed
    assert names(selectors.upcoming_retirements(viewer=admin, within_months=13, today=today)) == {
        org.staff_a.name, org.staff_b.name, org.kabid.name}
    assert names(selectors.upcoming_retirements(viewer=users.admin_opd_a, today=today)) == {org.staff_a.name}
    org.staff_a.status = EmployeeStatus.PENSIUN
    org.staff_a.save()
    assert names(selectors.upcoming_retirements(viewer=users.admin_opd_a, today=today)) == set()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)), (dt.date(2026, 3, 15), 12, dt.date(2027, 3, 15)),
     (dt.date(2027, 12, 31), 2, dt.date(2028, 2, 29))],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert selectors.add_months(day, months) == expected


def test_filter_options_offer_only_units_in_scope(org, users):
    UnitFactory(name="Unit Lain")
    assert list(selectors.filter_options(users.admin_opd_a)) == [
        (org.opd_a.pk, "Dinas Alpha", 0), (org.bidang_a.pk, "Bidang Alpha Satu", 1)]
    assert {u.name for u in selectors.filter_options(users.kabid)} == {"Bidang Alpha Satu"}
    assert "Unit Lain" in {u.name for u in selectors.filter_options(users.admin_bkpsdm)}


def test_the_list_is_one_query_per_page_with_unit_and_position_joined(org, users, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(e.full_name, e.unit.name, e.position.name if e.position else "")
                for e in selectors.employee_list(viewer=users.admin_bkpsdm)]
    assert len(rows) == 5
