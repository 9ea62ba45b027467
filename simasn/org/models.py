from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PEMDA = "pemda", _("Pemerintah Daerah")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    SATPOL = "satpol", _("Satuan Polisi Pamong Praja")
    RSUD = "rsud", _("Rumah Sakit Umum Daerah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    BAGIAN = "bagian", _("Bagian")
    BIDANG = "bidang", _("Bidang")
    SUBBAGIAN = "subbagian", _("Subbagian")
    SEKSI = "seksi", _("Seksi")
    UPTD = "uptd", _("UPTD")


class Unit(models.Model):
    """A node of the organisation tree (OPD, bidang, seksi, kecamatan, kelurahan …).

    `path` is the materialised path of ids ("/1/7/42/") so a whole subtree is one indexed prefix query;
    services keep it in step when a unit moves.
    """

    name = models.CharField(_("nama unit"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    code = models.CharField(_("kode unit"), max_length=30, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")

    def __str__(self) -> str:
        return self.name


class UnitHistory(models.Model):
    """What a unit was called and where it stood before a rename, move or merge."""

    class Change(models.TextChoices):
        CREATED = "created", _("Dibentuk")
        RENAMED = "renamed", _("Ganti nama")
        MOVED = "moved", _("Pindah induk")
        MERGED = "merged", _("Digabung")
        DEACTIVATED = "deactivated", _("Dinonaktifkan")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="history")
    change = models.CharField(max_length=20, choices=Change.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    effective_date = models.DateField(null=True, blank=True)
    old_name = models.CharField(max_length=200, blank=True)
    new_name = models.CharField(max_length=200, blank=True)
    old_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    new_parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    merged_into = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


class JabatanType(models.TextChoices):
    """UU 20/2023: manajerial (JPT, administrator, pengawas) and nonmanajerial (fungsional, pelaksana)."""

    KEPALA_DAERAH = "kepala_daerah", _("Kepala Daerah")
    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL = "fungsional", _("Fungsional")
    PELAKSANA = "pelaksana", _("Pelaksana")


class JFLevel(models.TextChoices):
    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")


class Position(models.Model):
    """A jabatan. The holder of `parent` is the atasan langsung of this position's holders."""

    name = models.CharField(_("nama jabatan"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    parent = models.ForeignKey(
        "self", verbose_name=_("jabatan atasan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    jabatan_type = models.CharField(_("jenis jabatan"), max_length=20, choices=JabatanType.choices)
    jf_level = models.CharField(_("jenjang fungsional"), max_length=20, choices=JFLevel.choices, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(
        _("kelas jabatan"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["unit__path", "-kelas_jabatan", "name"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17), name="kelas_jabatan_1_17"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_managerial(self) -> bool:
        return self.jabatan_type in {
            JabatanType.KEPALA_DAERAH, JabatanType.JPT_UTAMA, JabatanType.JPT_MADYA,
            JabatanType.JPT_PRATAMA, JabatanType.ADMINISTRATOR, JabatanType.PENGAWAS,
        }


class OfficeLocation(models.Model):
    """A place where check-ins count: a circle (centre + radius) and optionally a polygon inside it."""

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (UTC+7)"
        WITA = "Asia/Makassar", "WITA (UTC+8)"
        WIT = "Asia/Jayapura", "WIT (UTC+9)"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(_("nama lokasi"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    latitude = models.FloatField(_("lintang"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("bujur"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    radius_m = models.PositiveIntegerField(
        _("radius (meter)"), default=100, validators=[MinValueValidator(10), MaxValueValidator(5000)]
    )
    polygon = models.JSONField(_("poligon"), null=True, blank=True, help_text=_("Daftar [lintang, bujur]."))
    timezone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZone.choices, default=TimeZone.WITA)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("lokasi kantor")
        verbose_name_plural = _("lokasi kantor")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="office_location_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(radius_m__gte=10, radius_m__lte=5000), name="office_location_radius_10_5000"
            ),
        ]

    def __str__(self) -> str:
        return self.name
