"""Requests to be away from the desk (cuti, izin, dinas luar, flexible work), their approval chain, and the
cuti ledger.

One request model serves the four kinds because they share the whole machinery — the approval chain, overlap
refusal, the unit calendar and the "was the employee excused that day" question attendance asks; what differs
(leave type rules, SPT number, destination geofence) is a few nullable fields checked by the services.
The ledger is append-only: a balance is the sum of its entries, so a year's history can always be explained.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    CUTI = "cuti", _("Cuti")
    IZIN = "izin", _("Izin")
    DINAS_LUAR = "dinas_luar", _("Dinas luar")
    FLEKSIBEL = "fleksibel", _("Kerja fleksibel")


class RequestStatus(models.TextChoices):
    PENDING = "diajukan", _("Menunggu persetujuan")
    CHANGES_REQUESTED = "perlu_perbaikan", _("Perlu perbaikan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    CANCELLED = "dibatalkan", _("Dibatalkan")


# Requests in these states hold their dates: a new request overlapping them is refused.
ACTIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.CHANGES_REQUESTED, RequestStatus.APPROVED)


class AbsenceRequest(models.Model):
    employee = models.ForeignKey("employees.Employee", verbose_name=_("pegawai"), on_delete=models.PROTECT,
                                 related_name="absence_requests")
    kind = models.CharField(_("jenis permohonan"), max_length=12, choices=RequestKind.choices)
    # The cuti type (rules_data.LEAVE_TYPES) or the izin type (rules_data.IZIN_TYPES); blank for the other kinds.
    leave_type = models.CharField(_("jenis"), max_length=24, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    # Izin of a few hours (keperluan penting) has times; everything else is whole days.
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("jumlah hari kerja"), default=0)
    reason = models.TextField(_("alasan"))
    # Cuti melahirkan: which child (1st–3rd get cuti melahirkan; from the 4th, cuti besar).
    child_order = models.PositiveSmallIntegerField(_("anak ke-"), null=True, blank=True)
    address_during = models.CharField(_("alamat selama menjalankan cuti"), max_length=300, blank=True)
    attachment = models.FileField(_("dokumen pendukung"), upload_to="leave/%Y/", blank=True)
    # Dinas luar: the Surat Perintah Tugas and where the employee goes.
    spt_number = models.CharField(_("nomor SPT"), max_length=100, blank=True)
    destination = models.CharField(_("tujuan"), max_length=200, blank=True)
    # Dinas luar (optional) and flexible work (required): where check-ins are valid during the request.
    location_name = models.CharField(_("nama lokasi"), max_length=200, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (meter)"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, db_index=True)
    current_step = models.PositiveSmallIntegerField(_("tahap persetujuan saat ini"), default=1)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A client retrying the same submission sends the same key and gets the first request back.
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Printed on the surat izin cuti and checked by the public verification page; set on final approval.
    verification_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    # An approved request cut short: the employee is back at work from this date (remaining days returned).
    cut_short_from = models.DateField(_("kembali bekerja mulai"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="leave_request_end_after_start"),
            models.UniqueConstraint(fields=["submitted_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="leave_request_idempotency_key"),
        ]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="leave_req_employee_start"),
            models.Index(fields=["start_date", "end_date"], name="leave_req_dates"),
        ]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.employee_id} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    @property
    def last_day_away(self) -> dt.date:
        """The last date the employee is away: the end date, or the day before an early return."""
        if self.cut_short_from:
            return self.cut_short_from - dt.timedelta(days=1)
        return self.end_date


class StepStatus(models.TextChoices):
    WAITING = "menunggu_giliran", _("Menunggu giliran")
    PENDING = "menunggu", _("Menunggu keputusan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    CHANGES_REQUESTED = "perlu_perbaikan", _("Diminta perbaikan")
    CLOSED = "ditutup", _("Ditutup")  # the request was cancelled or decided before this step's turn


class ApprovalStep(models.Model):
    """One approver in a request's chain, resolved when the request is submitted (so a later transfer of the
    atasan does not silently re-route a decision that is in progress)."""

    request = models.ForeignKey(AbsenceRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    role = models.CharField(_("peran"), max_length=24)  # rules_data.APPROVER_ROLES
    approver = models.ForeignKey("employees.Employee", verbose_name=_("pejabat"), on_delete=models.PROTECT,
                                 related_name="approval_steps")
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING)
    note = models.TextField(_("catatan"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["request", "order"]
        constraints = [models.UniqueConstraint(fields=["request", "order"], name="leave_step_request_order")]
        indexes = [models.Index(fields=["approver", "status"], name="leave_step_inbox")]
        verbose_name = _("tahap persetujuan")
        verbose_name_plural = _("tahap persetujuan")


class ApprovalRoute(models.Model):
    """Which approvers a request goes through, editable by BKPSDM. The most specific rule wins, a row or a
    default of rules_data.DEFAULT_ROUTES: (kind, leave type, jabatan type), (kind, leave type), the type's
    default, (kind, jabatan type), (kind), the kind's default (routing.route_roles)."""

    kind = models.CharField(_("jenis permohonan"), max_length=12, choices=RequestKind.choices)
    leave_type = models.CharField(_("jenis cuti/izin"), max_length=24, blank=True)
    jabatan_type = models.CharField(_("jenis jabatan pemohon"), max_length=20, blank=True)
    steps = models.JSONField(_("tahapan"))  # list of rules_data.APPROVER_ROLES codes, in order
    is_active = models.BooleanField(_("berlaku"), default=True)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "leave_type", "jabatan_type"],
                                               name="leave_route_unique")]
        verbose_name = _("alur persetujuan")
        verbose_name_plural = _("alur persetujuan")


class LedgerEntryKind(models.TextChoices):
    ENTITLEMENT = "hak", _("Hak tahun berjalan")
    CARRYOVER = "penangguhan", _("Penangguhan dari tahun lalu")
    USE = "pemakaian", _("Pemakaian")
    RETURN = "pengembalian", _("Pengembalian")
    FORFEIT = "hangus", _("Hangus")
    ADJUSTMENT = "koreksi", _("Koreksi")


class LeaveLedgerEntry(models.Model):
    """One signed movement of an employee's leave days of one type in one year (uses are negative).
    Entitlement and carry-over are written once per (employee, type, year): the year-end roll-over can run
    twice without double-counting."""

    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="leave_ledger")
    year = models.PositiveSmallIntegerField(_("tahun"))
    leave_type = models.CharField(_("jenis cuti"), max_length=24)
    entry_kind = models.CharField(_("jenis mutasi"), max_length=12, choices=LedgerEntryKind.choices)
    days = models.SmallIntegerField(_("hari"))
    request = models.ForeignKey(AbsenceRequest, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="ledger_entries")
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type", "year", "entry_kind"],
                condition=Q(entry_kind__in=["hak", "penangguhan"]),
                name="leave_ledger_grant_once",
            ),
        ]
        indexes = [models.Index(fields=["employee", "leave_type", "year"], name="leave_ledger_balance")]
        verbose_name = _("mutasi saldo cuti")
        verbose_name_plural = _("mutasi saldo cuti")
