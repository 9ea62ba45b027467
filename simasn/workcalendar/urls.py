from django.urls import path

from . import schedule_views, views

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

urlpatterns += [
    path("jadwal/", schedule_views.schedule_list, name="schedules"),
    path("jadwal/tambah/", schedule_views.schedule_create, name="schedule_create"),
    path("jadwal/<int:pk>/ubah/", schedule_views.schedule_edit, name="schedule_edit"),
    path("jadwal/<int:pk>/status/", schedule_views.schedule_toggle, name="schedule_toggle"),
    path("jadwal/ramadan/tambah/", schedule_views.ramadan_create, name="ramadan_create"),
    path("jadwal/ramadan/<int:pk>/hapus/", schedule_views.ramadan_delete, name="ramadan_delete"),
    path("jadwal/penetapan/", schedule_views.assignment_list, name="assignments"),
    path("jadwal/penetapan/tambah/", schedule_views.assignment_create, name="assignment_create"),
    path("jadwal/penetapan/<int:pk>/akhiri/", schedule_views.assignment_end, name="assignment_end"),
    path("jadwal/penetapan/<int:pk>/hapus/", schedule_views.assignment_delete, name="assignment_delete"),
    path("jadwal/shift/", schedule_views.roster, name="roster"),
    path("jadwal/cek/", schedule_views.lookup, name="lookup"),
]
