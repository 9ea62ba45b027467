"""Attendance pages (mounted at /presensi/ by config/urls.py, beside the check-in pages of urls_capture)."""

from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("saya/", views.my_month, name="my_month"),
    path("pegawai/<int:pk>/", views.employee_month, name="employee_month"),
    path("koreksi/", views.correction_list, name="corrections"),
    path("koreksi/ajukan/", views.correction_create, name="correction_create"),
    path("koreksi/masuk/", views.correction_inbox, name="correction_inbox"),
    path("koreksi/<int:pk>/putuskan/", views.correction_decide, name="correction_decide"),
    path("koreksi/<int:pk>/bukti/", views.correction_attachment, name="correction_attachment"),
    path("pantauan/", views.live_board, name="board"),
    path("pantauan/terbaru/", views.live_board_updates, name="board_live"),
    path("rekap/", views.recap_page, name="recap"),
    path("rekap/unduh/", views.recap_export, name="recap_export"),
]
