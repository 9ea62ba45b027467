"""SKP data for the Kendari demo: this year's plans (heads first, every item cascaded from the atasan's) in
a realistic mix of states, realisations and periodic ratings of the last months, and last year's plans with
final annual predikat spread over the matrix, each OPD's own predikat and the coaching plans they call for.

Synthetic data for a demo database only (`seed_demo` calls it after the employees exist). Everything is
written in bulk, level by level down the position tree, so 10,000 employees take seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Model, OuterRef, Subquery
from django.utils import timezone

from simasn.core.demo.bulk import insert_rows
from simasn.employees.models import Employee, EmployeeStatus
from simasn.org.models import JabatanType, Position, Unit, UnitKind

from . import periods
from . import rules_data as R
from .models import (
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
from .predikat import check_distribution, predikat_for

JPT = {JabatanType.JPT_UTAMA, JabatanType.JPT_MADYA, JabatanType.JPT_PRATAMA}

# This year's SKP states, by weight, for employees who have one.
THIS_YEAR_STATES = ((SkpStatus.AGREED, 82), (SkpStatus.SUBMITTED, 8), (SkpStatus.DRAFT, 6), (SkpStatus.RETURNED, 4))
HAS_SKP_SHARE = 0.93  # the rest shows up in the coverage report
# (hasil, perilaku) of last year's annual ratings, by weight: mostly "Baik", a tail on both sides.
ANNUAL_RATINGS = ((("sesuai", "sesuai"), 55), (("di_atas", "sesuai"), 9), (("sesuai", "di_atas"), 6),
                  (("di_atas", "di_atas"), 14), (("di_bawah", "sesuai"), 9), (("sesuai", "di_bawah"), 4),
                  (("di_bawah", "di_bawah"), 2), (("di_bawah", "di_atas"), 1))
UNIT_RESULTS = (("baik", 70), ("istimewa", 18), ("butuh_perbaikan", 12))
REASONS = {
    ("hasil", "di_atas"): "Realisasi melampaui target pada sebagian besar indikator.",
    ("hasil", "di_bawah"): "Beberapa target tidak tercapai dan terlambat diselesaikan.",
    ("perilaku", "di_atas"): "Menjadi teladan dalam pelayanan dan kerja sama tim.",
    ("perilaku", "di_bawah"): "Beberapa kali tidak menindaklanjuti arahan dan keluhan layanan.",
}
HEAD_ITEMS = ("Meningkatnya kualitas layanan {unit}", "Terlaksananya program prioritas {unit} tepat waktu",
              "Meningkatnya akuntabilitas kinerja {unit}")
STAFF_ITEMS = ("Tersusunnya dokumen kerja {position}", "Terlaksananya layanan {position} sesuai standar",
               "Tersedianya laporan berkala {position}")
INDICATORS = (("Jumlah dokumen yang diselesaikan", "kuantitas", "dokumen"),
              ("Persentase layanan sesuai SOP", "kualitas", "%"),
              ("Jumlah laporan yang disampaikan tepat waktu", "waktu", "laporan"))
REALISATION_MONTHS = 2  # realisations for the last months that have ended (ratings: every ended month)


def _weighted(rng: random.Random, table: Iterable[tuple[Any, int]]) -> Any:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Tree:
    """Employees, their atasan and their depth in the position tree, read once."""

    def __init__(self) -> None:
        self.positions = {p["id"]: p for p in Position.objects.values("id", "parent_id", "unit_id", "jabatan_type",
                                                                      "name")}
        self.units = dict(Unit.objects.values_list("id", "name"))
        self.employees = list(
            Employee.objects.filter(status=EmployeeStatus.AKTIF, position__isnull=False)
            .values("id", "nip", "unit_id", "position_id").order_by("name", "id")
        )
        holders: dict[int, list[int]] = defaultdict(list)
        for e in self.employees:
            holders[e["position_id"]].append(e["id"])  # name order, as employees.selectors.atasan_of
        self.atasan: dict[int, int | None] = {}
        for e in self.employees:
            parent = self.positions[e["position_id"]]["parent_id"]
            self.atasan[e["id"]] = holders[parent][0] if parent in holders else None
        self._depth: dict[int, int] = {}

    def depth(self, position_id: int) -> int:
        if position_id not in self._depth:
            parent = self.positions[position_id]["parent_id"]
            self._depth[position_id] = 0 if parent is None else self.depth(parent) + 1
        return self._depth[position_id]

    def is_head(self, position_id: int) -> bool:
        p = self.positions[position_id]
        return p["parent_id"] is None or self.positions[p["parent_id"]]["unit_id"] != p["unit_id"]

    def by_level(self) -> list[list[dict]]:
        levels: dict[int, list[dict]] = defaultdict(list)
        for e in self.employees:
            levels[self.depth(e["position_id"])].append(e)
        return [levels[d] for d in sorted(levels)]


def _opd_of(units: dict[int, str]) -> dict[int, int]:
    """unit id → its OPD's id (a child of the pemda root, or a root that is not the pemda)."""
    rows = list(Unit.objects.values_list("id", "path", "parent_id", "kind"))
    opds = {uid for uid, _, parent, kind in rows if parent is None and kind != UnitKind.PEMDA}
    roots = {uid for uid, _, parent, kind in rows if parent is None and kind == UnitKind.PEMDA}
    opds |= {uid for uid, _, parent, _ in rows if parent in roots}
    result = {}
    for uid, path, _, _ in rows:
        ids = [int(x) for x in path.strip("/").split("/") if x]
        result[uid] = next((i for i in ids if i in opds), ids[0] if ids else uid)
    return result


@dataclass
class _Planned:
    """An SKP or item as written: its row plus what the next level needs (its id once read back)."""

    row: dict[str, Any]
    pk: int = 0
    is_head_: bool = False
    jpt_: bool = False

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["row"][name]
        except KeyError:
            raise AttributeError(name) from None


def _insert_and_read_ids(model: type[Model], planned: list[_Planned], key: tuple[str, ...]) -> None:
    """Insert the rows in one command and give each its id back, matched on a key unique among them."""
    last = model.objects.aggregate(m=Max("pk"))["m"] or 0
    insert_rows(model, (p.row for p in planned))
    ids = {tuple(r[:-1]): r[-1] for r in model.objects.filter(pk__gt=last).values_list(*key, "pk")}
    for p in planned:
        p.pk = ids[tuple(p.row[k] for k in key)]


def _plan_year(tree: _Tree, rng: random.Random, year: int, *, state_of: Any, agreed_at: dt.datetime,
               max_items: int) -> tuple[dict[int, _Planned], dict[int, list[_Planned]], int]:
    """SKPs and cascaded items for one year, level by level (an item's parent must have its id first).
    Returns SKP per employee, items per SKP id, and the number of indicators written."""
    skps: dict[int, _Planned] = {}
    items_of: dict[int, list[_Planned]] = {}
    indicator_rows: list[dict[str, Any]] = []
    perspectives = list(R.PERSPECTIVES)
    for level in tree.by_level():
        new_skps = []
        for e in level:
            status = state_of(e)
            if status is None:
                continue
            row = {"employee_id": e["id"], "year": year, "unit_id": e["unit_id"], "position_id": e["position_id"],
                   "pejabat_penilai_id": tree.atasan[e["id"]], "period_kind": R.DEFAULT_PERIOD_KIND,
                   "status": status, "return_comment": "", "submitted_at": None, "agreed_at": None}
            if status == SkpStatus.AGREED:
                row["agreed_at"] = agreed_at
            if status in (SkpStatus.SUBMITTED, SkpStatus.AGREED):
                row["submitted_at"] = agreed_at - dt.timedelta(days=3)
            if status == SkpStatus.RETURNED:
                row["return_comment"] = "Lengkapi target kuantitas dan satuan setiap indikator."
            skp = _Planned(row, is_head_=tree.is_head(e["position_id"]),
                           jpt_=tree.positions[e["position_id"]]["jabatan_type"] in JPT)
            new_skps.append(skp)
            skps[e["id"]] = skp
        if not new_skps:
            continue
        _insert_and_read_ids(Skp, new_skps, ("employee_id", "year"))
        new_items = []
        for skp in new_skps:
            atasan_skp = skps.get(skp.pejabat_penilai_id) if skp.pejabat_penilai_id else None
            parents = items_of.get(atasan_skp.pk, []) if atasan_skp else []
            unit_name = tree.units[skp.unit_id]
            pos_name = tree.positions[skp.position_id]["name"]
            templates = HEAD_ITEMS if skp.is_head_ else STAFF_ITEMS
            for n in range(rng.randint(1, max_items)):
                row = {"skp_id": skp.pk, "text": templates[n % len(templates)].format(unit=unit_name,
                                                                                     position=pos_name.lower()),
                       "order": n + 1, "parent_item_id": None, "unit_target": "", "is_additional": False,
                       "perspective": perspectives[n % len(perspectives)] if skp.jpt_ else ""}
                if parents:
                    row["parent_item_id"] = parents[n % len(parents)].pk
                elif skp.is_head_ or skp.pejabat_penilai_id is None:
                    row["unit_target"] = f"Sasaran strategis {unit_name} {year}"
                else:
                    row["is_additional"] = True  # the atasan planned nothing to cascade from
                new_items.append(_Planned(row))
        _insert_and_read_ids(SkpItem, new_items, ("skp_id", "order"))
        for item in new_items:
            items_of.setdefault(item.skp_id, []).append(item)
            for k, (text, kind, unit) in enumerate(INDICATORS[: 1 + item.order % 2]):
                target = Decimal(100) if unit == "%" else Decimal(rng.choice((4, 6, 12, 24)))
                indicator_rows.append({"item_id": item.pk, "text": text, "target_kind": kind, "target_value": target,
                                       "target_unit": unit, "target_text": "", "order": k + 1})
    return skps, items_of, insert_rows(SkpIndicator, indicator_rows)


def seed_skp(*, year: int, seed: int = 2026, today: dt.date | None = None, agreed_nips: Iterable[str] = ()
             ) -> dict[str, int]:
    """Give the demo employees SKPs for `year` and final predikat for `year - 1`. `agreed_nips` always get an
    agreed SKP this year (the demo logins). Returns row counts per kind."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tree = _Tree()
    if not tree.employees:
        return {}
    must = set(agreed_nips)
    counts: dict[str, int] = {}

    # Last year: every active employee planned and agreed; annual ratings, mostly final.
    last = year - 1
    opd_of = _opd_of(tree.units)
    unit_results = {}
    for opd in sorted(set(opd_of.values())):
        unit_results[opd] = _weighted(rng, UNIT_RESULTS)
    insert_rows(UnitResult, [{"unit_id": u, "year": last, "predikat": p, "basis": f"Evaluasi SAKIP {last}"}
                             for u, p in unit_results.items()])
    last_agreed = timezone.make_aware(dt.datetime(last, 1, 20, 9))
    last_skps, last_items, n_ind = _plan_year(tree, rng, last, state_of=lambda e: SkpStatus.AGREED,
                                              agreed_at=last_agreed, max_items=2)
    finalised_at = timezone.make_aware(dt.datetime(year, 1, 25, 10))
    assessments, by_opd = [], defaultdict(list)
    for skp in last_skps.values():
        hasil, perilaku = _weighted(rng, ANNUAL_RATINGS)
        if skp.is_head_:
            hasil = R.UNIT_HEAD_HASIL[unit_results[opd_of[skp.unit_id]]]
        row = _assessment_row(skp, R.ANNUAL_PERIOD, hasil, perilaku, finalised_at)
        assessments.append(row)
        by_opd[opd_of[skp.unit_id]].append(row)
    for opd, rows in by_opd.items():
        tally = dict.fromkeys(R.PREDIKAT, 0)
        for r in rows:
            tally[r["predikat"]] += 1
        violations = check_distribution(unit_results[opd], tally)[1]
        for r in rows:
            r["distribution_violations"] = json.dumps(violations)
    counts["skp_tahun_lalu"] = len(last_skps)

    # This year: most employees have an SKP; heads and the demo logins always an agreed one.
    def state_of(e: dict) -> str | None:
        if e["nip"] in must or tree.is_head(e["position_id"]):
            return SkpStatus.AGREED
        if rng.random() > HAS_SKP_SHARE:
            return None
        return _weighted(rng, THIS_YEAR_STATES)

    agreed_at = timezone.make_aware(dt.datetime(year, 1, 31, 9))
    skps, items_of, n_ind2 = _plan_year(tree, rng, year, state_of=state_of, agreed_at=agreed_at, max_items=3)
    counts["skp"] = len(skps)
    counts["skp_items"] = sum(len(v) for v in items_of.values()) + sum(len(v) for v in last_items.values())
    counts["skp_indicators"] = n_ind + n_ind2

    # Realisations and monthly ratings of the last months that have ended (the latest still open for some).
    ended = [p for p in range(1, 13) if periods.period_has_ended(year, R.DEFAULT_PERIOD_KIND, p, today)]
    recent = ended[-REALISATION_MONTHS:]
    rated_share = {p: 0.97 for p in ended} | ({ended[-1]: 0.6} if ended else {})
    realisations = []
    for skp in skps.values():
        if skp.status != SkpStatus.AGREED:
            continue
        for period in recent:
            if rng.random() < 0.8:
                for item in items_of.get(skp.pk, []):
                    value = Decimal(rng.randint(0, 3))
                    realisations.append({"item_id": item.pk, "period": period, "value": value,
                                         "text": f"{value} keluaran selesai; rincian pada laporan bulanan."})
        for period in ended:
            if rng.random() < rated_share[period]:
                hasil, perilaku = _weighted(rng, ANNUAL_RATINGS)
                end = periods.period_bounds(year, R.DEFAULT_PERIOD_KIND, period)[1]
                rated = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=3), dt.time(10)))
                assessments.append(_assessment_row(skp, period, hasil, perilaku, rated))
    counts["realisations"] = insert_rows(Realisation, realisations)
    counts["assessments"] = insert_rows(Assessment, assessments)

    # Pembinaan for last year's poor predikat, owned by the atasan.
    coaching = [
        {"employee_id": r["employee_id"], "owner_id": r["rated_by_id"], "start_date": dt.date(year, 2, 1),
         "end_date": dt.date(year, 2, 1) + dt.timedelta(days=R.COACHING_PLAN.days), "status": "ongoing",
         "actions": "Pendampingan bulanan oleh atasan; pelatihan teknis sesuai kebutuhan."}
        for r in assessments if r["period"] == R.ANNUAL_PERIOD and r["predikat"] in R.COACHING_PREDIKAT
    ]
    counts["coaching_plans"] = insert_rows(CoachingPlan, coaching)
    counts["unit_results"] = len(unit_results)
    _link_coaching_to_assessments(last)
    return counts


def _assessment_row(skp: _Planned, period: int, hasil: str, perilaku: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "skp_id": skp.pk, "employee_id": skp.employee_id, "unit_id": skp.unit_id, "year": skp.year,
        "period": period, "hasil": hasil, "perilaku": perilaku,
        "hasil_reason": REASONS.get(("hasil", hasil), ""), "perilaku_reason": REASONS.get(("perilaku", perilaku), ""),
        "predikat": predikat_for(hasil, perilaku), "status": AssessmentStatus.FINAL, "rated_by_id":
            skp.pejabat_penilai_id, "rated_at": at, "finalised_at": at, "distribution_violations": "[]",
    }


def _link_coaching_to_assessments(year: int) -> None:
    """Point each seeded coaching plan at the annual assessment it follows (one UPDATE)."""
    CoachingPlan.objects.filter(assessment__isnull=True).update(assessment_id=Subquery(
        Assessment.objects.filter(employee_id=OuterRef("employee_id"), year=year, period=R.ANNUAL_PERIOD)
        .values("pk")[:1]))

