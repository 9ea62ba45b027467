"""Device tokens for the mobile app and the caller's own profile (/api/v1/auth/…, /api/v1/me)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictStr, field_validator

from . import selectors, services
from .models import DeviceToken, User

router = Router(tags=["accounts"])


class DeviceTokenIn(Schema):
    nip: StrictStr = Field(..., min_length=1, max_length=64)
    password: StrictStr = Field(..., min_length=1, max_length=1024)
    device_id: StrictStr = Field(..., min_length=1, max_length=128)

    @field_validator("device_id")
    @classmethod
    def _printable(cls, value: str) -> str:
        if not value.strip() or not value.isprintable():
            raise ValueError("device_id harus berupa teks yang dapat dicetak dan tidak kosong.")
        return value


class DeviceTokenIssuedOut(Schema):
    token: str


class DeviceTokenOut(Schema):
    id: int
    device_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool
    current: bool = Field(False, description="True for the token that made this request")

    @staticmethod
    def resolve_active(obj: DeviceToken) -> bool:
        return obj.revoked_at is None


class RefOut(Schema):
    id: int
    name: str


class MeEmployeeOut(Schema):
    id: int
    nip: str
    name: str
    full_name: str
    kind: str
    status: str
    golongan: str
    unit: RefOut
    position: RefOut | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    scope_unit: RefOut | None
    employee: MeEmployeeOut | None

    @staticmethod
    def resolve_employee(obj: User):
        # The reverse one-to-one raises instead of returning None when there is no employee.
        return getattr(obj, "employee", None)


@router.post("/auth/device-token", auth=None, response={201: DeviceTokenIssuedOut}, url_name="device_token")
def device_token_create(request: HttpRequest, payload: DeviceTokenIn):
    """Log in from the mobile app: NIP + password → a token bound to this device id. Failures count
    toward the same (NIP, address) lockout as the web login."""
    user = services.authenticate_nip(request=request, nip=payload.nip, password=payload.password)
    _, raw = services.device_token_issue(user=user, device_id=payload.device_id)
    return Status(201, {"token": raw})


@router.get("/auth/device-tokens", response=list[DeviceTokenOut], url_name="device_tokens")
def device_token_list(request: HttpRequest):
    current = getattr(request, "device_token", None)
    tokens = list(selectors.device_token_list(viewer=request.auth))
    for token in tokens:
        token.current = current is not None and token.pk == current.pk
    return tokens


@router.delete("/auth/device-tokens/{token_id}", response={204: None}, url_name="device_token_revoke")
def device_token_revoke(request: HttpRequest, token_id: int):
    services.device_token_revoke(actor=request.auth, token_id=token_id)
    return Status(204, None)


@router.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest):
    return selectors.me_get(viewer=request.auth)
