from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN_BKPSDM = "admin_bkpsdm", _("Admin BKPSDM")
    ADMIN_OPD = "admin_opd", _("Admin OPD")
    PIMPINAN = "pimpinan", _("Pimpinan")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    PEGAWAI = "pegawai", _("Pegawai")


# Roles that administer personnel data must prove a second factor (TOTP) after the password.
ROLES_REQUIRING_OTP = frozenset({Role.ADMIN_BKPSDM, Role.ADMIN_OPD})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMIN_BKPSDM)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. `username` is the NIP for ASN; system accounts may use another handle."""

    username = models.CharField(_("NIP / nama pengguna"), max_length=32, unique=True)
    full_name = models.CharField(_("nama"), max_length=200, blank=True)
    email = models.EmailField(blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PEGAWAI)
    scope_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit cakupan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Untuk Admin OPD: unit (beserta sub-unitnya) yang dikelola."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of the session hash: raising it ends every existing session of the user (on deactivation), which
    # Django cannot otherwise do without scanning the whole session table.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="admin_opd") | models.Q(scope_unit__isnull=False),
                name="admin_opd_has_scope_unit",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django hashes only the password field; we add the epoch. Overrides the private hook that both
        # get_session_auth_hash and the SECRET_KEY_FALLBACKS variant call.
        return salted_hmac(
            "simasn.accounts.User.session_auth_hash", f"{self.password}:{self.session_epoch}",
            secret=secret, algorithm="sha256",
        ).hexdigest()

    @property
    def requires_otp(self) -> bool:
        return self.role in ROLES_REQUIRING_OTP


class DeviceToken(models.Model):
    """A revocable bearer token for the mobile app, bound to one device; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    device_id = models.CharField(max_length=128)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "device_id"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.device_id}"
