"""The SKP cycle of PermenPANRB 6/2022 (DOMAIN §6): plan, realisation with evidence, feedback, assessment,
objection and coaching. Workflow lives in `services`; the models only hold state and its constraints.

One SKP per employee and year (`Skp`); once agreed it is locked, and any later change goes through a
recorded `SkpRevision` (reason, before/after snapshot) that the pejabat penilai agrees again, which raises
`Skp.revision`. Periods are numbered 1..12 (monthly) or 1..4 (quarterly) within the SKP's year; the annual
assessment uses period 0 (`rules_data.ANNUAL_PERIOD`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules_data as R

RATING_CHOICES = list(R.RATINGS.items())
PREDIKAT_CHOICES = list(R.PREDIKAT.items())
UNIT_PREDIKAT_CHOICES = list(R.UNIT_PREDIKAT.items())
BERAKHLAK_CHOICES = list(R.BERAKHLAK.items())
PERIOD_KIND_CHOICES = list(R.PERIOD_KINDS.items())
# Expectations and feedback concern either one BerAKHLAK value or one hasil kerja, never both.
VALUE_XOR_ITEM = (~Q(value="") & Q(item__isnull=True)) | (Q(value="") & Q(item__isnull=False))


class PerformancePeriodSetting(models.Model):
    """BKPSDM's choice of the periodic assessment for one year; a year without a row uses
    `rules_data.DEFAULT_PERIOD_KIND` (monthly). An SKP copies the kind when it is created."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    period_kind = models.CharField(_("periode penilaian"), max_length=10, choices=PERIOD_KIND_CHOICES,
                                   default=R.DEFAULT_PERIOD_KIND)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("periode penilaian kinerja")
        verbose_name_plural = _("periode penilaian kinerja")

    def __str__(self) -> str:
        return f"{self.year}: {self.get_period_kind_display()}"


class UnitResult(models.Model):
    """The unit's own result for a year (predikat kinerja organisasi, e.g. from its LKjIP/evaluation).

    It picks the distribution curve the unit's employee predikat must fit, and the hasil kerja rating of the
    unit's head follows it (`rules_data.UNIT_HEAD_HASIL`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="performance_results")
    year = models.PositiveSmallIntegerField(_("tahun"))
    predikat = models.CharField(_("predikat kinerja unit"), max_length=20, choices=UNIT_PREDIKAT_CHOICES)
    basis = models.CharField(_("dasar penetapan"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="performance_unitresult_unit_year")]
        verbose_name = _("kinerja unit")
        verbose_name_plural = _("kinerja unit")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.get_predikat_display()}"


class SkpStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    REVISING = "revising", _("Direvisi")
    AGREED = "agreed", _("Disetujui")


class Skp(models.Model):
    """Sasaran Kinerja Pegawai of one employee for one year.

    `pejabat_penilai` is the atasan langsung when the SKP was created (employees.selectors.atasan_of); it
    stays the rater for the year. Null when the employee has no ASN atasan (the Sekda under the elected
    Wali Kota): then the pimpinan role acts as pejabat penilai. `unit` and `position` are snapshots at
    creation, so the recap counts an SKP where it was planned even after a transfer."""

    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="skps")
    year = models.PositiveSmallIntegerField(_("tahun"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="skps")
    position = models.ForeignKey("org.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pejabat_penilai = models.ForeignKey("employees.Employee", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="skps_to_assess", verbose_name=_("pejabat penilai"))
    approach = models.CharField(_("pendekatan"), max_length=12, choices=list(R.APPROACHES.items()),
                                default="kuantitatif")
    period_kind = models.CharField(_("periode penilaian"), max_length=10, choices=PERIOD_KIND_CHOICES,
                                   default=R.DEFAULT_PERIOD_KIND)
    status = models.CharField(_("status"), max_length=10, choices=SkpStatus.choices, default=SkpStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revisi ke"), default=0)
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "employee__name"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="performance_skp_employee_year")]
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["pejabat_penilai", "year"]),
            models.Index(fields=["unit", "year"]),
        ]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee}"

    @property
    def is_editable(self) -> bool:
        return self.status in {SkpStatus.DRAFT, SkpStatus.RETURNED, SkpStatus.REVISING}


class SkpRevision(models.Model):
    """A recorded change of an agreed SKP: opened by the employee with a reason (status REVISING), closed
    when the pejabat penilai agrees the changed SKP again. `before`/`after` are snapshots of the plan."""

    class Status(models.TextChoices):
        OPEN = "open", _("Berjalan")
        AGREED = "agreed", _("Disetujui")

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revisi ke"))
    reason = models.TextField(_("alasan revisi"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    before = models.JSONField(default=dict)
    after = models.JSONField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["skp", "number"]
        constraints = [models.UniqueConstraint(fields=["skp", "number"], name="performance_revision_skp_number")]


class SkpItem(models.Model):
    """A hasil kerja. A main item (`is_additional` False) is cascaded: from an item of the pejabat penilai's
    SKP of the same year (`parent_item`), or — for the head of a unit, whose atasan plans no item for it —
    from the unit's target (`unit_target`). Additional items (hasil kerja tambahan) need neither."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="items")
    text = models.TextField(_("hasil kerja"))
    parent_item = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="cascaded_items", verbose_name=_("hasil kerja atasan"))
    unit_target = models.CharField(_("target unit"), max_length=500, blank=True)
    perspective = models.CharField(_("perspektif"), max_length=20, choices=list(R.PERSPECTIVES.items()),
                                   blank=True)
    is_additional = models.BooleanField(_("hasil kerja tambahan"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skp", "is_additional", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class SkpIndicator(models.Model):
    """An indicator of a hasil kerja with its target: a number ≥ 0 with a unit label (kuantitatif), or a
    text (kualitatif)."""

    item = models.ForeignKey(SkpItem, on_delete=models.CASCADE, related_name="indicators")
    text = models.TextField(_("indikator"))
    target_kind = models.CharField(_("aspek"), max_length=10, choices=list(R.TARGET_KINDS.items()))
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField(_("satuan"), max_length=50, blank=True)
    target_text = models.TextField(_("target (uraian)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                                   name="performance_indicator_target_nonnegative"),
        ]


class SkpExpectation(models.Model):
    """Ekspektasi khusus pimpinan: what the pejabat penilai expects, on a BerAKHLAK value or on an item."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="expectations")
    value = models.CharField(_("nilai BerAKHLAK"), max_length=30, choices=BERAKHLAK_CHOICES, blank=True)
    item = models.ForeignKey(SkpItem, null=True, blank=True, on_delete=models.CASCADE, related_name="expectations")
    text = models.TextField(_("ekspektasi"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["skp", "item", "value"]
        constraints = [
            models.CheckConstraint(condition=VALUE_XOR_ITEM,
                                   name="performance_expectation_value_xor_item"),
        ]


class Realisation(models.Model):
    """What the employee achieved on a hasil kerja in one period of the SKP's year."""

    item = models.ForeignKey(SkpItem, on_delete=models.PROTECT, related_name="realisations")
    period = models.PositiveSmallIntegerField(_("periode"))
    text = models.TextField(_("realisasi"))
    value = models.DecimalField(_("nilai realisasi"), max_digits=16, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "period"]
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="performance_realisation_item_period"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0),
                                   name="performance_realisation_value_nonnegative"),
        ]


class Evidence(models.Model):
    """Bukti dukung of a realisation: a checked PDF/JPEG/PNG file (served by a scoped view, never /media/)
    or an http(s) link."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        LINK = "link", _("Tautan")

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    file = models.FileField(upload_to="skp/evidence/%Y/", blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["realisation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="performance_evidence_file_or_link",
            ),
        ]


class Feedback(models.Model):
    """Continuous feedback (umpan balik berkelanjutan) of the atasan for one period: on a hasil kerja or on a
    BerAKHLAK value."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="feedback")
    period = models.PositiveSmallIntegerField(_("periode"))
    item = models.ForeignKey(SkpItem, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback")
    value = models.CharField(_("nilai BerAKHLAK"), max_length=30, choices=BERAKHLAK_CHOICES, blank=True)
    text = models.TextField(_("umpan balik"))
    given_by = models.ForeignKey("employees.Employee", null=True, on_delete=models.SET_NULL, related_name="+")
    given_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skp", "period", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=VALUE_XOR_ITEM,
                                   name="performance_feedback_value_xor_item"),
        ]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class Assessment(models.Model):
    """A rating of hasil kerja and perilaku kerja for one period (period 0: the annual assessment).

    `employee`, `unit` and `year` repeat the SKP's so the recaps and `final_predikat_for` group one indexed
    table. `distribution_violations` records the limits the unit broke when the pimpinan finalised anyway."""

    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="assessments")
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    hasil = models.CharField(_("hasil kerja"), max_length=10, choices=RATING_CHOICES)
    hasil_reason = models.TextField(_("alasan penilaian hasil kerja"), blank=True)
    perilaku = models.CharField(_("perilaku kerja"), max_length=10, choices=RATING_CHOICES)
    perilaku_reason = models.TextField(_("alasan penilaian perilaku kerja"), blank=True)
    predikat = models.CharField(_("predikat"), max_length=20, choices=PREDIKAT_CHOICES)
    status = models.CharField(max_length=5, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    rated_by = models.ForeignKey("employees.Employee", null=True, on_delete=models.SET_NULL, related_name="+")
    rated_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    rated_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    distribution_violations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["skp", "period"]
        constraints = [models.UniqueConstraint(fields=["skp", "period"], name="performance_assessment_skp_period")]
        indexes = [
            models.Index(fields=["year", "period", "status"]),
            models.Index(fields=["employee", "year", "period"]),
            models.Index(fields=["unit", "year"]),  # the unit recap groups one OPD's units
        ]

    def __str__(self) -> str:
        return f"Penilaian {self.skp} periode {self.period}: {self.get_predikat_display()}"

    @property
    def is_annual(self) -> bool:
        return self.period == R.ANNUAL_PERIOD


class Objection(models.Model):
    """Keberatan of the employee against a final assessment, decided by the atasan of the pejabat penilai
    (`reviewer`; null when the penilai has no ASN atasan — then the pimpinan role decides)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        UPHELD = "upheld", _("Penilaian tetap")
        CHANGED = "changed", _("Penilaian diubah")

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="objection")
    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("alasan keberatan"))
    filed_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("batas pengajuan"))
    reviewer = models.ForeignKey("employees.Employee", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="objections_to_review")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    previous_hasil = models.CharField(max_length=10, choices=RATING_CHOICES, blank=True)
    previous_perilaku = models.CharField(max_length=10, choices=RATING_CHOICES, blank=True)
    previous_predikat = models.CharField(max_length=20, choices=PREDIKAT_CHOICES, blank=True)
    new_hasil = models.CharField(max_length=10, choices=RATING_CHOICES, blank=True)
    new_perilaku = models.CharField(max_length=10, choices=RATING_CHOICES, blank=True)
    new_predikat = models.CharField(max_length=20, choices=PREDIKAT_CHOICES, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["reviewer", "status"])]


class CoachingPlan(models.Model):
    """Pembinaan of an employee whose predikat is Butuh Perbaikan or worse, owned by the atasan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        ONGOING = "ongoing", _("Berjalan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    employee = models.ForeignKey("employees.Employee", on_delete=models.PROTECT, related_name="coaching_plans")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="coaching_plans")
    owner = models.ForeignKey("employees.Employee", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="coaching_owned", verbose_name=_("penanggung jawab"))
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    actions = models.TextField(_("rencana tindakan"), blank=True)
    outcome = models.TextField(_("hasil pembinaan"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="performance_coaching_dates_ordered"),
        ]
        indexes = [models.Index(fields=["employee", "status"])]

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.PLANNED, self.Status.ONGOING}


class DistributionCheck(models.Model):
    """The distribution of a unit's annual predikat when it was finalised: counts, the unit predikat, the
    violations found and, when there were any, who finalised anyway and why."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    unit_predikat = models.CharField(max_length=20, choices=UNIT_PREDIKAT_CHOICES)
    counts = models.JSONField(default=dict)
    violations = models.JSONField(default=list)
    unrated = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    finalised = models.PositiveIntegerField(default=0)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_at"]
