"""Notifications API (/api/v1/notifications): the caller's own notifications only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import selectors, services
from .models import Notification

router = Router(tags=["notifications"])

MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    detail: str
    code: str


class NotificationOut(Schema):
    id: int
    category: str
    title: str
    body: str
    url: str = Field(..., description="Path relatif di situs ini, atau kosong")
    object_type: str
    object_id: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool

    @staticmethod
    def resolve_is_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationListOut(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    results: list[NotificationOut]


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Hanya yang belum dibaca")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class UnreadCountOut(Schema):
    unread: int


class MarkAllReadOut(Schema):
    marked: int = Field(..., description="Jumlah notifikasi yang baru ditandai sudah dibaca")


@router.get("", response=NotificationListOut, url_name="notification_list", summary="Notifikasi saya, terbaru dulu")
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> dict[str, Any]:
    notifications = selectors.notification_list(viewer=request.auth, unread_only=filters.unread)
    start = (filters.page - 1) * filters.page_size
    return {"count": notifications.count(), "unread": selectors.unread_count(request.auth), "page": filters.page,
            "page_size": filters.page_size, "results": list(notifications[start:start + filters.page_size])}


@router.get("/unread-count", response=UnreadCountOut, url_name="notification_unread_count",
            summary="Jumlah notifikasi yang belum dibaca")
def notification_unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.auth)}


@router.post("/{int:notification_id}/read", response={200: NotificationOut, 404: ErrorOut},
             url_name="notification_read", summary="Tandai satu notifikasi sudah dibaca")
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    return services.mark_read(actor=request.auth, pk=notification_id)


@router.post("/read-all", response=MarkAllReadOut, url_name="notification_read_all",
             summary="Tandai semua notifikasi sudah dibaca")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(actor=request.auth)}
