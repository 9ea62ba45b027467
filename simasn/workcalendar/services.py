"""Writes to the work calendar: the national sync, BKPSDM's own holidays and the unit exceptions.

Every write is one transaction with its audit event, and makes every process reload the holiday table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import holidays as holidays_package
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import DomainError, Forbidden
from simasn.org.models import Unit

from . import days, rules_data
from .models import Holiday, HolidayCategory, HolidaySource, UnitHolidayException

HOLIDAY_FIELDS = ["date", "name", "category", "source", "is_active", "legal_basis"]


def _require_city_admin(actor: Any) -> None:
    if not can_administer_city(actor):
        raise Forbidden(_("Hanya admin BKPSDM yang dapat mengubah hari libur."))


def _check_date(day: Any) -> dt.date:
    if not isinstance(day, dt.date):
        raise DomainError(_("Tanggal wajib diisi."), field="date")
    today = timezone.localdate()
    limit = rules_data.MAX_YEARS_FROM_TODAY
    if abs(day.year - today.year) > limit:
        raise DomainError(
            _("Tanggal harus dalam rentang %(limit)s tahun dari tahun ini.") % {"limit": limit}, field="date",
        )
    return day


def _clean_holiday(*, date: Any, name: str, category: str, legal_basis: str, exclude_pk: int | None = None
                   ) -> dict[str, Any]:
    date = _check_date(date)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Nama hari libur wajib diisi."), field="name")
    if len(name) > 200:
        raise DomainError(_("Nama hari libur paling panjang 200 karakter."), field="name")
    if category not in HolidayCategory.values:
        raise DomainError(_("Kategori hari libur tidak dikenal."), field="category")
    legal_basis = (legal_basis or "").strip()
    if len(legal_basis) > 200:
        raise DomainError(_("Dasar hukum paling panjang 200 karakter."), field="legal_basis")
    if Holiday.objects.filter(date=date, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise DomainError(
            _("Hari libur \"%(name)s\" pada tanggal %(date)s sudah ada.") % {"name": name, "date": date.isoformat()},
            code="duplicate", field="name",
        )
    return {"date": date, "name": name, "category": category, "legal_basis": legal_basis}


@transaction.atomic
def holiday_create(*, actor: Any, date: dt.date, name: str, category: str, legal_basis: str = "") -> Holiday:
    _require_city_admin(actor)
    data = _clean_holiday(date=date, name=name, category=category, legal_basis=legal_basis)
    holiday = Holiday.objects.create(**data, source=HolidaySource.MANUAL, is_active=True)
    audit_record(actor=actor, action="workcalendar.holiday_created", obj=holiday,
                 summary=f"Hari libur ditambahkan: {holiday}", after=model_snapshot(holiday, HOLIDAY_FIELDS))
    days.invalidate_on_commit()
    return holiday


@transaction.atomic
def holiday_update(*, actor: Any, holiday: Holiday, date: dt.date, name: str, category: str,
                   legal_basis: str = "") -> Holiday:
    """Edit a holiday. An edited national row becomes BKPSDM's own, so the yearly sync never undoes it."""
    _require_city_admin(actor)
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    before = model_snapshot(holiday, HOLIDAY_FIELDS)
    data = _clean_holiday(date=date, name=name, category=category, legal_basis=legal_basis, exclude_pk=holiday.pk)
    for key, value in data.items():
        setattr(holiday, key, value)
    holiday.source = HolidaySource.MANUAL
    holiday.save()
    audit_record(actor=actor, action="workcalendar.holiday_updated", obj=holiday,
                 summary=f"Hari libur diubah: {holiday}", before=before,
                 after=model_snapshot(holiday, HOLIDAY_FIELDS))
    days.invalidate_on_commit()
    return holiday


@transaction.atomic
def holiday_set_active(*, actor: Any, holiday: Holiday, active: bool) -> Holiday:
    _require_city_admin(actor)
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    if holiday.is_active == active:
        return holiday
    before = model_snapshot(holiday, HOLIDAY_FIELDS)
    holiday.is_active = active
    holiday.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="workcalendar.holiday_activated" if active else "workcalendar.holiday_deactivated",
                 obj=holiday, summary=f"Hari libur {'diberlakukan' if active else 'dinonaktifkan'}: {holiday}",
                 before=before, after=model_snapshot(holiday, HOLIDAY_FIELDS))
    days.invalidate_on_commit()
    return holiday


def national_holidays(years: Iterable[int]) -> list[tuple[dt.date, str, str]]:
    """(date, name, category) from the `holidays` package for Indonesia, public and government days."""
    table = holidays_package.Indonesia(years=list(years), categories=rules_data.HOLIDAYS_CATEGORIES, language="id")
    return [
        (day, name, rules_data.category_for_name(name))
        for day in sorted(table)
        for name in table.get_list(day)
    ]


@transaction.atomic
def sync_holidays(*, actor: Any = "sync_holidays", years: Iterable[int], audit: bool = True) -> dict[str, int]:
    """Add the national holidays of these years that are not in the table yet. Idempotent; rows that are
    already there — BKPSDM's own, edited, or deactivated ones included — are never changed.
    `audit=False` is for a caller that records the whole operation in its own event (seed_demo)."""
    years = sorted(set(years))
    if not years:
        raise DomainError(_("Pilih minimal satu tahun."), field="years")
    if getattr(actor, "is_authenticated", False):
        _require_city_admin(actor)
    wanted = national_holidays(years)
    existing = {
        (d, n.casefold())
        for d, n in Holiday.objects.filter(date__year__in=years).values_list("date", "name")
    }
    new = [
        Holiday(date=d, name=n, category=c, source=HolidaySource.HOLIDAYS_PACKAGE, is_active=True,
                legal_basis=rules_data.CATEGORY_BASIS[c])
        for d, n, c in wanted if (d, n.casefold()) not in existing
    ]
    Holiday.objects.bulk_create(new)
    result = {"created": len(new), "unchanged": len(wanted) - len(new)}
    if new and audit:
        audit_record(actor=actor, action="workcalendar.holidays_synced", object_type="workcalendar.holiday",
                     summary=f"Sinkronisasi hari libur nasional {', '.join(map(str, years))}: {len(new)} baru.",
                     after={"years": years, **result})
    if new:
        days.invalidate_on_commit()
    return result


def can_manage_unit(actor: Any, unit: Unit) -> bool:
    if can_administer_city(actor):
        return True
    path = managed_unit_path(actor)
    return bool(path and unit.path.startswith(path))


@transaction.atomic
def unit_exception_create(*, actor: Any, unit: Unit, date: dt.date, note: str = "") -> UnitHolidayException:
    if not can_manage_unit(actor, unit):
        raise Forbidden(_("Anda hanya dapat mengatur pengecualian untuk unit yang Anda kelola."))
    date = _check_date(date)
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(_("Keterangan paling panjang 200 karakter."), field="note")
    if UnitHolidayException.objects.filter(unit=unit, date=date).exists():
        raise DomainError(_("Unit ini sudah tercatat masuk kerja pada tanggal tersebut."), code="duplicate",
                          field="date")
    exception = UnitHolidayException.objects.create(unit=unit, date=date, note=note)
    audit_record(actor=actor, action="workcalendar.unit_exception_created", obj=exception,
                 summary=f"{unit} tetap bekerja pada {date.isoformat()}",
                 after={"unit_id": unit.pk, "date": date, "note": note})
    days.invalidate_on_commit()
    return exception


@transaction.atomic
def unit_exception_delete(*, actor: Any, exception: UnitHolidayException) -> None:
    if not can_manage_unit(actor, exception.unit):
        raise Forbidden(_("Anda hanya dapat mengatur pengecualian untuk unit yang Anda kelola."))
    before = {"unit_id": exception.unit_id, "date": exception.date, "note": exception.note}
    audit_record(actor=actor, action="workcalendar.unit_exception_deleted", obj=exception,
                 summary=f"Pengecualian dihapus: {exception}", before=before)
    exception.delete()
    days.invalidate_on_commit()
