"""`notifications_unread` for the bell in the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: an HTMX fragment or a page without the navigation bar never runs the COUNT.
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
