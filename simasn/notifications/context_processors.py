from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from simasn.core.nav import counts_for


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy, and shared with the other navigation counts: one query per page, none for an HTMX fragment.
    return {"notifications_unread": SimpleLazyObject(lambda: counts_for(request)["notifications_unread"])}
