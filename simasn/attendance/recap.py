"""Monthly attendance recap per employee and per unit (DOMAIN §3): the count of each code, worked hours and
the month's deduction under the configured scheme, capped.

One GROUP BY over the month's daily records gives every employee's counts (the TL/PSW bands are columns,
so no JSON is read); the deduction is then arithmetic on the counts. Exports: .xlsx with the streaming
writer of the employees app, PDF through WeasyPrint (one unit at a time: a city of 10,000 rows is a
spreadsheet, not a document). Every export is audit-logged: it carries personal data out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record
from simasn.core.errors import DomainError
from simasn.employees.models import Employee
from simasn.employees.xlsx_writer import write_xlsx
from simasn.org.models import Unit

from .daily import configured_scheme
from .deductions import decimal_text, monthly_percent
from .models import DailyRecord
from .rules_data import MINUTE_BANDS, DeductionScheme
from .selectors import MonitoringScope, month_end

BANDS = [b.band for b in MINUTE_BANDS]
CODES = ["H", *(f"TL{b}" for b in BANDS), *(f"PSW{b}" for b in BANDS), "TK", "C", "S", "DL", "TB", "L"]
STATUS_CODES = ["H", "TK", "C", "S", "DL", "TB", "L"]
PDF_MAX_ROWS = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RecapRow:
    employee_id: int
    nip: str
    name: str
    unit_name: str
    unit_path: str
    counts: dict[str, int]
    worked_minutes: int
    pending: int
    deduction: Decimal
    working_days: int = 0  # records that are not L

    @property
    def worked_hours(self) -> Decimal:
        return (Decimal(self.worked_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def deduction_text(self) -> str:
        return decimal_text(self.deduction)


@dataclass
class UnitRecap:
    unit: Unit | None
    employees: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))
    worked_minutes: int = 0
    deduction_sum: Decimal = Decimal(0)

    @property
    def average_deduction(self) -> str:
        if not self.employees:
            return "0"
        return decimal_text((self.deduction_sum / self.employees).quantize(Decimal("0.01")))

    @property
    def worked_hours(self) -> Decimal:
        return (Decimal(self.worked_minutes) / 60).quantize(Decimal("0.1"))


def deduction_of(counts: dict[str, int], scheme: DeductionScheme) -> Decimal:
    """The month's deduction from its code counts: each TL/PSW band and TK at the scheme's rate, capped."""
    parts = [scheme.band_percent[b] * (counts[f"TL{b}"] + counts[f"PSW{b}"]) for b in BANDS]
    parts.append(scheme.absent_percent * counts["TK"])
    return monthly_percent(parts, scheme)


def _aggregates() -> dict[str, Any]:
    out: dict[str, Any] = {code: Count("id", filter=Q(status=code)) for code in STATUS_CODES}
    # A late day with no other problem has status TL; "H" counts the days present without TL or PSW.
    for b in BANDS:
        out[f"TL{b}"] = Count("id", filter=Q(late_band=b))
        out[f"PSW{b}"] = Count("id", filter=Q(early_band=b))
    out["worked"] = Sum("worked_minutes")
    out["pending"] = Count("id", filter=Q(has_pending_review=True))
    out["days"] = Count("id", filter=~Q(status="L"))
    return out


def recap_rows(*, scope: MonitoringScope, month: dt.date, unit: Unit | None = None,
               scheme: DeductionScheme | None = None) -> list[RecapRow]:
    """Every employee of the scope (and unit) with a record in the month, ordered by unit and name."""
    scheme = scheme or configured_scheme()
    q = scope.employee_q("employee__") & Q(date__range=(month, month_end(month)))
    if unit is not None:
        q &= Q(employee__unit__path__startswith=unit.path)
    rows = (DailyRecord.objects.filter(q).order_by()
            .values("employee_id", "employee__nip", "employee__name", "employee__unit__name", "employee__unit__path")
            .annotate(**_aggregates()))
    out = []
    for item in rows:
        counts = {code: item[code] for code in CODES}
        out.append(RecapRow(
            employee_id=item["employee_id"], nip=item["employee__nip"], name=item["employee__name"],
            unit_name=item["employee__unit__name"], unit_path=item["employee__unit__path"], counts=counts,
            worked_minutes=item["worked"] or 0, pending=item["pending"], deduction=deduction_of(counts, scheme),
            working_days=item["days"],
        ))
    out.sort(key=lambda r: (r.unit_path, r.name, r.nip))
    return out


def unit_summaries(rows: list[RecapRow], groups: list[Unit]) -> list[UnitRecap]:
    """Roll employee rows up to the given units by path prefix (deepest matching group wins)."""
    by_path = {u.path: UnitRecap(unit=u) for u in groups}
    loose = UnitRecap(unit=None)
    for row in rows:
        segments = row.unit_path.strip("/").split("/")
        target = next((by_path[p] for p in ("/" + "/".join(segments[:d]) + "/" for d in range(len(segments), 0, -1))
                       if p in by_path), loose)
        target.employees += 1
        target.worked_minutes += row.worked_minutes
        target.deduction_sum += row.deduction
        for code, n in row.counts.items():
            target.counts[code] += n
    out = [r for r in by_path.values() if r.employees]
    out.sort(key=lambda r: r.unit.name)
    if loose.employees:
        out.append(loose)
    return out


@dataclass
class EmployeeMonth:
    employee: Employee
    month: dt.date
    records: dict[dt.date, DailyRecord]
    counts: dict[str, int]
    worked_minutes: int
    deduction: Decimal
    weeks: list[list[dt.date | None]]

    @property
    def deduction_text(self) -> str:
        return decimal_text(self.deduction)

    @property
    def worked_hours(self) -> Decimal:
        return (Decimal(self.worked_minutes) / 60).quantize(Decimal("0.1"))


def employee_month(employee: Employee, month: dt.date, *, scheme: DeductionScheme | None = None) -> EmployeeMonth:
    """One employee's month as a calendar (Monday-first weeks) with totals (one query)."""
    scheme = scheme or configured_scheme()
    last = month_end(month)
    records = {r.date: r for r in DailyRecord.objects.filter(employee=employee, date__range=(month, last))}
    counts = dict.fromkeys(CODES, 0)
    worked = 0
    for r in records.values():
        if r.status in STATUS_CODES:
            counts[r.status] += 1
        if r.late_band:
            counts[f"TL{r.late_band}"] += 1
        if r.early_band:
            counts[f"PSW{r.early_band}"] += 1
        worked += r.worked_minutes
    weeks: list[list[dt.date | None]] = []
    week: list[dt.date | None] = [None] * month.weekday()
    day = month
    while day <= last:
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return EmployeeMonth(employee=employee, month=month, records=records, counts=counts, worked_minutes=worked,
                         deduction=deduction_of(counts, scheme), weeks=weeks)


# ── Exports ───────────────────────────────────────────────────────────────────────────────────────────


def _headers() -> list[str]:
    return [_("NIP"), _("Nama"), _("Unit"), _("Hari kerja"), *CODES, _("Jam kerja"), _("Menunggu tinjauan"),
            _("Potongan (%)")]


def _export_row(row: RecapRow) -> list[Any]:
    return [row.nip, row.name, row.unit_name, row.working_days, *(row.counts[c] for c in CODES),
            float(row.worked_hours), row.pending, float(row.deduction)]


def _audit(viewer: Any, fmt: str, month: dt.date, unit: Unit | None, count: int) -> None:
    with transaction.atomic():
        audit_record(actor=viewer, action="attendance.recap_export", object_type="attendance.dailyrecord",
                     summary=f"Ekspor rekap presensi {month:%m-%Y} ({fmt}, {count} pegawai)",
                     after={"format": fmt, "month": f"{month:%Y-%m}", "unit": unit.pk if unit else None,
                            "rows": count})


def _filename(month: dt.date, unit: Unit | None, fmt: str) -> str:
    label = (unit.short_name or unit.code) if unit else "kota"
    safe = "".join(ch if ch.isalnum() else "-" for ch in label).strip("-").lower() or "unit"
    return f"rekap-presensi-{month:%Y-%m}-{safe}.{fmt}"


def export_xlsx(*, viewer: Any, scope: MonitoringScope, month: dt.date, unit: Unit | None = None
                ) -> tuple[bytes, str, str]:
    rows = recap_rows(scope=scope, month=month, unit=unit)
    widths = [22, 30, 30, 10, *([6] * len(CODES)), 10, 10, 12]
    content, count = write_xlsx(_headers(), (_export_row(r) for r in rows), sheet_name=f"Rekap {month:%m-%Y}",
                                widths=widths)
    _audit(viewer, "xlsx", month, unit, count)
    return content, _filename(month, unit, "xlsx"), XLSX_TYPE


def export_pdf(*, viewer: Any, scope: MonitoringScope, month: dt.date, unit: Unit | None = None,
               instance_name: str = "") -> tuple[bytes, str, str]:
    rows = recap_rows(scope=scope, month=month, unit=unit)
    if len(rows) > PDF_MAX_ROWS:
        raise DomainError(_("PDF dibatasi %(n)s pegawai; pilih unit yang lebih kecil atau unduh .xlsx.")
                          % {"n": PDF_MAX_ROWS}, code="too_many_rows", field="unit")
    scheme = configured_scheme()
    html = render_to_string("attendance/recap_pdf.html", {
        "rows": rows, "codes": CODES, "month": month, "unit": unit, "scope": scope, "scheme": scheme,
        "instance_name": instance_name, "printed_at": timezone.localtime(),
    })
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s and most requests print nothing

    content = HTML(string=html).write_pdf()
    _audit(viewer, "pdf", month, unit, len(rows))
    return content, _filename(month, unit, "pdf"), "application/pdf"
