"""Pages of the capture side: the review queue of flagged check-ins, the selfie viewer, the kiosks and their
QR display, and the import of fingerprint-machine logs. Thin: services and selectors decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simasn.core.errors import DomainError, Forbidden, NotFound

from . import device_import, kiosk, review
from .models import DeviceLogImport
from .rules_data import FLAG_LABELS
from .views_kiosk_scan import scan_url

PAGE_SIZE = 25


def _fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _flag_rows(event: Any) -> list[dict]:
    return [{"code": code, "label": FLAG_LABELS.get(code, code), "detail": event.flag_details.get(code) or {}}
            for code in event.flags]


# --- review queue ---------------------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", gettext_lazy("Terima")), ("reject", gettext_lazy("Tolak"))])
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, max_length=review.MAX_NOTE,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not review.can_review(request.user):
        raise PermissionDenied(_("Anda tidak meninjau presensi pegawai mana pun."))
    page = Paginator(review.review_queue(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"event": e, "flags": _flag_rows(e)} for e in page.object_list]
    return render(request, "attendance/capture/review_queue.html", {"page": page, "rows": rows})


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            event = review.event_review(actor=request.user, pk=pk, decision=form.cleaned_data["decision"],
                                        note=form.cleaned_data["note"])
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error = exc.message
        else:
            if _fragment(request):
                return render(request, "attendance/capture/review_queue.html#decided-row",
                              {"row": {"event": event, "flags": _flag_rows(event)}})
            messages.success(request, _("Keputusan tinjauan disimpan."))
            return redirect("attendance_capture:reviews")
    else:
        error = _("Keputusan tidak valid.")
    try:
        event = review.event_get_for_review(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if _fragment(request):
        return render(request, "attendance/capture/review_queue.html#pending-row",
                      {"row": {"event": event, "flags": _flag_rows(event)}, "error": error})
    messages.error(request, error)
    return redirect("attendance_capture:reviews")


@login_required
@require_GET
def selfie(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = review.selfie_open(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not event.photo.storage.exists(event.photo.name):
        raise Http404(_("Swafoto tidak ditemukan di penyimpanan."))
    response = FileResponse(event.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- kiosks ----------------------------------------------------------------------------------------------------


class KioskForm(forms.Form):
    location = forms.ModelChoiceField(label=gettext_lazy("Lokasi kantor"), queryset=None,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label=gettext_lazy("Nama kios"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = kiosk.locations_for_kiosks(viewer)


def _require_kiosk_admin(request: HttpRequest) -> None:
    if not kiosk.can_manage_kiosks(request.user):
        raise PermissionDenied(_("Hanya admin OPD atau admin BKPSDM yang mengelola kios presensi."))


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_list(request: HttpRequest) -> HttpResponse:
    _require_kiosk_admin(request)
    form = KioskForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = kiosk.kiosk_create(actor=request.user, location_id=form.cleaned_data["location"].pk,
                                         name=form.cleaned_data["name"])
        except (Forbidden, NotFound) as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Kios %(name)s dibuat.") % {"name": created.name})
            return redirect("attendance_capture:kiosks")
    kiosks = kiosk.kiosk_queryset_for(request.user).order_by("location__name", "name")
    return render(request, "attendance/capture/kiosk_list.html", {"form": form, "kiosks": kiosks})


@login_required
@require_POST
def kiosk_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_kiosk_admin(request)
    try:
        found = kiosk.kiosk_get_for(viewer=request.user, pk=pk)
        kiosk.kiosk_set_active(actor=request.user, pk=pk, active=not found.is_active)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return redirect("attendance_capture:kiosks")


def _kiosk_for_display(request: HttpRequest, pk: int) -> Any:
    _require_kiosk_admin(request)
    try:
        found = kiosk.kiosk_get_for(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not found.is_active:
        raise Http404(_("Kios tidak aktif."))
    return found


def _qr_context(request: HttpRequest, found: Any) -> dict:
    """The QR holds the scan page's address, so any phone's camera app opens it (views_kiosk_scan)."""
    now = timezone.now()
    token = kiosk.token_for(found, now=now)
    url = scan_url(request, token)
    return {"kiosk": found, "svg": kiosk.qr_svg(url), "token": token, "scan_url": url,
            "refresh_seconds": kiosk.seconds_left(now) + 1, "now": now}


@login_required
@require_GET
def kiosk_display(request: HttpRequest, pk: int) -> HttpResponse:
    found = _kiosk_for_display(request, pk)
    response = render(request, "attendance/capture/kiosk_display.html", _qr_context(request, found))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def kiosk_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR fragment; it schedules its own replacement at the next 30-second slot (HTMX)."""
    found = _kiosk_for_display(request, pk)
    response = render(request, "attendance/capture/kiosk_display.html#qr", _qr_context(request, found))
    response["Cache-Control"] = "no-store"
    return response


# --- device log import ---------------------------------------------------------------------------------------------


class DeviceLogForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas CSV log mesin"),
                           help_text=gettext_lazy(
                               "Kolom: NIP, waktu (mis. 2026-03-09 07:12:00 WITA atau 2026-03-09T07:12:00+08:00), "
                               "ID mesin. Pemisah koma atau titik koma."),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}))


@login_required
@require_http_methods(["GET", "POST"])
def device_log_import(request: HttpRequest) -> HttpResponse:
    if not device_import.can_import(request.user):
        raise PermissionDenied(_("Hanya admin OPD atau admin BKPSDM yang dapat mengimpor log mesin presensi."))
    form = DeviceLogForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = device_import.import_device_log(actor=request.user, data=upload.read(), filename=upload.name)
        except DomainError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
    recent = DeviceLogImport.objects.filter(uploaded_by=request.user).order_by("-created_at")[:10]
    return render(request, "attendance/capture/device_import.html",
                  {"form": form, "summary": summary, "recent": recent})

