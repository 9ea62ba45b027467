"""Reading the tree: one query for the units, one for the headcounts, nested in path order."""

import datetime as dt

import pytest

from simasn.employees.models import EmployeeStatus
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org import selectors, services
from simasn.org.models import UnitKind
from simasn.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def names(nodes):
    return [(n.unit.name, names(n.children)) if n.children else n.unit.name for n in nodes]


def test_tree_is_nested_with_headcounts(org, django_assert_num_queries):
    EmployeeFactory(unit=org.bidang_a, status=EmployeeStatus.PENSIUN)  # retired: not counted
    with django_assert_num_queries(2):
        roots = selectors.unit_tree()
    assert names(roots) == [("Dinas Alpha", ["Bidang Alpha Satu"]), "Badan Beta"]
    dinas = roots[0]
    assert (dinas.employee_count, dinas.total_employees) == (1, 4)
    assert (dinas.children[0].employee_count, dinas.children[0].total_employees) == (3, 3)


def test_tree_hides_inactive_units_unless_asked(org, users):
    services.unit_merge(actor=users.admin_bkpsdm, source=org.opd_b, target=org.opd_a,
                        effective_date=dt.date(2025, 1, 1), legal_basis="Perda 1/2025")
    assert [n.unit.name for n in selectors.unit_tree()] == ["Dinas Alpha"]
    assert [n.unit.name for n in selectors.unit_tree(include_inactive=True)] == ["Dinas Alpha", "Badan Beta"]


def test_search_keeps_ancestors_of_hits(org):
    seksi = UnitFactory(name="Seksi Gizi", kind=UnitKind.SEKSI, parent=org.bidang_a)
    roots = selectors.unit_tree(q="gizi")
    assert names(roots) == [("Dinas Alpha", [("Bidang Alpha Satu", ["Seksi Gizi"])])]
    assert [roots[0].matched, roots[0].children[0].matched, roots[0].children[0].children[0].matched] == [
        False, False, True]
    assert roots[0].total_employees == 4  # the whole subtree's headcount, not only what the search shows
    assert selectors.unit_tree(q=seksi.code.lower())[0].unit == org.opd_a
    assert selectors.unit_tree(q="tidak ada") == []


def test_flatten_tree_closes_every_opened_level(org):
    seksi = UnitFactory(kind=UnitKind.SEKSI, parent=org.bidang_a)
    rows = selectors.flatten_tree(selectors.unit_tree())
    assert [(r.node.unit, r.level, r.has_children, len(r.closes)) for r in rows] == [
        (org.opd_a, 0, True, 0), (org.bidang_a, 1, True, 0), (seksi, 2, False, 2), (org.opd_b, 0, False, 0)]


def test_ancestors_and_subtree(org):
    seksi = UnitFactory(kind=UnitKind.SEKSI, parent=org.bidang_a)
    assert selectors.unit_ancestors(seksi) == [org.opd_a, org.bidang_a]
    assert sorted(selectors.unit_subtree_ids(org.opd_a)) == sorted([org.opd_a.pk, org.bidang_a.pk, seksi.pk])


def test_siblings_in_creation_order_not_text_order_of_ids(org):
    later = [UnitFactory(parent=org.opd_b, kind=UnitKind.BIDANG) for _ in range(12)]
    children = selectors.unit_tree()[1].children
    assert [n.unit.pk for n in children] == [u.pk for u in later]
    assert [u.pk for u in selectors.unit_children(org.opd_b)] == [u.pk for u in later]
