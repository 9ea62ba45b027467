"""Checks of a request against rules_data before anything is written: dates, type, service length, length,
documents, balance, overlap. Every refusal is a DomainError with an Indonesian message naming the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _

from simasn.core.errors import DomainError
from simasn.employees import files
from simasn.employees.models import Employee, EmployeeKind, EmployeeStatus
from simasn.employees.selectors import add_months
from simasn.workcalendar import days as workdays

from . import ledger, rules_data
from .models import ACTIVE_STATUSES, AbsenceRequest, RequestKind

MAX_REASON = 2000
MIN_RADIUS_M, MAX_RADIUS_M = 10, 5000


@dataclass
class Draft:
    """What a request would be; the services fill a model from it once every check has passed."""

    kind: str
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    reason: str
    address_during: str = ""
    spt_number: str = ""
    destination: str = ""
    location_name: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    radius_m: int | None = None
    child_order: int | None = None
    working_days: int = 0


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def limits() -> tuple[int, int]:
    return (setting("SIMASN_LEAVE_MAX_PAST_DAYS", rules_data.LIMITS.max_past_days),
            setting("SIMASN_LEAVE_MAX_FUTURE_DAYS", rules_data.LIMITS.max_future_days))


def text(value: Any, field: str, label: str, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(_("%(label)s harus berupa teks.") % {"label": label}, field=field)
    value = value.strip()
    if required and not value:
        raise DomainError(_("%(label)s wajib diisi.") % {"label": label}, code="required", field=field)
    if len(value) > max_length:
        raise DomainError(_("%(label)s paling panjang %(n)s karakter.") % {"label": label, "n": max_length},
                          field=field)
    return value


def _date(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(_("%(label)s harus berupa tanggal yang valid.") % {"label": label}, code="invalid_date",
                          field=field)
    return value


def _time(value: Any, field: str, label: str) -> dt.time | None:
    if value is None:
        return None
    if not isinstance(value, dt.time):
        raise DomainError(_("%(label)s harus berupa jam yang valid.") % {"label": label}, field=field)
    return value


def _decimal(value: Any, field: str, label: str, low: int, high: int) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("%(label)s harus berupa angka.") % {"label": label}, field=field) from exc
    if not low <= number <= high:
        raise DomainError(_("%(label)s harus antara %(low)s dan %(high)s.") % {"label": label, "low": low,
                                                                              "high": high}, field=field)
    return number


def check_attachment(upload: UploadedFile) -> files.CheckedFile:
    """PDF, JPEG or PNG by content (never by name), within SIMASN_MAX_DOCUMENT_BYTES."""
    return files.check_document(upload, what=_("Dokumen pendukung"))


def clean_common(*, kind: Any, leave_type: Any, start_date: Any, end_date: Any, start_time: Any, end_time: Any,
                 reason: Any, today: dt.date) -> Draft:
    if kind not in RequestKind.values:
        raise DomainError(_("Jenis permohonan tidak dikenal."), field="kind")
    start = _date(start_date, "start_date", _("Tanggal mulai"))
    end = _date(end_date, "end_date", _("Tanggal selesai"))
    if end < start:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="end_before_start",
                          field="end_date")
    past, future = limits()
    if start < today - dt.timedelta(days=past):
        raise DomainError(_("Tanggal mulai terlalu jauh di masa lalu: paling lama %(n)s hari sebelum hari ini.")
                          % {"n": past}, code="too_far_past", field="start_date")
    if start > today + dt.timedelta(days=future):
        raise DomainError(_("Tanggal mulai paling lambat %(n)s hari dari hari ini.") % {"n": future},
                          code="too_far_ahead", field="start_date")
    if not isinstance(leave_type, str):
        raise DomainError(_("Jenis cuti/izin tidak dikenal."), field="leave_type")
    return Draft(
        kind=kind, leave_type=leave_type.strip(), start_date=start, end_date=end,
        start_time=_time(start_time, "start_time", _("Jam mulai")),
        end_time=_time(end_time, "end_time", _("Jam selesai")),
        reason=text(reason, "reason", _("Alasan"), max_length=MAX_REASON, required=True),
    )


def _span_days(draft: Draft) -> int:
    return (draft.end_date - draft.start_date).days + 1


def _check_span(draft: Draft, max_months: int | None) -> None:
    if max_months is not None:
        last = add_months(draft.start_date, max_months) - dt.timedelta(days=1)
        if draft.end_date > last:
            raise DomainError(_("Jenis ini paling lama %(n)s bulan: tanggal selesai paling lambat %(last)s.")
                              % {"n": max_months, "last": last.strftime("%d-%m-%Y")}, code="too_long",
                              field="end_date")
        return
    if _span_days(draft) > rules_data.LIMITS.max_span_days:
        raise DomainError(_("Rentang tanggal paling panjang %(n)s hari.") % {"n": rules_data.LIMITS.max_span_days},
                          code="span_too_long", field="end_date")


def leave_rule(employee: Employee, code: str) -> rules_data.LeaveTypeRule:
    """The rule of a cuti type for this employee, or a DomainError saying why he may not take it."""
    table = rules_data.rules_employee_type(employee.kind)
    rule = rules_data.LEAVE_TYPES.get((table, code))
    if rule is None:
        if any(key[1] == code for key in rules_data.LEAVE_TYPES):
            raise DomainError(_("Jenis cuti ini tidak tersedia bagi %(kind)s.") % {"kind": employee.kind},
                              code="type_not_allowed", field="leave_type")
        raise DomainError(_("Jenis cuti tidak dikenal."), field="leave_type")
    if not rule.requestable:
        raise DomainError(_("%(name)s ditetapkan pemerintah dan tidak diajukan sendiri.") % {"name": rule.name},
                          code="type_not_requestable", field="leave_type")
    if employee.kind == EmployeeKind.CPNS and code in rules_data.CPNS_EXCLUDED:
        raise DomainError(_("%(name)s hanya bagi PNS, bukan CPNS.") % {"name": rule.name},
                          code="type_not_allowed", field="leave_type")
    if rule.sex and employee.sex != rule.sex:
        raise DomainError(_("%(name)s hanya bagi pegawai perempuan.") % {"name": rule.name},
                          code="type_not_allowed", field="leave_type")
    return rule


def check_service(employee: Employee, rule: rules_data.LeaveTypeRule, day: dt.date) -> None:
    if not rule.min_service_years:
        return
    years = ledger.service_years_on(employee, day)
    if years is None:
        raise DomainError(_("Masa kerja tidak dapat dihitung karena TMT belum tercatat; hubungi admin "
                            "kepegawaian."), code="service_unknown", field="leave_type")
    if years < rule.min_service_years:
        raise DomainError(_("%(name)s baru dapat diambil setelah %(n)s tahun bekerja terus-menerus; masa kerja "
                            "pada tanggal mulai %(years)s tahun.")
                          % {"name": rule.name, "n": rule.min_service_years, "years": years},
                          code="service_too_short", field="leave_type")


def _check_cuti(employee: Employee, draft: Draft, *, has_attachment: bool, child_order: Any,
                exclude_pk: int | None, today: dt.date) -> None:
    rule = leave_rule(employee, draft.leave_type)
    check_service(employee, rule, draft.start_date)
    _check_span(draft, rule.max_months)
    if draft.start_time or draft.end_time:
        raise DomainError(_("Cuti diambil dalam hari penuh, tanpa jam."), field="start_time")
    if rule.max_child_order is not None:
        if isinstance(child_order, bool) or not isinstance(child_order, int) or child_order < 1:
            raise DomainError(_("Isi kelahiran anak ke berapa (1, 2, 3, …)."), code="required", field="child_order")
        if child_order > rule.max_child_order:
            raise DomainError(_("Cuti melahirkan hanya untuk anak pertama sampai ketiga; untuk anak keempat dan "
                                "seterusnya ajukan cuti besar."), code="child_order", field="child_order")
        draft.child_order = child_order
    document = rule.document_for(_span_days(draft))
    if document is not None and not has_attachment:
        raise DomainError(_("%(name)s selama %(n)s hari wajib melampirkan %(doc)s.")
                          % {"name": rule.name, "n": _span_days(draft), "doc": document.document},
                          code="document_required", field="attachment")
    if rule.uses_ledger:
        _check_balance(employee, draft, exclude_pk=exclude_pk, today=today)


def _check_balance(employee: Employee, draft: Draft, *, exclude_pk: int | None, today: dt.date) -> None:
    year = draft.start_date.year
    if draft.end_date.year != year:
        raise DomainError(_("Cuti tahunan tidak boleh melewati pergantian tahun: ajukan satu permohonan untuk "
                            "setiap tahun."), code="crosses_year", field="end_date")
    if ledger.has_cuti_besar(employee, year):
        raise DomainError(_("Pada tahun %(year)s pegawai menjalani cuti besar, sehingga tidak berhak atas cuti "
                            "tahunan.") % {"year": year}, code="annual_blocked_by_besar", field="leave_type")
    if not ledger.is_granted(employee, year):
        if year > today.year:
            raise DomainError(_("Hak cuti tahunan %(year)s ditetapkan pada 1 Januari %(year)s; ajukan setelah "
                                "tanggal itu.") % {"year": year}, code="year_not_open", field="start_date")
        ledger.grant_year(employee, year)
    balance = ledger.balance(employee, rules_data.TAHUNAN, year)
    pending = ledger.pending_days(employee, year, exclude_pk=exclude_pk)
    available = balance - pending
    if draft.working_days > available:
        raise DomainError(_("Sisa cuti tahunan %(year)s yang dapat diajukan %(available)s hari kerja (saldo "
                            "%(balance)s, menunggu persetujuan %(pending)s); permohonan ini %(days)s hari kerja.")
                          % {"year": year, "available": max(available, 0), "balance": balance, "pending": pending,
                             "days": draft.working_days}, code="insufficient_balance", field="end_date")


def _check_izin(draft: Draft) -> None:
    rule = rules_data.IZIN_TYPES.get(draft.leave_type)
    if rule is None:
        raise DomainError(_("Jenis izin tidak dikenal."), field="leave_type")
    if draft.end_date != draft.start_date:
        raise DomainError(_("Izin berlaku untuk satu hari; lebih dari itu ajukan cuti."), code="izin_one_day",
                          field="end_date")
    if rule.whole_day:
        if draft.start_time or draft.end_time:
            raise DomainError(_("%(name)s berlaku sehari penuh, tanpa jam.") % {"name": rule.name},
                              field="start_time")
        return
    if draft.start_time is None or draft.end_time is None:
        raise DomainError(_("Isi jam mulai dan jam selesai izin."), code="required", field="start_time")
    if draft.end_time <= draft.start_time:
        raise DomainError(_("Jam selesai harus setelah jam mulai."), field="end_time")
    minutes = (dt.datetime.combine(draft.start_date, draft.end_time)
               - dt.datetime.combine(draft.start_date, draft.start_time)).seconds // 60
    max_hours = setting("SIMASN_LEAVE_IZIN_MAX_HOURS", rules_data.IZIN_MAX_HOURS)
    if minutes > max_hours * 60:
        raise DomainError(_("Izin keperluan penting paling lama %(n)s jam.") % {"n": max_hours},
                          code="too_long", field="end_time")


def _clean_location(draft: Draft, *, location_name: Any, latitude: Any, longitude: Any, radius_m: Any,
                    required: bool) -> None:
    draft.location_name = text(location_name, "location_name", _("Nama lokasi"), max_length=200)
    draft.latitude = _decimal(latitude, "latitude", _("Lintang"), -90, 90)
    draft.longitude = _decimal(longitude, "longitude", _("Bujur"), -180, 180)
    if radius_m in (None, ""):
        draft.radius_m = None
    elif isinstance(radius_m, bool) or not isinstance(radius_m, int) or not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
        raise DomainError(_("Radius harus bilangan bulat %(low)s–%(high)s meter.")
                          % {"low": MIN_RADIUS_M, "high": MAX_RADIUS_M}, field="radius_m")
    else:
        draft.radius_m = radius_m
    given = [draft.latitude is not None, draft.longitude is not None, draft.radius_m is not None]
    if required and not all(given):
        raise DomainError(_("Kerja fleksibel wajib menyebut lokasinya: lintang, bujur dan radius."),
                          code="required", field="latitude")
    if any(given) and not all(given):
        raise DomainError(_("Lokasi tujuan diisi lengkap (lintang, bujur dan radius) atau dikosongkan."),
                          field="latitude")
    if required and not draft.location_name:
        raise DomainError(_("Nama lokasi kerja fleksibel wajib diisi."), code="required", field="location_name")


def check_kind_fields(employee: Employee, draft: Draft, *, fields: dict[str, Any], has_attachment: bool,
                      exclude_pk: int | None, today: dt.date) -> None:
    """The checks of each kind, then the working days (kept on the draft) and the balance."""
    if employee.status != EmployeeStatus.AKTIF:
        raise DomainError(_("Hanya pegawai berstatus aktif yang dapat mengajukan permohonan."),
                          code="not_active", field="employee")
    draft.address_during = text(fields.get("address_during"), "address_during", _("Alamat selama cuti"),
                                 max_length=300)
    if draft.kind == RequestKind.IZIN:
        _check_izin(draft)
    elif draft.kind != RequestKind.CUTI:
        _check_span(draft, None)
        if draft.start_time or draft.end_time:
            raise DomainError(_("Dinas luar dan kerja fleksibel dicatat dalam hari penuh."), field="start_time")
        if draft.leave_type:
            raise DomainError(_("Jenis cuti/izin tidak berlaku untuk permohonan ini."), field="leave_type")
    if draft.kind == RequestKind.DINAS_LUAR:
        draft.spt_number = text(fields.get("spt_number"), "spt_number", _("Nomor SPT"), max_length=100,
                                 required=True)
        draft.destination = text(fields.get("destination"), "destination", _("Tujuan"), max_length=200,
                                  required=True)
    if draft.kind in (RequestKind.DINAS_LUAR, RequestKind.FLEKSIBEL):
        _clean_location(draft, location_name=fields.get("location_name"), latitude=fields.get("latitude"),
                        longitude=fields.get("longitude"), radius_m=fields.get("radius_m"),
                        required=draft.kind == RequestKind.FLEKSIBEL)
    days = workdays.working_days_between(draft.start_date, draft.end_date, employee.unit)
    if days == 0:
        raise DomainError(_("Rentang tanggal tidak memuat hari kerja (akhir pekan atau hari libur)."),
                          code="no_working_days", field="start_date")
    # An izin of a few hours does not take a whole working day away.
    hours_only = draft.kind == RequestKind.IZIN and draft.start_time is not None
    draft.working_days = 0 if hours_only else days
    if draft.kind == RequestKind.CUTI:
        _check_cuti(employee, draft, has_attachment=has_attachment, child_order=fields.get("child_order"),
                    exclude_pk=exclude_pk, today=today)


def check_overlap(employee: Employee, draft: Draft, *, exclude_pk: int | None) -> None:
    """Any request of the employee that holds one of these dates is refused — cuti, izin and dinas luar
    alike — except two hour-izin on the same day whose hours do not meet."""
    clash = (
        AbsenceRequest.objects.filter(employee=employee, status__in=ACTIVE_STATUSES, start_date__lte=draft.end_date)
        .filter(Q(cut_short_from__isnull=True, end_date__gte=draft.start_date)
                | Q(cut_short_from__gt=draft.start_date))
        .exclude(pk=exclude_pk)
        .order_by("start_date")
    )
    for other in clash:
        if (draft.start_time and other.start_time and other.end_time
                and (draft.end_time <= other.start_time or other.end_time <= draft.start_time)):
            continue
        raise DomainError(
            _("Tanggal bertumpang tindih dengan permohonan %(kind)s %(start)s s.d. %(end)s (%(status)s).")
            % {"kind": other.get_kind_display().lower(), "start": other.start_date.strftime("%d-%m-%Y"),
               "end": other.last_day_away.strftime("%d-%m-%Y"), "status": other.get_status_display().lower()},
            code="overlap", field="start_date",
        )
