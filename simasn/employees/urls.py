from django.urls import path

from . import views, views_import

app_name = "employees"
urlpatterns = [
    path("", views.employee_list, name="list"),
    path("baru/", views.employee_create, name="create"),
    path("saya/", views.my_profile, name="me"),
    path("pensiun/", views.retirements, name="retirements"),
    path("ekspor/", views_import.export, name="export"),
    path("impor/", views_import.import_upload, name="import"),
    path("impor/templat/", views_import.import_template, name="import_template"),
    path("impor/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("impor/<int:pk>/progres/", views_import.import_progress, name="import_progress"),
    path("<int:pk>/", views.employee_detail, name="detail"),
    path("<int:pk>/ubah/", views.employee_edit, name="edit"),
    path("<int:pk>/nik/", views.reveal_nik, name="reveal_nik"),
    path("<int:pk>/foto/", views.photo, name="photo"),
    path("<int:pk>/riwayat/<str:kind>/tambah/", views.history_add, name="history_add"),
    path("<int:pk>/riwayat/<str:kind>/<int:hid>/sk/", views.history_sk, name="history_sk"),
]
