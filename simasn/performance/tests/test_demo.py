"""The demo seed keeps the rules the services enforce: cascaded items, one SKP per employee and year, the
matrix predikat, heads following their OPD, coaching for poor predikat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F

from simasn.employees.tests.factories import EmployeeFactory
from simasn.performance import rules_data as R
from simasn.performance.demo import seed_skp
from simasn.performance.models import (
    Assessment,
    AssessmentStatus,
    CoachingPlan,
    Realisation,
    Skp,
    SkpIndicator,
    SkpItem,
    SkpStatus,
    UnitResult,
)
from simasn.performance.predikat import predikat_for

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def seeded(org):
    for i in range(40):
        EmployeeFactory(unit=org.bidang_a if i % 2 else org.opd_b, position=org.staf_a if i % 2 else org.staf_b)
    return seed_skp(year=YEAR, today=TODAY, agreed_nips=[org.staff_a.nip])


def test_counts_match_the_rows(seeded):
    assert seeded["skp"] == Skp.objects.filter(year=YEAR).count() > 0
    assert seeded["skp_tahun_lalu"] == Skp.objects.filter(year=YEAR - 1).count() == 45
    assert seeded["skp_items"] == SkpItem.objects.count()
    assert seeded["skp_indicators"] == SkpIndicator.objects.count()
    assert seeded["realisations"] == Realisation.objects.count() > 0
    assert seeded["assessments"] == Assessment.objects.count()
    assert seeded["coaching_plans"] == CoachingPlan.objects.count()
    assert seeded["unit_results"] == UnitResult.objects.count() == 2


def test_items_are_cascaded_from_the_atasans_skp_of_the_same_year(org, seeded):
    for item in SkpItem.objects.select_related("skp", "parent_item__skp"):
        if item.parent_item_id:
            assert item.parent_item.skp.employee_id == item.skp.pejabat_penilai_id
            assert item.parent_item.skp.year == item.skp.year
        else:
            assert item.unit_target or item.is_additional
    assert SkpItem.objects.filter(skp__employee=org.staff_a, parent_item__skp__employee=org.kabid).exists()
    assert not SkpItem.objects.annotate(n=Count("indicators")).filter(n=0).exists()


def test_heads_and_demo_logins_have_an_agreed_skp(org, seeded):
    for employee in (org.head_a, org.kabid, org.staff_a):
        assert Skp.objects.get(employee=employee, year=YEAR).status == SkpStatus.AGREED
    assert not Skp.objects.filter(year=YEAR - 1).exclude(status=SkpStatus.AGREED).exists()


def test_ratings_follow_the_matrix_and_the_opd(org, seeded):
    annual = Assessment.objects.filter(year=YEAR - 1, period=R.ANNUAL_PERIOD)
    assert annual.count() == 45 and not annual.exclude(status=AssessmentStatus.FINAL).exists()
    for a in Assessment.objects.all():
        assert a.predikat == predikat_for(a.hasil, a.perilaku)
        assert a.rated_by_id == a.skp.pejabat_penilai_id and a.unit_id == a.skp.unit_id
        assert (a.hasil_reason != "") == (a.hasil != "sesuai")
    head = annual.get(employee=org.head_a)
    result = UnitResult.objects.get(unit=org.opd_a, year=YEAR - 1)
    assert head.hasil == R.UNIT_HEAD_HASIL[result.predikat]
    # Periodic ratings only for months that have ended by "today" (April at the latest on 20 May).
    assert set(Assessment.objects.filter(year=YEAR).values_list("period", flat=True)) <= {1, 2, 3, 4}
    assert not Realisation.objects.exclude(period__in=[3, 4]).exists()


def test_poor_predikat_get_coaching_linked_to_their_assessment(seeded):
    poor = Assessment.objects.filter(year=YEAR - 1, period=0, predikat__in=R.COACHING_PREDIKAT)
    plans = CoachingPlan.objects.all()
    assert {p.employee_id for p in plans} == set(poor.values_list("employee_id", flat=True))
    assert not plans.exclude(assessment__employee_id=F("employee_id")).exists()
