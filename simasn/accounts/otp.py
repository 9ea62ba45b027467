"""TOTP second factor for admin roles: enrolment (QR + typed secret) and verification with throttling.

django-otp's TOTPDevice does the cryptography, the replay guard (a code is accepted once) and the
throttle (after each wrong code the next try waits 1, 2, 4, 8 … seconds). This module picks the
devices, reports how long to wait, and records enrolment in the audit log — never the key.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS
from django_otp.plugins.otp_totp.models import TOTPDevice

from simasn.core.audit import audit_record

from .models import User

ENROLMENT_DEVICE_NAME = "Aplikasi autentikator"


@dataclass(frozen=True)
class OtpOutcome:
    device: TOTPDevice | None = None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def throttled(self) -> bool:
        return self.device is None and self.wait_seconds > 0


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def throttle_wait_seconds(device: TOTPDevice) -> int:
    """Seconds until the device accepts another try (0 when it does now)."""
    allowed, _ = device.verify_is_allowed()
    if allowed or device.throttling_failure_timestamp is None:
        return 0
    required = min(
        device.get_throttle_factor() * (2 ** (device.throttling_failure_count - 1)), MAX_THROTTLE_DELAY_SECONDS
    )
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, math.ceil(required - elapsed))


def _check(devices: list[TOTPDevice], token: str) -> OtpOutcome:
    waits = []
    for device in devices:
        wait = throttle_wait_seconds(device)
        if wait:
            waits.append(wait)
        elif device.verify_token(token):
            return OtpOutcome(device=device)
    # "Wait" only when no device could even be tried; otherwise the code was simply wrong.
    if devices and len(waits) == len(devices):
        return OtpOutcome(wait_seconds=min(waits))
    return OtpOutcome()


@transaction.atomic
def otp_verify(*, user: User, token: str) -> OtpOutcome:
    """Check a code against the user's confirmed devices. Rows are locked so two parallel guesses
    cannot both slip past the throttle."""
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"))
    return _check(devices, token)


@transaction.atomic
def otp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled; the same one across page loads so the QR code already
    scanned stays valid until the first correct code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
        audit_record(actor=user, action="accounts.otp_enrolment_started", obj=device,
                     summary="Pendaftaran aplikasi autentikator dimulai")
    return device


@transaction.atomic
def otp_confirm_enrolment(*, user: User, token: str) -> OtpOutcome:
    """A correct first code proves the secret reached the app: the device becomes the user's factor."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        return OtpOutcome()
    outcome = _check([device], token)
    if outcome.ok:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit_record(actor=user, action="accounts.otp_enrolled", obj=device,
                     summary="Aplikasi autentikator terdaftar dan dikonfirmasi")
    return outcome


@transaction.atomic
def otp_reset(*, actor: object, user: User) -> int:
    """Remove every TOTP device (lost phone): the next admin login enrols again."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="accounts.otp_reset", obj=user,
                 summary=f"Perangkat OTP {user.username} dihapus", after={"devices_removed": count})
    return count


def otp_secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, easier to type into an authenticator app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def otp_qr_svg(device: TOTPDevice, *, size_px: int = 220) -> str:
    """Inline SVG of the otpauth:// URI (no image request leaves the page, no external service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{size_px}" height="{size_px}" role="img" aria-label="Kode QR untuk aplikasi autentikator"',
        svg,
        count=1,
    )
