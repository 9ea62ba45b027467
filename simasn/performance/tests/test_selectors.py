"""Reads: who sees which SKP, the atasan's inbox, coverage, the unit recap and city distribution in a
constant number of queries, and the bulk predikat other capabilities read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simasn.core.errors import NotFound
from simasn.employees.tests.factories import EmployeeFactory
from simasn.org.models import UnitKind
from simasn.org.tests.factories import PositionFactory, UnitFactory
from simasn.performance import selectors, services
from simasn.performance.models import AssessmentStatus, SkpStatus

from .factories import AssessmentFactory, SkpFactory, UnitResultFactory

pytestmark = pytest.mark.django_db


def test_who_reads_an_skp(cast, users, agreed):
    staff_skp = agreed["staff"]
    for viewer in (cast.staff, cast.kabid, users.admin_opd_a, users.admin_bkpsdm, cast.pimpinan):
        assert selectors.skp_get_for(viewer=viewer, pk=staff_skp.pk) == staff_skp
    for viewer in (cast.staff2, cast.staff_b):  # a colleague, another OPD
        with pytest.raises(NotFound):
            selectors.skp_get_for(viewer=viewer, pk=staff_skp.pk)
    # head_a is two levels up: he sees the SKP only once an objection names him reviewer.
    with pytest.raises(NotFound):
        selectors.skp_get_for(viewer=cast.head, pk=staff_skp.pk)
    a = services.assessment_rate(actor=cast.kabid, skp=staff_skp, period=1, hasil="sesuai", perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    services.objection_file(actor=cast.staff, assessment=a, reason="Mohon ditinjau")
    assert selectors.skp_get_for(viewer=cast.head, pk=staff_skp.pk) == staff_skp


def test_my_skp_and_parent_choices(cast, agreed, year):
    mine = selectors.my_skp(viewer=cast.staff, year=year)
    assert mine == agreed["staff"] and [i.text for i in mine.items.all()] == ["Dokumen analisis"]
    assert selectors.my_skp(viewer=cast.staff, year=year + 1) is None
    assert list(selectors.parent_item_choices(mine)) == list(agreed["kabid"].items.all())
    assert list(selectors.parent_item_choices(agreed["head"])) == []


def test_inbox_of_the_atasan(cast, agreed, year):
    today = dt.date(year, 4, 1)  # January–March have ended
    box = selectors.inbox(viewer=cast.kabid, today=today)
    assert box.skps_to_agree == []
    assert {(d.skp.pk, d.period) for d in box.assessments_due} == {
        (agreed[n].pk, p) for n in ("staff", "staff2") for p in (1, 2, 3)}
    a = services.assessment_rate(actor=cast.kabid, skp=agreed["staff"], period=1, hasil="sesuai",
                                 perilaku="sesuai")
    services.assessment_finalise(actor=cast.kabid, assessment=a)
    box = selectors.inbox(viewer=cast.kabid, today=today)
    assert (agreed["staff"].pk, 1) not in {(d.skp.pk, d.period) for d in box.assessments_due}
    # The pimpinan stands in for the Sekda-level atasan of head_a, whose SKP has no ASN penilai.
    services.skp_revision_request(actor=cast.head, skp=agreed["head"], reason="Perubahan")
    services.skp_submit(actor=cast.head, skp=agreed["head"])
    assert [s.pk for s in selectors.inbox(viewer=cast.pimpinan, today=today).skps_to_agree] == [agreed["head"].pk]
    assert selectors.inbox(viewer=cast.staff, today=today).total == 0


def test_inbox_in_constant_queries(cast, org, agreed, year, django_assert_max_num_queries):
    for _ in range(15):
        e = EmployeeFactory(unit=org.bidang_a, position=org.staf_a)
        SkpFactory(employee=e, pejabat_penilai=org.kabid, agreed=True, year=year)
    with django_assert_max_num_queries(6):
        box = selectors.inbox(viewer=cast.kabid, today=dt.date(year + 1, 3, 1))
    assert len(box.assessments_due) == 17 * 13


def test_coverage_lists_who_has_no_agreed_skp(cast, org, users, agreed, year):
    services.skp_revision_request(actor=cast.staff2, skp=agreed["staff2"], reason="Perubahan")
    missing = selectors.coverage_missing(viewer=users.admin_opd_a, year=year)
    # staff2's SKP was agreed once (now under revision): covered. Everyone in OPD A has one.
    assert list(missing) == []
    assert set(selectors.coverage_missing(viewer=users.admin_bkpsdm, year=year)) == {org.staff_b}
    assert list(selectors.coverage_missing(viewer=users.admin_bkpsdm, year=year + 1, unit=org.bidang_a)) == [
        *sorted([org.kabid, org.staff_a, org.staff_a2], key=lambda e: e.name)]


def _big_opd(year: int, n_units: int, per_unit: int):
    opd = UnitFactory(name="Dinas Besar", kind=UnitKind.DINAS)
    head_pos = PositionFactory(unit=opd, kelas_jabatan=14, jabatan_type="jpt_pratama")
    head = EmployeeFactory(unit=opd, position=head_pos)
    SkpFactory(employee=head, year=year, agreed=True)
    predikat = [("di_atas", "di_atas"), ("sesuai", "sesuai"), ("di_bawah", "sesuai"), ("sesuai", "di_bawah")]
    for u in range(n_units):
        unit = UnitFactory(parent=opd, kind=UnitKind.BIDANG)
        pos = PositionFactory(unit=unit, parent=head_pos, kelas_jabatan=9)
        for i in range(per_unit):
            e = EmployeeFactory(unit=unit, position=pos)
            if i % 5 == 0:
                continue  # no SKP
            skp = SkpFactory(employee=e, year=year, agreed=i % 7 != 1, pejabat_penilai=head)
            if skp.agreed_at and i % 3:
                hasil, perilaku = predikat[(u + i) % 4]
                AssessmentFactory(skp=skp, hasil=hasil, perilaku=perilaku)
            if skp.agreed_at and i % 2:
                AssessmentFactory(skp=skp, period=1)
    return opd


def test_unit_recap_in_constant_queries(users, year, django_assert_max_num_queries):
    small = _big_opd(year, 2, 5)
    with CaptureQueriesContext(connection) as ctx:
        selectors.unit_recap(viewer=users.admin_bkpsdm, unit=small, year=year, today=dt.date(year + 1, 3, 1))
    opd = _big_opd(year, 6, 12)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        recap = selectors.unit_recap(viewer=users.admin_bkpsdm, unit=opd, year=year, today=dt.date(year + 1, 3, 1))
    assert len(ctx.captured_queries) <= 6
    assert recap.total.employees == 1 + 6 * 12
    # Per bidang of 12: 3 without SKP (i = 0, 5, 10), 9 SKPs of which 2 not agreed (i = 1, 8).
    row = recap.rows[1]
    assert (row.employees, row.skps, row.agreed, row.without_agreed) == (12, 9, 7, 5)
    assert row.rated == sum(1 for i in range(12) if i % 5 and i % 7 != 1 and i % 3)
    # On 1 March of the next year every month and the annual rating are overdue: 13 per agreed SKP; the
    # factories made the January rating of some (odd i) and annual ones final.
    agreed_i = [i for i in range(12) if i % 5 and i % 7 != 1]
    done = sum((1 if i % 3 else 0) + (1 if i % 2 else 0) for i in agreed_i)
    assert row.late == 13 * len(agreed_i) - done
    assert sum(recap.total.predikat.values()) == sum(r.rated for r in recap.rows)
    assert recap.unit_predikat is None and recap.fits is None


def test_unit_recap_checks_the_distribution_and_the_scope(cast, org, users, agreed, year):
    UnitResultFactory(unit=org.opd_a, year=year, predikat="baik")
    for name in ("staff", "staff2", "kabid", "head"):
        AssessmentFactory(skp=agreed[name])
    recap = selectors.unit_recap(viewer=users.admin_opd_a, unit=org.opd_a, year=year)
    assert recap.total.predikat["baik"] == 4 and recap.fits is False and len(recap.violations) == 2
    assert selectors.unit_recap(viewer=cast.head, unit=org.opd_a, year=year).total.rated == 4  # the unit head
    for viewer in (cast.kabid, cast.staff, cast.staff_b):
        with pytest.raises(NotFound):
            selectors.unit_recap(viewer=viewer, unit=org.opd_a, year=year)
    with pytest.raises(NotFound):
        selectors.unit_recap(viewer=users.admin_opd_a, unit=org.opd_b, year=year)


def test_late_assessment_list(cast, org, users, agreed, year):
    late = selectors.late_assessments(viewer=users.admin_bkpsdm, unit=org.bidang_a, year=year,
                                      today=dt.date(year, 4, 11))
    assert {(d.skp.pk, d.period) for d in late} == {(agreed[n].pk, p) for n in ("kabid", "staff", "staff2")
                                                    for p in (1, 2, 3)}


def test_city_distribution_in_constant_queries(users, org, year, django_assert_max_num_queries):
    _big_opd(year, 3, 6)
    UnitResultFactory(unit=org.opd_a, year=year, predikat="istimewa")
    with django_assert_max_num_queries(3):
        city = selectors.city_distribution(viewer=users.admin_bkpsdm, year=year)
    assert city.total == sum(o.total for o in city.opds)
    assert any(o.unit == org.opd_a and o.unit_predikat == "istimewa" for o in city.opds)
    with pytest.raises(NotFound):
        selectors.city_distribution(viewer=users.admin_opd_a, year=year)


def test_final_predikat_for_other_capabilities(org, year, django_assert_num_queries):
    a = AssessmentFactory(skp=SkpFactory(employee=org.staff_a, agreed=True), hasil="di_bawah",
                          hasil_reason="x")
    AssessmentFactory(skp=SkpFactory(employee=org.staff_a2, agreed=True), status=AssessmentStatus.DRAFT,
                      finalised_at=None)
    AssessmentFactory(skp=a.skp, period=3, hasil="di_atas", perilaku="di_atas")
    with django_assert_num_queries(1):
        result = selectors.final_predikat_for([org.staff_a, org.staff_a2, org.kabid.pk], year)
    assert result == {org.staff_a.pk: "butuh_perbaikan"}
    assert selectors.final_predikat_for([org.staff_a], year, period=3) == {org.staff_a.pk: "sangat_baik"}
    assert list(selectors.employees_needing_coaching(year=year)) == [org.staff_a]


def test_subordinate_skps(cast, agreed, year):
    assert {s.pk for s in selectors.subordinate_skps(viewer=cast.kabid, year=year)} == {
        agreed["staff"].pk, agreed["staff2"].pk}
    assert [s.pk for s in selectors.subordinate_skps(viewer=cast.pimpinan, year=year)] == [agreed["head"].pk]
    assert agreed["head"].status == SkpStatus.AGREED
