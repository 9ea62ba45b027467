"""Kiosk QR mode: an office screen shows a code that changes every 30 s, signed by the server.

Token: `k<kiosk id>.<slot>.<signature>`, where the slot is the number of 30-second periods since the epoch
and the signature is HMAC-SHA256 over "kiosk id.slot" keyed with the kiosk's own secret and the server's
SECRET_KEY (a leaked database alone cannot mint codes; rotating one kiosk's secret invalidates only its
codes). A scanned code is valid in its own slot and the next one, so a code read just before it rotates
still works while the phone sends it; anything older is expired (422), anything else forged (403).

The QR holds the address of the scan page (`…/presensi/kios/pindai/?qr=<token>`), so a phone's own camera
app opens it in the browser where the employee is logged in; the mobile app may send that address or the
bare token (`token_from_scan`). Between opening the scan page and tapping "Masuk" a person may take longer
than a rotation, so the page does not carry the code itself: when it opens, the server checks the code and
hands out a *scan pass* `p<kiosk id>.<unix seconds>.<signature>` (signed with the same key, another
message), which the check-in accepts for SCAN_PASS_SECONDS after it was issued. A pass is only issued for a
live display code, never for another pass, so the grace cannot be chained. The pass is bound to the login
that opened the page (its user id is in the signed message): forwarded to a colleague who is not at the
office, it is refused, so the grace adds no way of checking in for someone else.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from simasn.accounts.scopes import can_administer_city, managed_unit_path
from simasn.core.audit import audit_record
from simasn.core.errors import DomainError, Forbidden, NotFound
from simasn.org.models import OfficeLocation

from .models import Kiosk
from .rules_data import CHECKS

TOKEN_RE = re.compile(r"^k(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$")
PASS_RE = re.compile(r"^p(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$")
# How long the scan page's pass stays good: three rotations, enough to read the page and tap (candidate for
# rules_data.CheckThresholds beside kiosk_qr_seconds).
SCAN_PASS_SECONDS = 3 * CHECKS.kiosk_qr_seconds
# Servers behind one balancer may disagree on the clock by a little; a pass "from the future" beyond this
# was never issued.
PASS_CLOCK_SLACK_SECONDS = 5
# A pass that does not verify was forged or, far likelier, opened by a colleague and forwarded.
PASS_REFUSED = "Kode pindai ini tidak sah untuk akun Anda. Pindai sendiri kode QR yang sedang tampil di layar kios."


class QrExpired(DomainError):
    status_code = 422

    def __init__(self) -> None:
        super().__init__("Kode QR sudah kedaluwarsa; pindai kode yang sedang tampil di layar kios.",
                         code="qr_expired", field="qr")


class QrInvalid(DomainError):
    status_code = 403

    def __init__(self, message: str = "Kode QR tidak sah.", code: str = "qr_invalid") -> None:
        super().__init__(message, code=code, field="qr")


class KioskInactive(QrInvalid):
    def __init__(self) -> None:
        super().__init__("Kios presensi ini sedang tidak aktif; hubungi admin OPD kantor ini.", code="kiosk_inactive")


def slot_of(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // CHECKS.kiosk_qr_seconds


def seconds_left(moment: dt.datetime) -> int:
    period = CHECKS.kiosk_qr_seconds
    return period - int(moment.timestamp()) % period


def _sign(secret: str, message: str) -> str:
    key = hashlib.sha256(f"{secret}:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _signature(kiosk_id: int, secret: str, slot: int) -> str:
    return _sign(secret, f"{kiosk_id}.{slot}")


def _pass_signature(kiosk_id: int, secret: str, issued: int, user_id: int) -> str:
    return _sign(secret, f"pass.{kiosk_id}.{issued}.{user_id}")


def token_for(kiosk: Kiosk, *, now: dt.datetime | None = None) -> str:
    slot = slot_of(now or timezone.now())
    return f"k{kiosk.pk}.{slot}.{_signature(kiosk.pk, kiosk.secret, slot)}"


def token_from_scan(text: str) -> str:
    """The code in what a phone scanned: the bare token, or the `qr` parameter of the scan page's address.
    The host is not checked: the signature, not the address, is what proves the code."""
    text = (text or "").strip()
    if "?" not in text:
        return text
    values = parse_qs(urlsplit(text).query).get("qr")
    return values[0].strip() if values else ""


def _signed_kiosk(kiosk_id: int, signature: str, expected: Any, *, refusal: str = "Kode QR tidak sah.") -> Kiosk:
    """The kiosk if it is active and `signature` is `expected(kiosk)`; KioskInactive / QrInvalid (`refusal`
    for a bad signature) otherwise. Inactivity is told apart first: deactivating rotates the secret, so its
    old codes no longer verify."""
    kiosk = Kiosk.objects.select_related("location").filter(pk=kiosk_id).first()
    if kiosk is None:
        raise QrInvalid()
    if not kiosk.is_active or not kiosk.location.is_active:
        raise KioskInactive()
    if not hmac.compare_digest(signature, expected(kiosk)):
        raise QrInvalid(refusal)
    return kiosk


def _kiosk_from_code(token: str, now: dt.datetime) -> Kiosk:
    match = TOKEN_RE.match(token or "")
    if match is None:
        raise QrInvalid()
    kiosk_id, slot, signature = int(match[1]), int(match[2]), match[3]
    kiosk = _signed_kiosk(kiosk_id, signature, lambda k: _signature(k.pk, k.secret, slot))
    current = slot_of(now)
    if slot > current:
        raise QrInvalid()  # a signed code from the future was never shown on a screen
    if slot < current - 1:
        raise QrExpired()
    return kiosk


def _kiosk_from_pass(match: re.Match, now: dt.datetime, user_id: int | None) -> Kiosk:
    kiosk_id, issued, signature = int(match[1]), int(match[2]), match[3]
    if user_id is None:
        raise QrInvalid()
    kiosk = _signed_kiosk(kiosk_id, signature, lambda k: _pass_signature(k.pk, k.secret, issued, user_id),
                          refusal=PASS_REFUSED)
    age = now.timestamp() - issued
    if age < -PASS_CLOCK_SLACK_SECONDS:
        raise QrInvalid()
    if age > SCAN_PASS_SECONDS:
        raise QrExpired()
    return kiosk


def kiosk_from_token(token: str, *, user_id: int | None = None, now: dt.datetime | None = None) -> Kiosk:
    """The active kiosk whose current (or just-rotated) code, or whose live scan pass issued to `user_id`,
    this is; QrInvalid / KioskInactive / QrExpired otherwise."""
    now = now or timezone.now()
    match = PASS_RE.match(token or "")
    if match is not None:
        return _kiosk_from_pass(match, now, user_id)
    return _kiosk_from_code(token, now)


def scan_pass_issue(token: str, *, user_id: int, now: dt.datetime | None = None) -> tuple[Kiosk, str]:
    """Check a display code read by the scan page and hand out the pass the page posts back, good for this
    login only (see the module docstring). Only a display code earns a pass: a pass presented here is refused."""
    now = now or timezone.now()
    kiosk = _kiosk_from_code(token, now)
    issued = int(now.timestamp())
    return kiosk, f"p{kiosk.pk}.{issued}.{_pass_signature(kiosk.pk, kiosk.secret, issued, user_id)}"


def scan_time(token: str) -> dt.datetime | None:
    """When the code was read, from the token's own text (a pass: its issue time; a display code: the start of
    its slot); None for anything else. Not verified here: the check-in verifies the token. Being a function of
    the posted text only, it is the same on every retry of one form (the retry's body must not change)."""
    match = PASS_RE.match(token or "")
    if match is not None:
        seconds = int(match[2])
    else:
        match = TOKEN_RE.match(token or "")
        if match is None:
            return None
        seconds = int(match[2]) * CHECKS.kiosk_qr_seconds
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def qr_svg(text: str) -> str:
    """The QR code as inline SVG (no image request, works under CSP 'self')."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg"):]


# --- who manages kiosks ------------------------------------------------------------------------------------


def kiosk_queryset_for(viewer: Any) -> QuerySet[Kiosk]:
    qs = Kiosk.objects.select_related("location", "location__unit")
    if can_administer_city(viewer):
        return qs
    path = managed_unit_path(viewer)
    if path:
        return qs.filter(location__unit__path__startswith=path)
    return qs.none()


def can_manage_kiosks(viewer: Any) -> bool:
    return can_administer_city(viewer) or managed_unit_path(viewer) is not None


def locations_for_kiosks(viewer: Any) -> QuerySet[OfficeLocation]:
    qs = OfficeLocation.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "name")
    if can_administer_city(viewer):
        return qs
    path = managed_unit_path(viewer)
    return qs.filter(unit__path__startswith=path) if path else qs.none()


def kiosk_get_for(*, viewer: Any, pk: int) -> Kiosk:
    kiosk = kiosk_queryset_for(viewer).filter(pk=pk).first()
    if kiosk is None:
        raise NotFound("Kios tidak ditemukan.")
    return kiosk


@transaction.atomic
def kiosk_create(*, actor: Any, location_id: int, name: str) -> Kiosk:
    if not can_manage_kiosks(actor):
        raise Forbidden()
    location = locations_for_kiosks(actor).filter(pk=location_id).first()
    if location is None:
        raise NotFound("Lokasi kantor tidak ditemukan.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama kios wajib diisi.", code="required", field="name")
    kiosk = Kiosk.objects.create(location=location, name=name[:100], secret=secrets.token_hex(32))
    audit_record(actor=actor, action="attendance.kiosk_created", obj=kiosk,
                 summary=f"Kios presensi {kiosk.name} di {location.name}",
                 after={"location_id": location.pk, "name": kiosk.name})
    return kiosk


@transaction.atomic
def kiosk_set_active(*, actor: Any, pk: int, active: bool) -> Kiosk:
    kiosk = kiosk_get_for(viewer=actor, pk=pk)
    if kiosk.is_active != active:
        # Deactivating also rotates the secret: codes photographed before stay invalid after reactivation.
        kiosk.is_active = active
        if not active:
            kiosk.secret = secrets.token_hex(32)
        kiosk.save(update_fields=["is_active", "secret"])
        audit_record(actor=actor, action="attendance.kiosk_" + ("activated" if active else "deactivated"),
                     obj=kiosk, summary=f"Kios presensi {kiosk.name} {'diaktifkan' if active else 'dinonaktifkan'}",
                     before={"is_active": not active}, after={"is_active": active})
    return kiosk
