"""API authentication: Bearer device tokens for phones, the Django session (with CSRF) for the web."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import DeviceToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class BearerDeviceAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            DeviceToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Touch at most once a minute: a check-in burst should not turn every request into a write.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            DeviceToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.device_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """Django session, CSRF-checked for unsafe methods (ninja does that for cookie auth)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if getattr(user, "requires_otp", False) and not user.is_verified():
                return None
            return user
        return None
