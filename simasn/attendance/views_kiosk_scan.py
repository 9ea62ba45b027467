"""The kiosk scan page: what a phone's own camera app opens from the QR on an office screen.

The QR holds this page's address with the screen's current code (`?qr=<token>`), so no app and no QR library
is needed: the camera app opens the address in the browser where the employee is logged in (if not, the login
page sends them back here through `?next=`). Opening the page checks the code and shows the kiosk's office
with "Masuk" / "Pulang"; the code in the page is a scan pass issued then (kiosk.scan_pass_issue), good for
kiosk.SCAN_PASS_SECONDS, because tapping may take longer than one rotation. A tap posts to the same check-in
service as the kiosk API (capture.kiosk_checkin_record), which judges the pass again: the server decides.

Each button carries its own client_id, made when the page is rendered: a double tap, a resubmitted form or
"back and tap again" is one event, answered with the stored result. The client time is the moment the code
was read (the pass's issue time): a web page has no trustworthy phone clock, and it must not change between
retries of one form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from simasn.core.errors import DomainError

from . import capture, kiosk

TEMPLATE = "attendance/capture/kiosk_scan.html"


def scan_url(request: HttpRequest, token: str) -> str:
    """The absolute address a kiosk's QR encodes: on SIMASN_BASE_URL when set (behind a proxy the request's
    host may be an internal one), else on the host the kiosk screen itself was loaded from."""
    path = reverse("attendance_capture:kiosk_scan") + "?" + urlencode({"qr": token})
    base = (getattr(settings, "SIMASN_BASE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


class ScanForm(forms.Form):
    kind = forms.ChoiceField(choices=[("in", "in"), ("out", "out")])
    client_id = forms.UUIDField()
    qr = forms.CharField(max_length=200)


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, TEMPLATE, context, status=status)
    response["Cache-Control"] = "no-store"  # the page holds a live pass
    return response


def _refused(request: HttpRequest, error: DomainError, employee: Any = None) -> HttpResponse:
    return _render(request, {"state": "refused", "error": error.message, "code": error.code, "employee": employee},
                   status=error.status_code)


def _ready(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    try:
        employee = capture.employee_for_user(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    try:
        found, scan_pass = kiosk.scan_pass_issue(token, user_id=request.user.pk, now=now)
    except DomainError as exc:
        return _refused(request, exc, employee)
    choices = [
        {"kind": "in", "label": pgettext("presensi", "Masuk"), "icon": "bi-box-arrow-in-right", "css": "btn-success",
         "client_id": uuid.uuid4()},
        {"kind": "out", "label": _("Pulang"), "icon": "bi-box-arrow-right", "css": "btn-primary",
         "client_id": uuid.uuid4()},
    ]
    return _render(request, {
        "state": "ready", "employee": employee, "kiosk": found, "scan_pass": scan_pass, "choices": choices,
        "valid_until": timezone.localtime(now + dt.timedelta(seconds=kiosk.SCAN_PASS_SECONDS)),
    })


def _record(request: HttpRequest) -> HttpResponse:
    form = ScanForm(request.POST)
    if not form.is_valid():
        incomplete = _("Permintaan presensi tidak lengkap. Pindai ulang kode QR di layar kios.")
        return _refused(request, DomainError(incomplete, code="invalid"))
    qr = form.cleaned_data["qr"]
    data = capture.CheckInData(client_id=form.cleaned_data["client_id"], kind=form.cleaned_data["kind"],
                               client_time=kiosk.scan_time(qr) or timezone.now(), qr=qr)
    try:
        result = capture.kiosk_checkin_record(user=request.user, data=data)
    except DomainError as exc:
        return _refused(request, exc)
    answer = capture.checkin_answer(result)
    flags = [{"code": code, "label": label} for code, label in zip(answer["flags"], answer["flag_labels"], strict=True)]
    return _render(request, {"state": "done", "employee": result.employee, "answer": answer, "flags": flags,
                             "event": result.event, "created": result.created})


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_scan(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _record(request)
    token = kiosk.token_from_scan(request.GET.get("qr", ""))
    if not token:
        return _render(request, {"state": "idle"})
    return _ready(request, token)
