from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules_data import EDUCATION_LEVELS, GOLONGAN_CHOICES
from .validators import mask_nik


class EmployeeKind(models.TextChoices):
    PNS = "PNS", "PNS"
    CPNS = "CPNS", "CPNS"
    PPPK = "PPPK", "PPPK"


class EmployeeStatus(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    CLTN = "cltn", _("Cuti di luar tanggungan negara")
    TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
    PENSIUN = "pensiun", _("Pensiun")
    DIBERHENTIKAN = "diberhentikan", _("Diberhentikan")
    MENINGGAL = "meninggal", _("Meninggal dunia")


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Employee(models.Model):
    """The master record of one ASN: the single source of truth other capabilities read."""

    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, unique=True)
    kind = models.CharField(_("jenis ASN"), max_length=4, choices=EmployeeKind.choices)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=150, db_index=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    status = models.CharField(
        _("status kepegawaian"), max_length=20, choices=EmployeeStatus.choices, default=EmployeeStatus.AKTIF
    )
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit kerja"), on_delete=models.PROTECT,
                             related_name="employees")
    position = models.ForeignKey("org.Position", verbose_name=_("jabatan"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="holders")
    tmt_cpns = models.DateField(_("TMT CPNS"), null=True, blank=True)
    tmt_pns = models.DateField(_("TMT PNS"), null=True, blank=True)
    tmt_golongan = models.DateField(_("TMT golongan"), null=True, blank=True)
    tmt_jabatan = models.DateField(_("TMT jabatan"), null=True, blank=True)
    education_level = models.CharField(_("pendidikan terakhir"), max_length=3, choices=EDUCATION_LEVELS,
                                       blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    photo = models.FileField(_("foto"), upload_to="photos/%Y/", blank=True)
    # Stored (not computed per query) because "pensiun dalam 12 bulan" must be one indexed range filter
    # over the whole city; employees.services recomputes it whenever birth date or jabatan changes.
    retirement_date = models.DateField(_("tanggal pensiun (BUP)"), null=True, blank=True, db_index=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="employee")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "nip"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["golongan"]),
            models.Index(fields=["kind", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip()
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik) or "—"


class SKFields(models.Model):
    """The decree (SK) behind a history entry."""

    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_file = models.FileField(_("berkas SK (PDF)"), upload_to="sk/%Y/", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class RankHistory(SKFields):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="rank_history")
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES)
    tmt = models.DateField(_("TMT"))

    class Meta:
        ordering = ["-tmt", "-id"]


class PositionHistory(SKFields):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="position_history")
    position = models.ForeignKey("org.Position", null=True, on_delete=models.SET_NULL, related_name="+")
    position_name = models.CharField(_("nama jabatan"), max_length=200)  # kept if the position is renamed
    unit_name = models.CharField(_("unit kerja"), max_length=200)
    tmt = models.DateField(_("TMT"))

    class Meta:
        ordering = ["-tmt", "-id"]


class EducationHistory(SKFields):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="education_history")
    level = models.CharField(_("jenjang"), max_length=3, choices=EDUCATION_LEVELS)
    institution = models.CharField(_("lembaga pendidikan"), max_length=200)
    major = models.CharField(_("jurusan"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("tahun lulus"))

    class Meta:
        ordering = ["-graduation_year", "-id"]


class ImportBatch(models.Model):
    """One uploaded employee file: parsed to a preview, then committed all-or-nothing."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Pratinjau")
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/")
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    row_errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
