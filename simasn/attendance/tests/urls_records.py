"""The project's URLs with the attendance pages mounted at /presensi/ (as config/urls.py mounts them), for the
tests of this app until and whatever the project's urls do."""

from django.urls import include, path

from config import urls as project_urls

_mounted = any(getattr(p, "namespace", None) == "attendance" for p in project_urls.urlpatterns)

urlpatterns = list(project_urls.urlpatterns)
if not _mounted:
    urlpatterns.append(path("presensi/", include("simasn.attendance.urls")))

handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
