"""Writes on accounts: password login for the API, device tokens, passwords, roles and activation.

Every write records an audit event in its own transaction. Secrets (passwords, tokens, TOTP keys) never
reach the audit log: only the fact that they changed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simasn.core.audit import audit_record, model_snapshot
from simasn.core.errors import Conflict, DomainError, NotFound

from .api_auth import hash_token
from .errors import AccountLocked, Forbidden, InvalidCredentials
from .models import DeviceToken, Role, User
from .scopes import can_administer_city, managed_unit_path

USER_AUDIT_FIELDS = ["username", "full_name", "role", "scope_unit", "is_active", "is_staff"]


def normalize_nip(value: str) -> str:
    """NIPs are often typed grouped ("19860926 201505 1 001"); the stored username has no spaces."""
    value = value.strip()
    compact = "".join(value.split())
    return compact if compact.isdigit() else value


# ---------------------------------------------------------------------------------------------- login


def lockout_retry_at(request: HttpRequest) -> dt.datetime:
    """When a locked (NIP, address) pair may try again. Axes restarts the cool-off at every failure
    during a lockout, and the failure that got us here was just recorded, so it is now + cool-off."""
    return timezone.now() + (get_cool_off(request) or dt.timedelta(0))


def authenticate_nip(*, request: HttpRequest, nip: str, password: str) -> User:
    """Check NIP + password through Django's backends so django-axes counts failures per (NIP, address)."""
    nip = normalize_nip(nip)
    user = authenticate(request=request, username=nip, password=password)
    if getattr(request, "axes_locked_out", False):
        # The JSON answer is ours: left set, the flag makes axes' middleware swap it for the HTML page.
        request.axes_locked_out = False
        retry_at = lockout_retry_at(request)
        local = timezone.localtime(retry_at)
        raise AccountLocked(
            _("Terlalu banyak percobaan gagal. Coba lagi setelah pukul %(time)s %(zone)s.")
            % {"time": formats.time_format(local, "H:i"), "zone": local.tzname()},
            retry_after_seconds=max(0, int((retry_at - timezone.now()).total_seconds())),
        )
    if user is None:
        raise InvalidCredentials()
    # A token login is a login: clear this pair's failure count like AXES_RESET_ON_SUCCESS does for the
    # session login, without the user_logged_in signal (axes would open a session for a phone).
    axes_reset(ip=get_client_ip_address(request), username=nip)
    update_last_login(None, user)
    return user


# -------------------------------------------------------------------------------------- device tokens


@transaction.atomic
def device_token_issue(*, user: User, device_id: str) -> tuple[DeviceToken, str]:
    """A new token for this phone; the previous token of the same device stops working. Returns the
    plaintext once: only its SHA-256 is stored."""
    now = timezone.now()
    replaced = DeviceToken.objects.filter(user=user, device_id=device_id, revoked_at__isnull=True).update(
        revoked_at=now
    )
    raw = secrets.token_urlsafe(32)
    # Issuing is the token's first use (the phone has just logged in with it).
    token = DeviceToken.objects.create(user=user, device_id=device_id, token_hash=hash_token(raw), created_at=now,
                                       last_used_at=now)
    audit_record(
        actor=user, action="accounts.device_token_issued", obj=token,
        summary=f"Token perangkat diterbitkan untuk {device_id[:80]}",
        after={"user_id": user.pk, "device_id": device_id, "replaced": replaced},
    )
    return token, raw


@transaction.atomic
def device_token_revoke(*, actor: User, token_id: int) -> DeviceToken:
    """Revoke one of the actor's own tokens. Another user's token is reported as missing."""
    token = DeviceToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("Token perangkat tidak ditemukan."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="accounts.device_token_revoked", obj=token,
            summary=f"Token perangkat dicabut: {token.device_id[:80]}",
            before={"revoked_at": None}, after={"revoked_at": token.revoked_at},
        )
    return token


# ------------------------------------------------------------------------------------------- password


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> None:
    """The form has checked the old password and the validators; this stores the hash and records the
    event (without any password)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="accounts.password_changed", obj=user, summary="Kata sandi diganti")


# ----------------------------------------------------------------------------------- users and roles


def _is_person(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def validate_role_scope(role: str, scope_unit: Any) -> None:
    """Admin OPD manage a unit subtree, so they need one; no other role has a scope."""
    if role not in Role.values:
        raise DomainError(_("Peran tidak dikenal."), code="invalid_role", field="role")
    if role == Role.ADMIN_OPD and scope_unit is None:
        raise DomainError(_("Admin OPD harus memiliki unit cakupan."), code="scope_unit_required", field="scope_unit")
    if role != Role.ADMIN_OPD and scope_unit is not None:
        raise DomainError(_("Unit cakupan hanya berlaku untuk Admin OPD."), code="scope_unit_not_allowed",
                          field="scope_unit")


def _validated_password(password: str, user: User) -> str:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password", field="password") from exc
    return password


@transaction.atomic
def user_create_for_employee(
    *, actor: Any, employee: Any, role: str = Role.PEGAWAI, password: str | None = None, scope_unit: Any = None
) -> User:
    """Open a login for an employee: the username is the NIP. Without a password the account cannot log
    in until one is set. A city admin (or the system: seed, commands) may give any role; an admin OPD
    may open pegawai accounts for employees inside their own unit subtree."""
    if _is_person(actor) and not can_administer_city(actor):
        path = managed_unit_path(actor)
        if path is None or not employee.unit.path.startswith(path):
            raise NotFound(_("Pegawai tidak ditemukan."))
        if role != Role.PEGAWAI:
            raise Forbidden(_("Hanya Admin BKPSDM yang dapat memberikan peran selain Pegawai."))
    validate_role_scope(role, scope_unit)
    if employee.user_id is not None:
        raise Conflict(_("Pegawai ini sudah memiliki akun."), code="account_exists")
    if User.objects.filter(username=employee.nip).exists():
        raise Conflict(_("Nama pengguna %(nip)s sudah dipakai akun lain.") % {"nip": employee.nip},
                       code="username_taken")
    user = User(
        username=employee.nip, full_name=employee.full_name[:200], email=employee.email or "",
        role=role, scope_unit=scope_unit,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(_validated_password(password, user))
    user.save()
    employee.user = user
    employee.save(update_fields=["user"])
    audit_record(
        actor=actor, action="accounts.user_created", obj=user, summary=f"Akun dibuat untuk {employee.nip}",
        after={**model_snapshot(user, USER_AUDIT_FIELDS), "employee_id": employee.pk},
    )
    return user


def _ensure_city_admin(actor: Any) -> None:
    if _is_person(actor) and not can_administer_city(actor):
        raise Forbidden(_("Hanya Admin BKPSDM yang dapat mengelola akun."))


@transaction.atomic
def user_set_role(*, actor: Any, user: User, role: str, scope_unit: Any = None) -> User:
    _ensure_city_admin(actor)
    validate_role_scope(role, scope_unit)
    if _is_person(actor) and actor.pk == user.pk and role != user.role:
        raise Forbidden(_("Anda tidak dapat mengubah peran akun Anda sendiri."))
    before = model_snapshot(user, ["role", "scope_unit"])
    user.role = role
    user.scope_unit = scope_unit
    user.save(update_fields=["role", "scope_unit"])
    audit_record(
        actor=actor, action="accounts.role_changed", obj=user,
        summary=f"Peran {user.username} menjadi {Role(role).label}",
        before=before, after=model_snapshot(user, ["role", "scope_unit"]),
    )
    return user


@transaction.atomic
def end_all_sessions(user: User) -> int:
    """Invalidate every web session (the epoch is part of the session hash) and revoke every device token;
    returns the number of tokens revoked. A later reactivation does not bring old sessions back."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    return DeviceToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_set_active(*, actor: Any, user: User, is_active: bool) -> User:
    """Deactivation ends the account everywhere: Django stops loading an inactive user from a session,
    and its device tokens are revoked as well (BearerDeviceAuth also ignores inactive users)."""
    _ensure_city_admin(actor)
    if _is_person(actor) and actor.pk == user.pk and not is_active:
        raise Forbidden(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.is_active == is_active:
        return user
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    revoked = 0 if is_active else end_all_sessions(user)
    audit_record(
        actor=actor, action="accounts.user_activated" if is_active else "accounts.user_deactivated", obj=user,
        summary=f"Akun {user.username} {'diaktifkan' if is_active else 'dinonaktifkan'}",
        before={"is_active": not is_active}, after={"is_active": is_active, "device_tokens_revoked": revoked},
    )
    return user
