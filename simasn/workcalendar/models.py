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


# ── Work schedules ──────────────────────────────────────────────────────────────────────────────────────
# A schedule says when a working day starts and ends and when check-in/check-out count. Which schedule an
# employee follows on a date comes from ScheduleAssignment (employee beats unit, deeper unit beats shallower);
# what a shift worker works on a date comes from ShiftRoster. The resolver is `schedules.py`.


class ScheduleKind(models.TextChoices):
    FIVE_DAY = rules_data.KIND_FIVE_DAY, _("5 hari kerja")
    SIX_DAY = rules_data.KIND_SIX_DAY, _("6 hari kerja")
    SHIFT = rules_data.KIND_SHIFT, _("Shift")


class WorkSchedule(models.Model):
    """A named schedule. Editing its times changes the expectation of every date it covers, past ones too:
    to change times from a date onward, create a new schedule and assign it from that date."""

    name = models.CharField(_("nama jadwal"), max_length=120, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=ScheduleKind.choices)
    grace_minutes = models.PositiveSmallIntegerField(_("toleransi keterlambatan (menit)"),
                                                     default=rules_data.DEFAULT_GRACE_MINUTES)
    is_active = models.BooleanField(_("aktif"), default=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_active", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(grace_minutes__lte=rules_data.MAX_GRACE_MINUTES),
                                   name="workcalendar_schedule_grace_max"),
            models.CheckConstraint(condition=models.Q(kind__in=[k for k, _label in ScheduleKind.choices]),
                                   name="workcalendar_schedule_kind_valid"),
        ]
        verbose_name = _("jadwal kerja")
        verbose_name_plural = _("jadwal kerja")

    def __str__(self) -> str:
        return self.name


class TimeBlock(models.Model):
    """Start, end, break and the masuk/pulang windows of one working period, as wall-clock times in the
    office time zone. The masuk window lies on the start's date; the end and the pulang window lie on the
    next date when `ends_next_day` (a night shift), so neither window may itself cross midnight."""

    start = models.TimeField(_("jam mulai"))
    end = models.TimeField(_("jam selesai"))
    ends_next_day = models.BooleanField(_("selesai hari berikutnya"), default=False)
    break_minutes = models.PositiveSmallIntegerField(_("istirahat (menit)"), default=0)
    checkin_open = models.TimeField(_("masuk dibuka"))
    checkin_close = models.TimeField(_("masuk ditutup"))
    checkout_open = models.TimeField(_("pulang dibuka"))
    checkout_close = models.TimeField(_("pulang ditutup"))

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(ends_next_day=False, end__gt=models.F("start"))
                           | models.Q(ends_next_day=True, end__lte=models.F("start"))),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(checkin_close__gte=models.F("checkin_open")),
                                   name="%(app_label)s_%(class)s_checkin_window"),
            models.CheckConstraint(condition=models.Q(checkout_close__gte=models.F("checkout_open")),
                                   name="%(app_label)s_%(class)s_checkout_window"),
            models.CheckConstraint(condition=models.Q(break_minutes__lt=24 * 60),
                                   name="%(app_label)s_%(class)s_break_under_a_day"),
        ]

    def working_minutes(self) -> int:
        minutes = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)
        return minutes + (24 * 60 if self.ends_next_day else 0) - self.break_minutes


class ScheduleDay(TimeBlock):
    """The times of one weekday of a day schedule; a weekday without a row is a day off. Rows with
    `is_ramadan` replace the normal rows on the dates of a RamadanPeriod (a schedule without Ramadan rows
    keeps its normal times during Ramadan)."""

    schedule = models.ForeignKey(WorkSchedule, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(_("hari"))  # date.weekday(): Monday 0 … Sunday 6
    is_ramadan = models.BooleanField(_("Ramadan"), default=False)

    class Meta(TimeBlock.Meta):
        ordering = ["schedule", "is_ramadan", "weekday"]
        constraints = [
            *TimeBlock.Meta.constraints,
            models.UniqueConstraint(fields=["schedule", "is_ramadan", "weekday"],
                                    name="workcalendar_scheduleday_unique"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="workcalendar_scheduleday_weekday"),
        ]
        verbose_name = _("hari jadwal")
        verbose_name_plural = _("hari jadwal")

    def __str__(self) -> str:
        return f"{self.schedule} {self.weekday}{' Ramadan' if self.is_ramadan else ''}"


class Shift(TimeBlock):
    """One shift of a shift schedule (pagi, siang, malam)."""

    schedule = models.ForeignKey(WorkSchedule, on_delete=models.CASCADE, related_name="shifts")
    code = models.SlugField(_("kode"), max_length=20)
    name = models.CharField(_("nama shift"), max_length=60)

    class Meta(TimeBlock.Meta):
        ordering = ["schedule", "start"]
        constraints = [
            *TimeBlock.Meta.constraints,
            models.UniqueConstraint(fields=["schedule", "code"], name="workcalendar_shift_code_unique"),
        ]
        verbose_name = _("shift")
        verbose_name_plural = _("shift")

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%H:%M}–{self.end:%H:%M})"


class RamadanPeriod(models.Model):
    """The dates of one Ramadan (set by BKPSDM each year after the government's announcement)."""

    name = models.CharField(_("nama"), max_length=100)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="workcalendar_ramadan_end_after_start"),
        ]
        verbose_name = _("periode Ramadan")
        verbose_name_plural = _("periode Ramadan")

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d-%m-%Y} s.d. {self.end_date:%d-%m-%Y})"


class ScheduleAssignment(models.Model):
    """A schedule for a unit (and its whole subtree) or for one employee, from a date, optionally until a
    date (both included). For one target the periods never overlap (schedule_services enforces it)."""

    schedule = models.ForeignKey(WorkSchedule, verbose_name=_("jadwal"), on_delete=models.PROTECT,
                                 related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="schedule_assignments")
    employee = models.ForeignKey("employees.Employee", verbose_name=_("pegawai"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="schedule_assignments")
    effective_from = models.DateField(_("berlaku mulai"))
    effective_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False, employee__isnull=True)
                           | models.Q(unit__isnull=True, employee__isnull=False)),
                name="workcalendar_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="workcalendar_assignment_to_after_from",
            ),
            models.UniqueConstraint(fields=["unit", "effective_from"], name="workcalendar_assignment_unit_from"),
            models.UniqueConstraint(fields=["employee", "effective_from"],
                                    name="workcalendar_assignment_employee_from"),
        ]
        indexes = [models.Index(fields=["effective_from", "effective_to"])]
        verbose_name = _("penetapan jadwal")
        verbose_name_plural = _("penetapan jadwal")

    def __str__(self) -> str:
        return f"{self.schedule} → {self.employee or self.unit} ({self.effective_from:%Y-%m-%d})"

    def covers(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class ShiftRoster(models.Model):
    """Which shift a shift worker works on a date (the shift's start date). No row: not rostered, off."""

    employee = models.ForeignKey("employees.Employee", verbose_name=_("pegawai"), on_delete=models.CASCADE,
                                 related_name="shift_rosters")
    date = models.DateField(_("tanggal"))
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="rosters")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="workcalendar_roster_employee_date")]
        indexes = [models.Index(fields=["date", "employee"])]
        verbose_name = _("jadwal shift")
        verbose_name_plural = _("jadwal shift")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date:%Y-%m-%d} {self.shift_id}"
