"""Reads: a user sees only their own notifications; anyone else's is indistinguishable from a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from simasn.core.errors import NotFound

from .models import Notification


def notification_list(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(viewer, "is_authenticated", False):
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=viewer)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_get_for(*, viewer: Any, pk: int) -> Notification:
    found = notification_list(viewer=viewer).filter(pk=pk).first()
    if found is None:
        raise NotFound("Notifikasi tidak ditemukan.")
    return found


def unread_count(user: Any) -> int:
    """One COUNT over the partial index of unread notifications."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
