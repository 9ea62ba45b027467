"""Per-user counts for the navigation bar (unread notifications, requests awaiting the user, whether the
user is an atasan …), answered for every page in **one** query.

Each app registers the counts it owns (`register_count` in its AppConfig.ready), as an expression over the
User row: a scalar subquery that may refer to `OuterRef("pk")` (the user) or `OuterRef("employee__…")` (the
user's employee record). Core never imports the apps that register here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Expression, F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

_BUILDERS: dict[str, Callable[[], Expression]] = {}
_WAITING: set[str] = set()  # counts of things awaiting the user's decision, summed on the "Atasan" menu
_REQUEST_ATTR = "_simasn_nav_counts"


def register_count(name: str, build: Callable[[], Expression], *, awaits_decision: bool = False) -> None:
    _BUILDERS[name] = build
    if awaits_decision:
        _WAITING.add(name)


def waiting_total(counts: dict[str, int]) -> int:
    return sum(counts.get(name, 0) for name in _WAITING)


def count_of(queryset: QuerySet) -> Expression:
    """COUNT(*) of a correlated queryset as a scalar subquery (0 when nothing matches)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts_for_user(user: Any) -> dict[str, int]:
    from simasn.accounts.models import User

    if not getattr(user, "is_authenticated", False) or not _BUILDERS:
        return dict.fromkeys(_BUILDERS, 0)
    row = (User.objects.filter(pk=user.pk).annotate(**{name: build() for name, build in _BUILDERS.items()})
           .values(*_BUILDERS).first())
    return row or dict.fromkeys(_BUILDERS, 0)


def counts_for(request: HttpRequest) -> dict[str, int]:
    """The counts of the request's user, computed once per request whichever template part asks first."""
    counts = getattr(request, _REQUEST_ATTR, None)
    if counts is None:
        counts = counts_for_user(getattr(request, "user", None))
        setattr(request, _REQUEST_ATTR, counts)
    return counts
