"""Kiosk QR mode: an office screen shows a code that changes every 30 s, signed by the server.

Token: `k<kiosk id>.<slot>.<signature>`, where the slot is the number of 30-second periods since the epoch
and the signature is HMAC-SHA256 over "kiosk id.slot" keyed with the kiosk's own secret and the server's
SECRET_KEY (a leaked database alone cannot mint codes; rotating one kiosk's secret invalidates only its
codes). A scanned code is valid in its own slot and the next one, so a code read just before it rotates
still works while the phone sends it; anything older is expired (422), anything else forged (403).
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


class QrExpired(DomainError):
    status_code = 422

    def __init__(self) -> None:
        super().__init__("Kode QR sudah kedaluwarsa; pindai kode yang sedang tampil di layar kios.",
                         code="qr_expired", field="qr")


class QrInvalid(DomainError):
    status_code = 403

    def __init__(self) -> None:
        super().__init__("Kode QR tidak sah.", code="qr_invalid", field="qr")


def slot_of(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // CHECKS.kiosk_qr_seconds


def seconds_left(moment: dt.datetime) -> int:
    period = CHECKS.kiosk_qr_seconds
    return period - int(moment.timestamp()) % period


def _signature(kiosk_id: int, secret: str, slot: int) -> str:
    key = hashlib.sha256(f"{secret}:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{kiosk_id}.{slot}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_for(kiosk: Kiosk, *, now: dt.datetime | None = None) -> str:
    slot = slot_of(now or timezone.now())
    return f"k{kiosk.pk}.{slot}.{_signature(kiosk.pk, kiosk.secret, slot)}"


def kiosk_from_token(token: str, *, now: dt.datetime | None = None) -> Kiosk:
    """The active kiosk whose current (or just-rotated) code this is; QrInvalid / QrExpired otherwise."""
    match = TOKEN_RE.match(token or "")
    if match is None:
        raise QrInvalid()
    kiosk_id, slot, signature = int(match[1]), int(match[2]), match[3]
    kiosk = Kiosk.objects.select_related("location").filter(pk=kiosk_id, is_active=True,
                                                            location__is_active=True).first()
    if kiosk is None or not hmac.compare_digest(signature, _signature(kiosk.pk, kiosk.secret, slot)):
        raise QrInvalid()
    current = slot_of(now or timezone.now())
    if slot > current:
        raise QrInvalid()  # a signed code from the future was never shown on a screen
    if slot < current - 1:
        raise QrExpired()
    return kiosk


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
