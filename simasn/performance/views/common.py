"""Helpers shared by the Kinerja pages: the year asked for, service calls that turn refusals into 403/404 or
form errors, and the objects a viewer may open (through `selectors`, so a foreign SKP is a 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from simasn.core.errors import DomainError, NotFound
from simasn.org.forms import call_service

T = TypeVar("T")
YEAR_WINDOW = 5


def year_from(request: HttpRequest) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun") or ""
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and abs(int(raw) - this_year) <= YEAR_WINDOW else this_year


def year_choices(year: int) -> range:
    this_year = timezone.localdate().year
    return range(min(year, this_year - 2), max(year, this_year + 1) + 1)


def fetch(getter: Callable[[], T]) -> T:
    """A selector's `*_get_for`: out of scope or missing is the same 404."""
    try:
        return getter()
    except NotFound as exc:
        raise Http404(exc.message) from exc


def run_or_message(request: HttpRequest, action: Callable[[], T]) -> T | None:
    """Call a service from a one-button form: a refusal becomes an error message on the page it returns to."""
    try:
        return call_service(None, action)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


def to_skp(skp_pk: int, *, anchor: str = "", period: int | None = None) -> HttpResponse:
    url = reverse("performance:skp_period", args=[skp_pk, period]) if period is not None else \
        reverse("performance:skp_detail", args=[skp_pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def indicator_or_404(request: HttpRequest, pk: int) -> Any:
    """An indicator of an SKP the viewer may read (scoped through the SKP selector)."""
    from ..models import SkpIndicator
    from ..selectors import skp_queryset_for

    indicator = (SkpIndicator.objects.filter(pk=pk, item__skp__in=skp_queryset_for(request.user).values("pk"))
                 .select_related("item", "item__skp", "item__skp__position", "item__skp__position__parent").first())
    if indicator is None:
        raise Http404
    return indicator
