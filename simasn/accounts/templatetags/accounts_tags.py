"""Filters for the lockout page, which django-axes renders with a cool-off duration, not a clock time."""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def retry_at(cooloff: dt.timedelta | None) -> dt.datetime | None:
    """Axes restarts the cool-off at each failed try, and this page answers one: now + cool-off."""
    return timezone.now() + cooloff if cooloff else None


@register.filter
def in_minutes(cooloff: dt.timedelta | None) -> int:
    return math.ceil(cooloff.total_seconds() / 60) if cooloff else 0
