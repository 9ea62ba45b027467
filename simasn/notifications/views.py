"""Notifikasi pages: one's own list, open one (marks it read, then follows its link), mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simasn.core.errors import NotFound
from simasn.core.nav import counts_for

from . import selectors, services

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("belum") == "1"
    notifications = selectors.notification_list(viewer=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(request, "notifications/list.html", {
        "page": page,
        "unread_only": unread_only,
        # Also feeds the bell in the navigation bar (a view's context wins over the context processor's
        # lazy count), so the page runs the COUNT once.
        "notifications_unread": counts_for(request)["notifications_unread"],
    })


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.mark_read(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if notification.url and services.is_safe_local_url(notification.url):
        return HttpResponseRedirect(notification.url)
    if notification.url:
        # Stored links are checked when written; this guards rows written any other way.
        messages.warning(request, _("Tautan notifikasi ini tidak aman, jadi tidak dibuka."))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_read(actor=request.user)
    if marked:
        messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": marked})
    return redirect("notifications:list")
