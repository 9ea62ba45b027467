"""URLs of the capture pages (review queue, selfies, kiosks, device log import). Mounted at /presensi/."""

from django.urls import path

from . import views_capture, views_kiosk_scan

app_name = "attendance_capture"

urlpatterns = [
    path("tinjauan/", views_capture.review_queue, name="reviews"),
    path("tinjauan/<int:pk>/", views_capture.review_decide, name="review_decide"),
    path("swafoto/<int:pk>/", views_capture.selfie, name="selfie"),
    path("kios/", views_capture.kiosk_list, name="kiosks"),
    path("kios/pindai/", views_kiosk_scan.kiosk_scan, name="kiosk_scan"),
    path("kios/<int:pk>/status/", views_capture.kiosk_toggle, name="kiosk_toggle"),
    path("kios/<int:pk>/layar/", views_capture.kiosk_display, name="kiosk_display"),
    path("kios/<int:pk>/qr/", views_capture.kiosk_qr, name="kiosk_qr"),
    path("impor-mesin/", views_capture.device_log_import, name="device_import"),
]
