"""Attendance: raw check-in events (append-only evidence), the daily record derived from them, correction
requests, and the kiosks whose rotating QR codes prove presence at an office.

Events are never edited: a review decision is stored beside the event, and a correction is a new event with
source "koreksi". Daily records are derived data: `services.recompute_days` rebuilds them idempotently from
events, the employee's schedule, holidays and approved leave.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    IN = "in", pgettext_lazy("presensi", "Masuk")
    OUT = "out", _("Pulang")


class EventSource(models.TextChoices):
    MOBILE = "mobile", _("Aplikasi ponsel")
    KIOSK = "kiosk", _("QR kios kantor")
    DEVICE = "device", _("Mesin sidik jari")
    CORRECTION = "koreksi", _("Koreksi disetujui")


class EventStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Diterima")
    FLAGGED = "flagged", _("Ditandai")


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "", _("Tidak perlu ditinjau")
    PENDING = "menunggu", _("Menunggu tinjauan")
    ACCEPTED = "diterima", _("Diterima peninjau")
    REJECTED = "ditolak", _("Ditolak peninjau")


class CheckInEvent(models.Model):
    """One check-in or check-out as it reached the server. `server_time` is the official time; what the
    phone said is kept in `client_time` and compared (CLOCK_SKEW, LATE_SYNC). `work_date` is the schedule day
    the event counts for (a night shift's check-out belongs to the day before)."""

    # Indexes: every check-in writes one entry in each, so there is none that another one already serves
    # (employee and location lead composite indexes) and the mostly-empty foreign keys are partial.
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="checkins",
                                 db_index=False)
    kind = models.CharField(max_length=3, choices=EventKind.choices)
    source = models.CharField(max_length=8, choices=EventSource.choices, default=EventSource.MOBILE)
    server_time = models.DateTimeField()
    client_time = models.DateTimeField(null=True, blank=True)
    work_date = models.DateField()
    # The client's UUID makes a retry idempotent; `body_hash` tells a replay from a different body (409).
    client_id = models.UUIDField(null=True, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    mock_location = models.BooleanField(default=False)
    device_id = models.CharField(max_length=128, blank=True)
    # Where it counted: an office location, or the geofence of an approved dinas luar / flexible-work request.
    location = models.ForeignKey("org.OfficeLocation", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    excuse_request = models.ForeignKey("leave.AbsenceRequest", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", db_index=False)
    location_name = models.CharField(max_length=200, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    flags = models.JSONField(default=list)  # reason codes, rules_data.FLAG_LABELS
    flag_details = models.JSONField(default=dict)  # per code: the measured value behind it
    status = models.CharField(max_length=8, choices=EventStatus.choices, default=EventStatus.ACCEPTED)
    review_status = models.CharField(max_length=8, choices=ReviewStatus.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    photo = models.FileField(upload_to="selfies/%Y/%m/", blank=True)
    photo_hash = models.CharField(max_length=16, blank=True)  # 64-bit perceptual hash, hex
    # The same hash as four 16-bit bands, each indexed: PHOTO_REUSE finds near copies by looking up each
    # band and its one-bit neighbours instead of scanning every selfie (photos.py, multi-index hashing).
    photo_band0 = models.PositiveIntegerField(null=True, blank=True)
    photo_band1 = models.PositiveIntegerField(null=True, blank=True)
    photo_band2 = models.PositiveIntegerField(null=True, blank=True)
    photo_band3 = models.PositiveIntegerField(null=True, blank=True)
    photo_deleted_at = models.DateTimeField(null=True, blank=True)  # retention task ran

    class Meta:
        ordering = ["-server_time"]
        constraints = [
            models.UniqueConstraint(fields=["client_id"], condition=Q(client_id__isnull=False),
                                    name="attendance_event_client_id"),
        ]
        indexes = [
            # An employee's events of a work date are found through (employee, server_time) too: an event's
            # server time lies within two days of its work date (selectors_capture.my_today). A (work_date,
            # employee) index cost every check-in one more page written.
            models.Index(fields=["employee", "server_time"], name="att_event_employee_time"),
            models.Index(fields=["server_time"], name="att_event_time"),
            models.Index(fields=["device_id", "server_time"], name="att_event_device"),
            # The live board's check-ins per office today (a location-only index walked its whole history).
            models.Index(fields=["location", "server_time"], name="att_event_location_time"),
            models.Index(fields=["review_status"], condition=Q(review_status="menunggu"),
                         name="att_event_review_queue"),
            *(models.Index(fields=[f"photo_band{i}"], condition=Q(**{f"photo_band{i}__isnull": False}),
                           name=f"att_event_photo_band{i}") for i in range(4)),
            models.Index(fields=["excuse_request"], condition=Q(excuse_request__isnull=False),
                         name="att_event_excuse"),
            models.Index(fields=["reviewed_by"], condition=Q(reviewed_by__isnull=False), name="att_event_reviewer"),
        ]
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")


class DailyRecord(models.Model):
    """The attendance of one employee on one day (DOMAIN §3 codes), derived from the sources."""

    # Written by every check-in: the unique (employee, date) serves lookups by employee, and the foreign key to
    # a request, empty on most days, is a partial index (see CheckInEvent).
    employee = models.ForeignKey("employees.Employee", on_delete=models.CASCADE, related_name="daily_records",
                                 db_index=False)
    date = models.DateField()
    status = models.CharField(max_length=4)  # main code: H, TL, PSW, TK, C, S, DL, TB, L (rules_data)
    codes = models.JSONField(default=list)  # every code of the day, e.g. ["TL2", "PSW1"]
    first_in = models.DateTimeField(null=True, blank=True)
    last_out = models.DateTimeField(null=True, blank=True)
    late_minutes = models.PositiveSmallIntegerField(default=0)
    early_minutes = models.PositiveSmallIntegerField(default=0)
    worked_minutes = models.PositiveSmallIntegerField(default=0)
    deduction_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    # The TL and PSW bands (0 = none) as columns, so the monthly recap counts each code in one GROUP BY.
    late_band = models.PositiveSmallIntegerField(default=0)
    early_band = models.PositiveSmallIntegerField(default=0)
    schedule_name = models.CharField(max_length=100, blank=True)
    excuse_request = models.ForeignKey("leave.AbsenceRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", db_index=False)
    has_pending_review = models.BooleanField(default=False)
    is_closed = models.BooleanField(default=False)  # the nightly task closed the day
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="attendance_daily_unique")]
        indexes = [
            # By date alone: the status changes on most writes (a check-in turns "" into H or TL…), and with
            # it in the index each change rewrote an index page (SQLite) and ruled out an in-place (HOT)
            # update (PostgreSQL). No query selects by status: the board and the recap count it per row.
            models.Index(fields=["date"], name="att_daily_date"),
            models.Index(fields=["excuse_request"], condition=Q(excuse_request__isnull=False), name="att_daily_excuse"),
        ]
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")


class ArrivalBaseline(models.Model):
    """ARRIVAL_OUTLIER's history of one employee as the nightly close found it: the local arrival times
    (minutes after midnight, newest first) of his latest days with an arrival before `as_of`. A check-in on
    `as_of` reads this one row instead of a month of daily records; any later change to a record before
    `as_of` deletes it, and without a row for the day the check-in reads the records (attendance/baselines.py)."""

    employee = models.OneToOneField("employees.Employee", primary_key=True, on_delete=models.CASCADE,
                                    related_name="+")
    as_of = models.DateField()
    minutes = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("riwayat kedatangan")
        verbose_name_plural = _("riwayat kedatangan")


class CorrectionStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu persetujuan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")


class CorrectionRequest(models.Model):
    """An employee asks to correct a day (forgot to check out, phone broken); the atasan decides."""

    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="attendance_corrections")
    date = models.DateField()
    check_in_time = models.TimeField(null=True, blank=True)
    check_out_time = models.TimeField(null=True, blank=True)
    reason = models.TextField()
    attachment = models.FileField(upload_to="attendance/corrections/%Y/", blank=True)
    status = models.CharField(max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING)
    approver = models.ForeignKey("employees.Employee", null=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(check_in_time__isnull=False) | Q(check_out_time__isnull=False),
                                   name="attendance_correction_has_a_time"),
        ]
        indexes = [models.Index(fields=["approver", "status"], name="att_correction_inbox")]
        verbose_name = _("koreksi presensi")
        verbose_name_plural = _("koreksi presensi")


class Kiosk(models.Model):
    """An office screen showing a QR code signed by the server that rotates every few seconds."""

    location = models.ForeignKey("org.OfficeLocation", on_delete=models.PROTECT, related_name="kiosks")
    name = models.CharField(_("nama kios"), max_length=100)
    secret = models.CharField(max_length=64)  # per-kiosk HMAC key, never shown
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["location", "name"]
        verbose_name = _("kios presensi")
        verbose_name_plural = _("kios presensi")


class DeviceLogImport(models.Model):
    """One uploaded fingerprint-machine log; its rows become events with source "device" (idempotent by
    (NIP, timestamp, device id) through the event's client_id, derived from those three)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    total_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
