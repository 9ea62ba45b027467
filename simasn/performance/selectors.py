"""Reads of the SKP cycle, scoped to the viewer. Recaps are grouped queries: their number does not grow with
the number of units, employees or assessments (tests assert it).

Who reads an SKP: whoever may read the employee (`employees.selectors.employee_queryset_for`: himself, his
atasan langsung, admin OPD of the unit, city-wide readers), its pejabat penilai, and the reviewer of an
objection against one of its assessments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from simasn.accounts.scopes import is_city_wide
from simasn.core.errors import NotFound
from simasn.employees.models import Employee
from simasn.employees.selectors import DEPARTED_STATUSES, employee_queryset_for, own_employee
from simasn.org.models import Unit, UnitKind

from . import periods, rules
from . import rules_data as R
from .models import (
    Assessment,
    AssessmentStatus,
    CoachingPlan,
    Evidence,
    Feedback,
    Objection,
    Realisation,
    Skp,
    SkpItem,
    SkpStatus,
    UnitResult,
)
from .predikat import check_distribution

# ----------------------------------------------------------------------------------------------- scoping


def skp_queryset_for(viewer: Any) -> QuerySet[Skp]:
    qs = Skp.objects.all()
    if not getattr(viewer, "is_authenticated", False):
        return qs.none()
    if is_city_wide(viewer):
        return qs
    allowed = Q(employee__in=employee_queryset_for(viewer).values("pk"))
    me = own_employee(viewer)
    if me is not None:
        allowed |= Q(pejabat_penilai_id=me.pk) | Q(
            pk__in=Objection.objects.filter(reviewer_id=me.pk).values("assessment__skp_id"))
    return qs.filter(allowed)


def skp_get_for(*, viewer: Any, pk: int) -> Skp:
    skp = (skp_queryset_for(viewer).select_related("employee", "unit", "position", "position__parent",
                                                   "pejabat_penilai").filter(pk=pk).first())
    if skp is None:
        raise NotFound("SKP tidak ditemukan.")
    return skp


def item_get_for(*, viewer: Any, pk: int) -> SkpItem:
    item = SkpItem.objects.filter(pk=pk, skp__in=skp_queryset_for(viewer).values("pk")).select_related(
        "skp", "skp__employee", "skp__position", "skp__position__parent").first()
    if item is None:
        raise NotFound("Hasil kerja tidak ditemukan.")
    return item


def realisation_get_for(*, viewer: Any, pk: int) -> Realisation:
    realisation = Realisation.objects.filter(pk=pk, item__skp__in=skp_queryset_for(viewer).values("pk")).select_related(
        "item", "item__skp").first()
    if realisation is None:
        raise NotFound("Realisasi tidak ditemukan.")
    return realisation


def evidence_get_for(*, viewer: Any, pk: int) -> Evidence:
    """One piece of evidence the viewer may read (the page streaming the file starts here)."""
    evidence = Evidence.objects.filter(
        pk=pk, realisation__item__skp__in=skp_queryset_for(viewer).values("pk")
    ).select_related("realisation", "realisation__item", "realisation__item__skp").first()
    if evidence is None:
        raise NotFound("Bukti dukung tidak ditemukan.")
    return evidence


def assessment_get_for(*, viewer: Any, pk: int) -> Assessment:
    assessment = Assessment.objects.filter(pk=pk, skp__in=skp_queryset_for(viewer).values("pk")).select_related(
        "skp", "skp__employee", "skp__pejabat_penilai").first()
    if assessment is None:
        raise NotFound("Penilaian tidak ditemukan.")
    return assessment


def objection_get_for(*, viewer: Any, pk: int) -> Objection:
    objection = Objection.objects.filter(
        pk=pk, assessment__skp__in=skp_queryset_for(viewer).values("pk")
    ).select_related("assessment", "assessment__skp", "employee", "reviewer").first()
    if objection is None:
        raise NotFound("Keberatan tidak ditemukan.")
    return objection


def coaching_plan_queryset_for(viewer: Any) -> QuerySet[CoachingPlan]:
    """Plans of employees the viewer may read, and those he owns."""
    qs = CoachingPlan.objects.select_related("employee", "owner", "assessment")
    if is_city_wide(viewer):
        return qs
    me = own_employee(viewer)
    allowed = Q(employee__in=employee_queryset_for(viewer).values("pk"))
    if me is not None:
        allowed |= Q(owner_id=me.pk)
    return qs.filter(allowed)


def coaching_plan_get_for(*, viewer: Any, pk: int) -> CoachingPlan:
    plan = coaching_plan_queryset_for(viewer).filter(pk=pk).first()
    if plan is None:
        raise NotFound("Rencana pembinaan tidak ditemukan.")
    return plan


# ----------------------------------------------------------------------------------------------- one SKP


def with_plan(skp: Skp) -> Skp:
    """Attach items (with indicators, expectations and the atasan's item they come from) and the SKP-level
    expectations: 3 queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [skp],
        Prefetch("items", queryset=SkpItem.objects.select_related("parent_item").prefetch_related("indicators")),
        "expectations",
    )
    return skp


def with_monitoring(skp: Skp) -> Skp:
    """Attach the plan plus realisations (with evidence), feedback and assessments: 7 queries in all."""
    from django.db.models import prefetch_related_objects

    with_plan(skp)
    prefetch_related_objects(
        [skp],
        Prefetch("items__realisations", queryset=Realisation.objects.prefetch_related("evidence")),
        Prefetch("feedback", queryset=Feedback.objects.select_related("item", "given_by")),
        Prefetch("assessments", queryset=Assessment.objects.select_related("objection")),
    )
    return skp


def my_skp(*, viewer: Any, year: int) -> Skp | None:
    me = own_employee(viewer)
    if me is None:
        return None
    skp = Skp.objects.select_related("employee", "unit", "position", "pejabat_penilai").filter(
        employee=me, year=year).first()
    return with_plan(skp) if skp else None


def parent_item_choices(skp: Skp) -> QuerySet[SkpItem]:
    """The hasil kerja of the pejabat penilai's SKP of the same year that this SKP's items may cascade from."""
    if skp.pejabat_penilai_id is None:
        return SkpItem.objects.none()
    return SkpItem.objects.filter(skp__employee_id=skp.pejabat_penilai_id, skp__year=skp.year,
                                  is_additional=False).order_by("order", "id")


def _rated_by_me_q(viewer: Any) -> Q | None:
    me = own_employee(viewer)
    q = Q(pejabat_penilai_id=me.pk) if me is not None else None
    if rules.acts_for_kepala_daerah(viewer):
        kd = Q(pejabat_penilai__isnull=True)
        if me is not None:
            kd &= ~Q(employee_id=me.pk)
        q = kd if q is None else q | kd
    return q


def subordinate_skps(*, viewer: Any, year: int) -> QuerySet[Skp]:
    """The SKPs the viewer rates as pejabat penilai for a year."""
    q = _rated_by_me_q(viewer)
    if q is None:
        return Skp.objects.none()
    return Skp.objects.filter(q, year=year).select_related("employee", "unit").order_by("employee__name")


# ----------------------------------------------------------------------------------------------- inbox


@dataclass
class DueAssessment:
    skp: Skp
    period: int

    @property
    def label(self) -> str:
        return periods.period_label(self.skp.period_kind, self.period)


@dataclass
class Inbox:
    skps_to_agree: list[Skp]
    assessments_due: list[DueAssessment]
    objections_to_decide: list[Objection]

    @property
    def total(self) -> int:
        return len(self.skps_to_agree) + len(self.assessments_due) + len(self.objections_to_decide)


def inbox(*, viewer: Any, today: dt.date | None = None) -> Inbox:
    """What awaits the viewer as atasan: submitted SKPs to agree, ended periods of this and last year's agreed
    SKPs without a final assessment (earliest first), pending objections. Three queries."""
    today = today or timezone.localdate()
    q = _rated_by_me_q(viewer)
    if q is None:
        return Inbox([], [], [])
    skps = list(
        Skp.objects.filter(q, year__in=[today.year - 1, today.year])
        .filter(Q(status=SkpStatus.SUBMITTED) | Q(agreed_at__isnull=False))
        .select_related("employee")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.filter(status=AssessmentStatus.FINAL)
                                   .only("id", "skp_id", "period"), to_attr="final_assessments"))
        .order_by("year", "employee__name")
    )
    to_agree = [s for s in skps if s.status == SkpStatus.SUBMITTED]
    due: list[DueAssessment] = []
    for skp in skps:
        if skp.agreed_at is None:
            continue
        done = {a.period for a in skp.final_assessments}
        ended = [p for p in range(1, R.PERIODS_PER_YEAR[skp.period_kind] + 1)
                 if periods.period_has_ended(skp.year, skp.period_kind, p, today)]
        if periods.period_has_ended(skp.year, skp.period_kind, R.ANNUAL_PERIOD, today):
            ended.append(R.ANNUAL_PERIOD)
        due += [DueAssessment(skp, p) for p in ended if p not in done]
    me = own_employee(viewer)
    oq = Q(reviewer_id=me.pk) if me is not None else Q(pk__in=[])
    if rules.acts_for_kepala_daerah(viewer):
        oq |= Q(reviewer__isnull=True)
    objections = list(
        Objection.objects.filter(oq, status=Objection.Status.PENDING)
        .exclude(employee_id=me.pk if me is not None else None)
        .select_related("assessment", "assessment__skp", "employee").order_by("filed_at")
    )
    return Inbox(to_agree, due, objections)


# ----------------------------------------------------------------------------------------------- coverage & recap


def _current(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    return qs.exclude(status__in=DEPARTED_STATUSES)


def _agreed_skp(year: int) -> Exists:
    return Exists(Skp.objects.filter(employee_id=OuterRef("pk"), year=year, agreed_at__isnull=False))


def coverage_missing(*, viewer: Any, year: int, unit: Unit | None = None) -> QuerySet[Employee]:
    """Current employees in the viewer's scope (and the unit subtree) with no agreed SKP for the year."""
    qs = _current(employee_queryset_for(viewer))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return (qs.filter(~_agreed_skp(year)).select_related("unit", "position")
            .only("id", "nip", "name", "front_title", "back_title", "unit__id", "unit__name", "position__id",
                  "position__name").order_by("unit__path", "name"))


@dataclass
class RecapRow:
    unit: Unit
    employees: int = 0
    covered: int = 0  # employees with an agreed SKP for the year
    skps: int = 0
    agreed: int = 0
    submitted: int = 0
    expected_due: int = 0  # assessments whose due date has passed, over the unit's agreed SKPs
    done_due: int = 0  # of those, final
    predikat: dict[str, int] = field(default_factory=lambda: dict.fromkeys(R.PREDIKAT, 0))

    @property
    def without_agreed(self) -> int:
        return max(self.employees - self.covered, 0)

    @property
    def late(self) -> int:
        return max(self.expected_due - self.done_due, 0)

    @property
    def rated(self) -> int:
        return sum(self.predikat.values())


@dataclass
class UnitRecap:
    unit: Unit
    year: int
    rows: list[RecapRow]
    total: RecapRow
    unit_predikat: str | None
    fits: bool | None
    violations: list[str]


def _due_cases(year: int, today: dt.date) -> tuple[Case, Q]:
    """Per SKP, how many assessments are past due (SQL CASE on its period kind); and the Q selecting the final
    assessments that satisfy one of them."""
    annual = 1 if periods.annual_overdue(year, today) else 0
    expected = Case(
        *(When(period_kind=kind, then=Value(len(periods.overdue_periods(year, kind, today)) + annual))
          for kind in R.PERIODS_PER_YEAR),
        default=Value(0), output_field=IntegerField(),
    )
    done = Q(pk__in=[])
    for kind in R.PERIODS_PER_YEAR:
        done |= Q(skp__period_kind=kind, period__in=periods.overdue_periods(year, kind, today))
    if annual:
        done |= Q(period=R.ANNUAL_PERIOD)
    return expected, done


def unit_recap(*, viewer: Any, unit: Unit, year: int, today: dt.date | None = None) -> UnitRecap:
    """Per unit of the subtree: employees, SKP coverage, annual predikat counts, late assessments; and the
    distribution check of the whole subtree against its own predikat. Five queries, whatever the size."""
    if not rules.can_view_unit_recap(viewer, unit):
        raise NotFound("Unit tidak ditemukan.")
    today = today or timezone.localdate()
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    rows = {u.pk: RecapRow(unit=u) for u in units}
    ids = list(rows)
    emp = (
        _current(Employee.objects.filter(unit_id__in=ids))
        .order_by().values("unit_id").annotate(n=Count("pk"), covered=Count("pk", filter=_agreed_skp(year)))
    )
    for r in emp:
        rows[r["unit_id"]].employees, rows[r["unit_id"]].covered = r["n"], r["covered"]
    expected, done = _due_cases(year, today)
    skp_stats = (
        Skp.objects.filter(unit_id__in=ids, year=year).order_by().values("unit_id").annotate(
            n=Count("pk"), agreed=Count("pk", filter=Q(agreed_at__isnull=False)),
            submitted=Count("pk", filter=Q(status=SkpStatus.SUBMITTED)),
            expected=Sum(expected, filter=Q(agreed_at__isnull=False)),
        )
    )
    for r in skp_stats:
        row = rows[r["unit_id"]]
        row.skps, row.agreed, row.submitted, row.expected_due = r["n"], r["agreed"], r["submitted"], r["expected"] or 0
    annual_final = Q(period=R.ANNUAL_PERIOD, status=AssessmentStatus.FINAL)
    a_stats = (
        Assessment.objects.filter(unit_id__in=ids, year=year, skp__agreed_at__isnull=False).order_by()
        .values("unit_id").annotate(
            done=Count("pk", filter=done & Q(status=AssessmentStatus.FINAL)),
            **{f"p_{code}": Count("pk", filter=annual_final & Q(predikat=code)) for code in R.PREDIKAT},
        )
    )
    for r in a_stats:
        row = rows[r["unit_id"]]
        row.done_due = r["done"]
        row.predikat = {code: r[f"p_{code}"] for code in R.PREDIKAT}
    total = RecapRow(unit=unit)
    for row in rows.values():
        for attr in ("employees", "covered", "skps", "agreed", "submitted", "expected_due", "done_due"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
        for code, n in row.predikat.items():
            total.predikat[code] += n
    result = UnitResult.objects.filter(unit=unit, year=year).first()
    fits, violations = (check_distribution(result.predikat, total.predikat)
                        if result is not None else (None, []))
    return UnitRecap(unit=unit, year=year, rows=list(rows.values()), total=total,
                     unit_predikat=result.predikat if result else None, fits=fits, violations=violations)


def late_assessments(*, viewer: Any, unit: Unit, year: int, today: dt.date | None = None) -> list[DueAssessment]:
    """The assessments of the unit subtree past their due date and not final, per SKP and period (2 queries)."""
    if not rules.can_view_unit_recap(viewer, unit):
        raise NotFound("Unit tidak ditemukan.")
    today = today or timezone.localdate()
    skps = (
        Skp.objects.filter(unit__path__startswith=unit.path, year=year, agreed_at__isnull=False)
        .select_related("employee", "unit", "pejabat_penilai")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.filter(status=AssessmentStatus.FINAL)
                                   .only("id", "skp_id", "period"), to_attr="final_assessments"))
        .order_by("unit__path", "employee__name")
    )
    late = []
    for skp in skps:
        done = {a.period for a in skp.final_assessments}
        wanted = periods.overdue_periods(year, skp.period_kind, today)
        if periods.annual_overdue(year, today):
            wanted.append(R.ANNUAL_PERIOD)
        late += [DueAssessment(skp, p) for p in wanted if p not in done]
    return late


@dataclass
class OpdDistribution:
    unit: Unit | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(R.PREDIKAT, 0))
    unit_predikat: str | None = None
    fits: bool | None = None
    violations: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class CityDistribution:
    year: int
    counts: dict[str, int]
    opds: list[OpdDistribution]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _opd_units() -> list[Unit]:
    """The OPD: children of the pemda root, or top-level units when the tree has no pemda root."""
    return list(Unit.objects.filter(
        Q(parent__isnull=True, is_active=True) & ~Q(kind=UnitKind.PEMDA)
        | Q(parent__kind=UnitKind.PEMDA, parent__parent__isnull=True, is_active=True)
    ).order_by("name"))


def city_distribution(*, viewer: Any, year: int) -> CityDistribution:
    """Final annual predikat city-wide and per OPD with each OPD's distribution check: one GROUP BY over the
    assessments (rolled up to the OPD by path prefix in Python), plus the OPD list and their results."""
    if not is_city_wide(viewer):
        raise NotFound("Halaman tidak ditemukan.")
    opds = {u.path: OpdDistribution(unit=u) for u in _opd_units()}
    loose = OpdDistribution(unit=None)
    city = dict.fromkeys(R.PREDIKAT, 0)
    grouped = (
        Assessment.objects.filter(year=year, period=R.ANNUAL_PERIOD, status=AssessmentStatus.FINAL)
        .order_by().values("unit__path", "predikat").annotate(n=Count("pk"))
    )
    for r in grouped:
        segments = r["unit__path"].strip("/").split("/")
        prefixes = ("/" + "/".join(segments[:depth]) + "/" for depth in (1, 2))
        target = next((opds[p] for p in prefixes if p in opds), loose)
        target.counts[r["predikat"]] += r["n"]
        city[r["predikat"]] += r["n"]
    results = dict(UnitResult.objects.filter(year=year, unit__in=[o.unit for o in opds.values()])
                   .values_list("unit_id", "predikat"))
    rows = []
    for opd in opds.values():
        opd.unit_predikat = results.get(opd.unit.pk)
        if opd.unit_predikat and opd.total:
            opd.fits, opd.violations = check_distribution(opd.unit_predikat, opd.counts)
        if opd.total or opd.unit_predikat:
            rows.append(opd)
    if loose.total:
        rows.append(loose)
    return CityDistribution(year=year, counts=city, opds=rows)


# ----------------------------------------------------------------------------------------------- distribution


def annual_in_subtree(unit: Unit, year: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit__path__startswith=unit.path, year=year, period=R.ANNUAL_PERIOD)


def unit_distribution(unit: Unit, year: int) -> dict[str, Any]:
    """Before finalising: counts of the annual predikat (draft and final) in the unit subtree, the agreed SKPs
    not rated yet, and the limits the counts break for the unit's own predikat (`unit_predikat` None when
    the unit has no result for the year). Three queries."""
    counts = dict.fromkeys(R.PREDIKAT, 0)
    for row in annual_in_subtree(unit, year).order_by().values("predikat").annotate(n=Count("pk")):
        counts[row["predikat"]] = row["n"]
    unrated = (
        Skp.objects.filter(unit__path__startswith=unit.path, year=year, agreed_at__isnull=False)
        .exclude(assessments__period=R.ANNUAL_PERIOD).count()
    )
    result = UnitResult.objects.filter(unit=unit, year=year).first()
    fits, violations = None, []
    if result is not None:
        fits, violations = check_distribution(result.predikat, counts)
    return {"unit_predikat": result.predikat if result else None, "counts": counts, "unrated": unrated,
            "fits": fits, "violations": violations}


# ----------------------------------------------------------------------------------------------- other apps


def final_predikat_for(employees: Iterable[Employee | int], year: int, *, period: int = R.ANNUAL_PERIOD
                       ) -> dict[int, str]:
    """{employee id: final predikat} of the year's annual assessment (or of one period), for TPP, awards and
    training needs. Employees without a final assessment are absent. One query."""
    ids = [e if isinstance(e, int) else e.pk for e in employees]
    return dict(
        Assessment.objects.filter(employee_id__in=ids, year=year, period=period, status=AssessmentStatus.FINAL)
        .values_list("employee_id", "predikat")
    )


def employees_needing_coaching(*, year: int) -> QuerySet[Employee]:
    """Employees whose final annual predikat of the year calls for pembinaan (training needs analysis)."""
    return Employee.objects.filter(
        assessments__year=year, assessments__period=R.ANNUAL_PERIOD, assessments__status=AssessmentStatus.FINAL,
        assessments__predikat__in=R.COACHING_PREDIKAT,
    )
