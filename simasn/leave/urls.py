from django.urls import path

from . import views

app_name = "leave"

urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("ajukan/", views.submit, name="submit"),
    path("ajukan/pratinjau/", views.preview, name="preview"),
    path("permohonan/<int:pk>/", views.detail, name="detail"),
    path("permohonan/<int:pk>/setujui/", views.approve, name="approve"),
    path("permohonan/<int:pk>/tolak/", views.reject, name="reject"),
    path("permohonan/<int:pk>/minta-perbaikan/", views.ask_change, name="ask_change"),
    path("permohonan/<int:pk>/perbaiki/", views.resubmit, name="resubmit"),
    path("permohonan/<int:pk>/batalkan/", views.cancel, name="cancel"),
    path("permohonan/<int:pk>/persingkat/", views.cut_short, name="cut_short"),
    path("permohonan/<int:pk>/lampiran/", views.attachment, name="attachment"),
    path("permohonan/<int:pk>/surat-izin-cuti.pdf", views.letter_pdf, name="letter"),
    path("persetujuan/", views.inbox, name="inbox"),
    path("kalender/", views.unit_calendar, name="calendar"),
    path("alur/", views.routes, name="routes"),
    path("alur/tambah/", views.route_create, name="route_create"),
    path("alur/coba/", views.route_try, name="route_try"),
    path("alur/<int:pk>/ubah/", views.route_edit, name="route_edit"),
    path("alur/<int:pk>/berlaku/", views.route_toggle, name="route_toggle"),
    path("alur/<int:pk>/hapus/", views.route_delete, name="route_delete"),
    path("verifikasi/", views.verify_form, name="verify_form"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
