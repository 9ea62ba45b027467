"""URLs of the mobile check-in page. Mounted by the project at /presensi/ (config/urls.py); the service worker
and the manifest live under the page's own path so the worker's default scope is the page."""

from django.urls import path

from . import views_pwa

app_name = "attendance_pwa"

urlpatterns = [
    path("absen/", views_pwa.checkin_page, name="checkin"),
    path("absen/sw.js", views_pwa.service_worker, name="service_worker"),
    path("absen/manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("absen/sesi/", views_pwa.session_probe, name="session"),
]
