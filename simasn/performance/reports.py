"""Report and export builders of the Kinerja pages: the distribution chart rows (a unit's predikat against
the curve of its own predikat), the e-Kinerja-like .xlsx of a unit and the employee's SKP document as PDF.

Reads go through `selectors` and `employees.selectors.employee_queryset_for`, so an export never carries
an employee the viewer could not open; every download is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from simasn.accounts.scopes import is_city_wide, managed_unit_path
from simasn.core.audit import audit_record
from simasn.core.errors import NotFound
from simasn.employees.importing.columns import safe_text
from simasn.employees.models import Employee
from simasn.employees.rules_data import GOLONGAN_BY_CODE, golongan_label
from simasn.employees.selectors import DEPARTED_STATUSES, employee_queryset_for, own_employee
from simasn.employees.xlsx_writer import write_xlsx
from simasn.org.models import Unit

from . import periods, rules, selectors
from . import rules_data as R
from .models import Assessment, AssessmentStatus, Skp, SkpStatus, UnitResult
from .predikat import check_distribution, format_percent, rule_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"

# ------------------------------------------------------------------------------------------ distribution


def _share(n: int, total: int) -> Decimal:
    return Decimal(n) / Decimal(total) if total else Decimal(0)


def _breaks(rule: R.DistributionRule, counts: Mapping[str, int], total: int) -> bool:
    n = sum(counts.get(c, 0) for c in rule.categories)
    if rule.bound is R.Bound.AT_LEAST_ONE:
        return n < 1
    share = _share(n, total)
    return share > rule.limit if rule.bound is R.Bound.AT_MOST else share < rule.limit


def distribution_bars(counts: Mapping[str, int], unit_predikat: str | None) -> list[dict[str, Any]]:
    """One bar per employee predikat: count, share, the curve's limits that concern it (as sentences, with a
    marker where a limit is a share of that predikat alone) and whether a limit is broken."""
    total = sum(counts.values())
    curve = R.rules_for(unit_predikat) if unit_predikat else ()
    bars = []
    for code, label in R.PREDIKAT.items():
        n = counts.get(code, 0)
        share = _share(n, total)
        concerning = [r for r in curve if code in r.categories]
        markers = [
            {"left": float(r.limit * 100), "kind": "max" if r.bound is R.Bound.AT_MOST else "min",
             "text": format_percent(r.limit)}
            for r in concerning if r.limit is not None and len(r.categories) == 1 and r.limit > 0
        ]
        bars.append({
            "code": code, "label": label, "count": n, "pct": float(share * 100), "pct_text": format_percent(share),
            "limits": [rule_text(r) for r in concerning], "markers": markers,
            "broken": total > 0 and any(_breaks(r, counts, total) for r in concerning),
        })
    return bars


def distribution_unit_for(skp: Skp) -> Unit | None:
    """The nearest unit above (or at) the SKP's unit with its own predikat for the year: the curve the
    employee's annual predikat is checked against."""
    segments = skp.unit.path.strip("/").split("/")
    prefixes = ["/" + "/".join(segments[:i]) + "/" for i in range(1, len(segments) + 1)]
    result = (UnitResult.objects.filter(year=skp.year, unit__path__in=prefixes).select_related("unit")
              .order_by("-unit__depth").first())
    return result.unit if result else None


def distribution_with(skp: Skp, new_predikat: str) -> dict[str, Any]:
    """The unit's annual distribution as it would stand if this SKP's annual predikat were `new_predikat`."""
    unit = distribution_unit_for(skp)
    if unit is None:
        return {"unit": None}
    dist = selectors.unit_distribution(unit, skp.year)
    counts = dict(dist["counts"])
    current = skp.assessments.filter(period=R.ANNUAL_PERIOD).only("predikat").first()
    if current is not None:
        counts[current.predikat] -= 1
    counts[new_predikat] = counts.get(new_predikat, 0) + 1
    fits, violations = check_distribution(dist["unit_predikat"], counts)
    return {"unit": unit, "unit_predikat": dist["unit_predikat"], "counts": counts, "fits": fits,
            "violations": violations, "unrated": max(dist["unrated"] - (0 if current else 1), 0),
            "bars": distribution_bars(counts, dist["unit_predikat"])}


# ------------------------------------------------------------------------------------------ units to pick


def recap_units(viewer: Any) -> list[Unit]:
    """Units whose recap the viewer may open, for the unit picker: city-wide readers the OPD level (and the
    pemda root), an admin OPD his unit and the units directly under it, a unit head his own unit."""
    if is_city_wide(viewer):
        return list(Unit.objects.filter(is_active=True, depth__lte=1).order_by("path").only("id", "name", "depth",
                                                                                            "path"))
    path = managed_unit_path(viewer)
    if path:
        scope = Unit.objects.filter(path=path).only("depth").first()
        depth = scope.depth + 1 if scope else 0
        return list(Unit.objects.filter(is_active=True, path__startswith=path, depth__lte=depth).order_by("path")
                    .only("id", "name", "depth", "path"))
    me = own_employee(viewer)
    if me is not None and me.position_id and rules.is_unit_head(me):
        return [me.position.unit]
    return []


# ------------------------------------------------------------------------------------------ xlsx


MONTH_HEADERS = tuple(m[:3] for m in periods.MONTH_NAMES)
XLSX_HEADERS: tuple[str, ...] = (
    "No", "NIP", "Nama", "Jenis ASN", "Jabatan", "Unit Kerja", "NIP Pejabat Penilai", "Nama Pejabat Penilai",
    "Status SKP", "Tanggal Persetujuan SKP", "Jumlah Hasil Kerja", "Periode Penilaian",
    *(f"Predikat {m}" for m in MONTH_HEADERS),
    "Rating Hasil Kerja", "Rating Perilaku Kerja", "Predikat Kinerja Tahunan", "Status Penilaian Tahunan",
)
_SKP_STATUS = dict(SkpStatus.choices)
_ASSESSMENT_STATUS = dict(AssessmentStatus.choices)


def _month_column(kind: str, period: int) -> int:
    """Index (0..11) of the month column a periodic predikat goes in: a quarter's result sits in its last
    month, as e-Kinerja shows quarterly ratings."""
    return period * R.MONTHS_PER_PERIOD[kind] - 1


def _employee_rows(viewer: Any, unit: Unit, year: int) -> Iterator[list[Any]]:
    employees = (
        employee_queryset_for(viewer).filter(unit__path__startswith=unit.path).exclude(status__in=DEPARTED_STATUSES)
        .order_by("unit__path", "name")
        .values_list("id", "nip", "front_title", "name", "back_title", "kind", "position__name", "unit__name")
    )
    employees = list(employees)
    ids = [e[0] for e in employees]
    skps = {
        s["employee_id"]: s for s in
        Skp.objects.filter(year=year, employee_id__in=ids).annotate(n_items=Count("items")).values(
            "id", "employee_id", "status", "agreed_at", "period_kind", "n_items", "pejabat_penilai__nip",
            "pejabat_penilai__name")
    }
    ratings: dict[int, dict[int, dict[str, str]]] = defaultdict(dict)
    for a in Assessment.objects.filter(year=year, skp_id__in=[s["id"] for s in skps.values()]).values(
            "skp_id", "period", "hasil", "perilaku", "predikat", "status"):
        ratings[a["skp_id"]][a["period"]] = a
    for number, (emp_id, nip, front, name, back, kind, position, unit_name) in enumerate(employees, start=1):
        full_name = " ".join(p for p in (front, name) if p) + (f", {back}" if back else "")
        skp = skps.get(emp_id)
        months: list[Any] = [""] * 12
        annual: dict[str, str] = {}
        if skp is not None:
            for period, a in ratings[skp["id"]].items():
                if period == R.ANNUAL_PERIOD:
                    annual = a
                elif a["status"] == AssessmentStatus.FINAL:
                    months[_month_column(skp["period_kind"], period)] = R.PREDIKAT[a["predikat"]]
        row = [
            number, nip, full_name, kind, position or "", unit_name,
            (skp or {}).get("pejabat_penilai__nip") or "", (skp or {}).get("pejabat_penilai__name") or "",
            _SKP_STATUS.get(skp["status"], "") if skp else "Belum menyusun SKP",
            timezone.localtime(skp["agreed_at"]).date() if skp and skp["agreed_at"] else None,
            skp["n_items"] if skp else None,
            R.PERIOD_KINDS.get(skp["period_kind"], "") if skp else "",
            *months,
            R.RATINGS.get(annual.get("hasil", ""), ""), R.RATINGS.get(annual.get("perilaku", ""), ""),
            R.PREDIKAT.get(annual.get("predikat", ""), ""), _ASSESSMENT_STATUS.get(annual.get("status", ""), ""),
        ]
        yield [safe_text(v) if isinstance(v, str) else v for v in row]


def export_unit_xlsx(*, viewer: Any, unit: Unit, year: int) -> tuple[bytes, str]:
    """(content, filename) of the unit subtree's SKP status and ratings for a year, one row per current
    employee the viewer may read. Audited: it carries ratings of people out of the system."""
    if not rules.can_view_unit_recap(viewer, unit):
        raise NotFound("Unit tidak ditemukan.")
    widths = [6, 22, 32, 8, 32, 32, 22, 28, 14, 14, 10, 12, *([10] * 12), 20, 20, 20, 14]
    content, count = write_xlsx(XLSX_HEADERS, _employee_rows(viewer, unit, year), sheet_name=f"Kinerja {year}",
                                widths=widths)
    with transaction.atomic():
        audit_record(actor=viewer, action="performance.recap_exported", obj=unit,
                     summary=f"Ekspor kinerja {unit.name} {year} ({count} pegawai)",
                     after={"unit_id": unit.pk, "year": year, "rows": count, "format": "xlsx"})
    code = (unit.short_name or unit.code or str(unit.pk)).replace(" ", "-").lower()
    return content, f"kinerja-{code}-{year}.xlsx"


# ------------------------------------------------------------------------------------------ PDF


def _person(employee: Any) -> dict[str, str]:
    if employee is None:
        return {"name": "", "nip": "", "pangkat": "", "position": "", "unit": ""}
    golongan = GOLONGAN_BY_CODE.get(employee.golongan or "")
    return {
        "name": employee.full_name, "nip": employee.nip,
        "pangkat": golongan_label(employee.golongan) if golongan else (employee.golongan or "—"),
        "position": employee.position.name if employee.position_id else "—",
        "unit": employee.unit.name if employee.unit_id else "—",
    }


def _opd_of(unit: Unit) -> Unit:
    """The OPD a unit belongs to (the ancestor just under the pemda root, or the root itself) for the kop."""
    segments = unit.path.strip("/").split("/")
    ids = [int(s) for s in segments if s.isdigit()]
    ancestors = {u.pk: u for u in Unit.objects.filter(pk__in=ids).only("id", "name", "kind", "depth")}
    chain = [ancestors[i] for i in ids if i in ancestors]
    for u in chain:
        if u.kind != "pemda":
            return u
    return unit


def skp_document_context(skp: Skp, *, today: dt.date | None = None) -> dict[str, Any]:
    selectors.with_monitoring(skp)
    people = {e.pk: e for e in Employee.objects.filter(pk__in=[skp.employee_id, skp.pejabat_penilai_id])
              .select_related("position", "unit")}
    items = list(skp.items.all())
    n_periods = R.PERIODS_PER_YEAR[skp.period_kind]
    for item in items:
        by_period = {r.period: r for r in item.realisations.all()}
        item.period_realisations = [(periods.period_label(skp.period_kind, p), by_period[p])
                                    for p in range(1, n_periods + 1) if p in by_period]
    assessments = sorted(skp.assessments.all(), key=lambda a: (a.period == R.ANNUAL_PERIOD, a.period))
    annual = next((a for a in assessments if a.is_annual), None)
    expectations = {e.value: e.text for e in skp.expectations.all() if e.value}
    start, end = periods.period_bounds(skp.year, skp.period_kind, R.ANNUAL_PERIOD)
    return {
        "skp": skp, "instance": settings.SIMASN_INSTANCE_NAME, "opd": _opd_of(skp.unit),
        "pegawai": _person(people.get(skp.employee_id)), "penilai": _person(people.get(skp.pejabat_penilai_id)),
        "items": items, "main_items": [i for i in items if not i.is_additional],
        "additional_items": [i for i in items if i.is_additional],
        "perilaku": [(label, expectations.get(code, "")) for code, label in R.BERAKHLAK.items()],
        "assessments": [(periods.period_label(skp.period_kind, a.period), a) for a in assessments],
        "annual": annual, "start": start, "end": end, "printed": today or timezone.localdate(),
    }


def skp_pdf(*, viewer: Any, skp: Skp) -> tuple[bytes, str]:
    """(PDF bytes, filename) of an SKP the viewer may read (the caller fetched it through the selector).
    Audited like every document that leaves the system."""
    from weasyprint import HTML

    html = render_to_string("performance/skp_pdf.html", skp_document_context(skp))
    content = HTML(string=html).write_pdf()
    with transaction.atomic():
        audit_record(actor=viewer, action="performance.skp_pdf_downloaded", obj=skp,
                     summary=f"Dokumen SKP {skp.year} diunduh: {skp.employee.nip}")
    return content, f"skp-{skp.year}-{skp.employee.nip}.pdf"
