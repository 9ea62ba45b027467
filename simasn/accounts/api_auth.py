"""API authentication: Bearer device tokens for phones, the Django session (with CSRF) for the web.

A device token is issued after NIP + password only, never after the second factor, so it stands for
"this employee on this phone": the user it returns answers `is_verified() == False`, and the scopes in
`accounts.scopes` give an admin role its admin powers only when verified. An admin's phone can check in
and read its own data; it cannot list the city's personnel or write to it. Admin pages (the UI) never
accept a Bearer token at all: only the API reads the Authorization header.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import DeviceToken, User

DEVICE_ID_HEADER = "HTTP_X_DEVICE_ID"
# Touch at most once a minute: a check-in burst should not turn every request into a write (last_used_at
# is shown to the user to tell his phones apart and to spot a stale token; minute precision is plenty).
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _not_verified() -> bool:
    return False


class BearerDeviceAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            # The employee (with his unit) comes along in the same query: every phone endpoint needs him next
            # (attendance.capture.employee_for_user reads him from here instead of asking again).
            DeviceToken.objects.select_related("user", "user__scope_unit", "user__employee__unit")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        # The token is bound to the phone it was issued to: a client that names its device must name
        # that one, so a token copied to another device that sends its own id is refused.
        claimed_device = request.META.get(DEVICE_ID_HEADER)
        if claimed_device is not None and claimed_device != found.device_id:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            DeviceToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        user.otp_device = None
        user.is_verified = _not_verified
        request.user = user
        request.device_token = found
        return user


class SessionAuth(APIKeyCookie):
    """Django session, CSRF-checked for unsafe methods (ninja does that for cookie auth)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if getattr(user, "requires_otp", False) and not user.is_verified():
                return None
            return user
        return None
