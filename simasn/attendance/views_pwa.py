"""The mobile check-in page (PWA): the page, its web app manifest, its service worker and a session probe.

The page is a shell: everything personal (allowed locations, today's record, the answer to a check-in) comes
from the attendance API at run time, so the service worker may cache the shell and the static files but never
an API answer. The worker is served from the page's own path, so its default scope is exactly the page; the
manifest is a view too, because in production the icons have hashed names and the start URL comes from the
URLconf.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simasn.employees.selectors import own_employee
from simasn.workcalendar.schedules import office_timezone

from .rules_data import CHECKS, FLAG_LABELS, STATUS_LABELS

THEME_COLOR = "#0b4f8a"  # --simasn-primary in static/css/simasn.css
SW_SOURCE = "attendance/sw.js"
SYNC_TAG = "presensi-kirim"

# Static files the page needs offline; the worker caches them when it installs.
SHELL_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/simasn.css",
    "favicon.svg",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "attendance/css/presensi.css",
    "attendance/js/presensi-geo.js",
    "attendance/js/presensi-queue.js",
    "attendance/js/presensi.js",
    "attendance/icons/icon-192.png",
    "attendance/icons/icon-512.png",
)


def _api(path: str) -> str:
    return reverse("api:api-root") + path


def _messages() -> dict[str, str]:
    """Every sentence the page's script shows, translated here so the script carries no language."""
    return {
        "gps_waiting": _("Mencari posisi GPS…"),
        "gps_unsupported": _("Peramban ini tidak mendukung GPS."),
        "gps_denied": _("Akses lokasi ditolak. Izinkan lokasi untuk situs ini di pengaturan Chrome."),
        "gps_unavailable": _("Posisi GPS belum tersedia. Aktifkan GPS dan coba di tempat terbuka."),
        "gps_low_accuracy": _("Akurasi rendah: tunggu sebentar atau pindah ke tempat terbuka."),
        "gps_age": _("diperbarui %(seconds)s detik lalu"),
        "no_position_on_tap": _("Posisi GPS belum didapat. Tunggu sampai posisi muncul, lalu coba lagi."),
        "locations_loading": _("Memuat lokasi presensi…"),
        "locations_none": _("Tidak ada lokasi presensi yang berlaku untuk Anda hari ini."),
        "locations_failed": _("Daftar lokasi tidak dapat dimuat."),
        "locations_offline": _("Daftar lokasi tersimpan dari %(date)s (luring)."),
        "inside": _("Di dalam area %(name)s"),
        "outside": _("Di luar area: %(distance)s dari %(name)s (radius %(radius)s m)"),
        "estimate_note": _("Perkiraan di ponsel; server yang memutuskan."),
        "today_loading": _("Memuat status hari ini…"),
        "today_failed": _("Status hari ini tidak dapat dimuat."),
        "today_none": _("Belum ada presensi hari ini."),
        "first_in": pgettext("presensi", "Masuk"),
        "last_out": _("Pulang"),
        "schedule": _("Jadwal %(name)s: %(start)s–%(end)s · masuk dibuka %(open)s–%(close)s"),
        "event_accepted": _("diterima"),
        "event_flagged": _("ditandai"),
        "late": _("Terlambat %(minutes)s menit"),
        "early": _("Pulang lebih awal %(minutes)s menit"),
        "sending": _("Mengirim presensi…"),
        "accepted": _("Presensi diterima"),
        "flagged": _("Presensi tercatat, tetapi ditandai untuk ditinjau atasan"),
        "flagged_note": _("Tanda ini tidak memotong TPP dengan sendirinya; atasan atau admin OPD meninjaunya."),
        "server_time": _("Waktu server"),
        "at_location": _("Lokasi: %(name)s (%(distance)s)"),
        "no_location": _("Tidak cocok dengan lokasi presensi mana pun."),
        "kind_in": pgettext("presensi", "Masuk"),
        "kind_out": _("Pulang"),
        "queued": _("Tidak ada sambungan. Presensi disimpan di ponsel dan dikirim otomatis saat online."),
        "queue_count": _("%(count)s presensi menunggu dikirim"),
        "queue_sent": _("Presensi yang tertunda (%(kind)s, %(time)s) sudah terkirim."),
        "queue_other_owner": _("%(count)s presensi milik akun lain di ponsel ini menunggu akun itu masuk."),
        "conflict": _("Presensi ditolak: ID yang sama sudah dipakai dengan data berbeda. Tidak dikirim ulang."),
        "rejected": _("Presensi ditolak server"),
        "auth": _("Sesi Anda berakhir. Masuk kembali; presensi yang tertunda tetap tersimpan."),
        "login": _("Masuk lagi"),
        "server_error": _("Server sedang bermasalah (kode %(status)s). Presensi disimpan dan dicoba lagi."),
        "camera_unsupported": _("Kamera tidak tersedia di peramban ini. Presensi tetap bisa dikirim tanpa swafoto."),
        "camera_denied": _("Akses kamera ditolak. Presensi tetap bisa dikirim tanpa swafoto."),
        "photo_ready": _("Swafoto siap dikirim bersama presensi berikutnya."),
        "offline": _("Luring"),
        "online": _("Online"),
        "taken_at": _("diambil %(time)s"),
    }


@login_required
@require_GET
def checkin_page(request: HttpRequest) -> HttpResponse:
    employee = own_employee(request.user)
    if employee is None:
        return render(request, "attendance/pwa/no_employee.html", status=403)
    page_url = reverse("attendance_pwa:checkin")
    config = {
        "owner": request.user.pk,
        "api": {
            "checkins": _api("attendance/check-ins"),
            "locations": _api("attendance/my-locations"),
            "today": _api("attendance/today"),
        },
        "sw_url": reverse("attendance_pwa:service_worker"),
        "sw_scope": page_url,
        "sync_tag": SYNC_TAG,
        "login_url": reverse(settings.LOGIN_URL) + "?next=" + page_url,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "max_accuracy_m": CHECKS.max_accuracy_m,
        "max_offline_hours": CHECKS.max_offline_hours,
        # Times are shown on the office's clock, which the schedule and the server keep, whatever zone the
        # phone is set to (a phone left on WIB showed every time an hour early).
        "time_zone": str(office_timezone()),
        "messages": _messages(),
    }
    response = render(request, "attendance/pwa/checkin.html", {
        "employee": employee,
        "presensi_config": config,
        "flag_labels": FLAG_LABELS,
        "status_labels": STATUS_LABELS,
        "manifest_url": reverse("attendance_pwa:manifest"),
        "theme_color": THEME_COLOR,
    })
    # The worker keeps its own copy of the shell for offline use; the browser's HTTP cache must not.
    response["Cache-Control"] = "no-cache, private"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest. Public: Chrome fetches it without the session cookie."""
    page_url = reverse("attendance_pwa:checkin")
    data = {
        "name": "SIMASN Presensi",
        "short_name": "Presensi",
        "description": _("Presensi ASN dari ponsel: GPS, swafoto, tetap tercatat saat luring."),
        "lang": "id",
        "id": page_url,
        "start_url": page_url,
        "scope": page_url,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static(f"attendance/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@cache
def _worker_source() -> str:
    path = finders.find(SW_SOURCE)
    if path is None:  # pragma: no cover - the file ships with the app
        raise FileNotFoundError(SW_SOURCE)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _worker_script() -> str:
    """The worker's source with the deployment's URLs in front (hashed static names in production). The
    version changes with any of them, which makes the browser install the new worker and drop old caches."""
    settings_block = {
        "shell_url": reverse("attendance_pwa:checkin"),
        "session_url": reverse("attendance_pwa:session"),
        "assets": [static(name) for name in SHELL_ASSETS],
        "queue_script": static("attendance/js/presensi-queue.js"),
        "api_prefix": reverse("api:api-root"),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sync_tag": SYNC_TAG,
    }
    encoded = json.dumps(settings_block, sort_keys=True)
    source = _worker_source()
    version = hashlib.sha256((encoded + source).encode()).hexdigest()[:12]
    return (f"/* SIMASN Presensi service worker */\nconst PRESENSI = {encoded};\n"
            f"const VERSION = {json.dumps(version)};\n{source}")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_script(), content_type="application/javascript; charset=utf-8")
    # Browsers re-check a worker at most daily anyway; no-cache makes a deploy visible on the next visit.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("attendance_pwa:checkin")
    return response


@never_cache
@require_GET
def session_probe(request: HttpRequest) -> JsonResponse:
    """Whose session this browser holds. The worker sends queued check-ins in the background only for the
    account that made them: after a logout and another login on a shared phone, they wait for their owner."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Autentikasi diperlukan."), "code": "unauthorized"}, status=401)
    return JsonResponse({"user": request.user.pk})
