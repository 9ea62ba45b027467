from django.contrib import admin
from django.urls import include, path

from config.api import api

handler403 = "simasn.core.views.error_403"
handler404 = "simasn.core.views.error_404"
handler500 = "simasn.core.views.error_500"

urlpatterns = [
    # First: the phone API takes the bursts (every check-in), and Django tries the patterns in order.
    path("api/v1/", api.urls),
    path("", include("simasn.core.urls")),
    path("akun/", include("simasn.accounts.urls")),
    path("organisasi/", include("simasn.org.urls")),
    path("pegawai/", include("simasn.employees.urls")),
    path("kalender/", include("simasn.workcalendar.urls")),
    path("cuti/", include("simasn.leave.urls")),
    path("kinerja/", include("simasn.performance.urls")),
    path("notifikasi/", include("simasn.notifications.urls")),
    path("presensi/", include("simasn.attendance.urls")),
    path("presensi/", include("simasn.attendance.urls_capture")),
    path("presensi/", include("simasn.attendance.urls_pwa")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

# MEDIA is never served as a directory: SK scans and photos are personal data, served only by views that
# check the viewer's scope and audit the read.
