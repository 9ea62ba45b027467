from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.unit_tree, name="unit_tree"),
    path("unit/baru/", views.unit_create, name="unit_create"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("unit/<int:pk>/gabung/", views.unit_merge, name="unit_merge"),
    path("unit/<int:pk>/hapus/", views.unit_delete, name="unit_delete"),
    path("jabatan/baru/", views.position_create, name="position_create"),
    path("jabatan/<int:pk>/ubah/", views.position_edit, name="position_edit"),
    path("lokasi/baru/", views.location_create, name="location_create"),
    path("lokasi/<int:pk>/ubah/", views.location_edit, name="location_edit"),
]
