"""Reads on accounts, always limited to what the viewer may see: here, their own account."""

from __future__ import annotations

from django.db.models import F, QuerySet

from .models import DeviceToken, User


def device_token_list(*, viewer: User) -> QuerySet[DeviceToken]:
    """The viewer's own device tokens: active ones first, then newest first. The hash is never selected."""
    return (
        DeviceToken.objects.filter(user=viewer)
        .only("id", "user_id", "device_id", "created_at", "last_used_at", "revoked_at")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )


def me_get(*, viewer: User) -> User:
    """The viewer with the employee record, unit and position the profile shows, in one query."""
    return User.objects.select_related("scope_unit", "employee__unit", "employee__position").get(pk=viewer.pk)
