"""The approver's inbox: the steps waiting for his decision, oldest first, with quick approve and reject."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..display import type_label

PAGE_SIZE = 50


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    steps = selectors.approval_inbox(viewer=request.user).select_related(
        "request", "request__employee", "request__employee__unit", "request__employee__position")
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for step in rows:
        step.request.leave_type_label = type_label(step.request.kind, step.request.leave_type)
    page.object_list = rows
    return render(request, "leave/inbox.html", {"page": page})
