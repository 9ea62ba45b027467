"""Holidays and the units that work on them. Weekends are a rule (rules_data), not rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules_data


class HolidayCategory(models.TextChoices):
    LIBUR_NASIONAL = rules_data.CATEGORY_NATIONAL, _("Libur nasional")
    CUTI_BERSAMA = rules_data.CATEGORY_JOINT_LEAVE, _("Cuti bersama")
    LIBUR_DAERAH = rules_data.CATEGORY_REGIONAL, _("Libur daerah")


class HolidaySource(models.TextChoices):
    HOLIDAYS_PACKAGE = "holidays_package", _("Data nasional (paket holidays)")
    MANUAL = "manual", _("Diisi BKPSDM")


class Holiday(models.Model):
    """One holiday on one date. A row BKPSDM edited becomes `manual` so the yearly sync leaves it alone;
    a wrong national entry is deactivated rather than deleted, so the sync does not bring it back."""

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=200)
    category = models.CharField(_("kategori"), max_length=20, choices=HolidayCategory.choices)
    source = models.CharField(_("sumber"), max_length=20, choices=HolidaySource.choices,
                              default=HolidaySource.MANUAL)
    is_active = models.BooleanField(_("berlaku"), default=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "name"]
        constraints = [models.UniqueConstraint(fields=["date", "name"], name="workcalendar_holiday_date_name")]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class UnitHolidayException(models.Model):
    """The unit and every unit below it work on this date although it is a holiday (e.g. the RSUD)."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="holiday_exceptions")
    date = models.DateField(_("tanggal"))
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "date"], name="workcalendar_exception_unit_date")]
        verbose_name = _("pengecualian hari libur unit")
        verbose_name_plural = _("pengecualian hari libur unit")

    def __str__(self) -> str:
        return f"{self.unit} {self.date:%Y-%m-%d}"
