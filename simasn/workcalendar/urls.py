from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.calendar_year, name="year"),
    path("libur/tambah/", views.holiday_create, name="holiday_create"),
    path("libur/<int:pk>/ubah/", views.holiday_edit, name="holiday_edit"),
    path("libur/<int:pk>/status/", views.holiday_toggle, name="holiday_toggle"),
    path("sinkronkan/", views.holiday_sync, name="holiday_sync"),
    path("pengecualian/tambah/", views.exception_create, name="exception_create"),
    path("pengecualian/<int:pk>/hapus/", views.exception_delete, name="exception_delete"),
]
