from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/buka/", views.notification_open, name="open"),
    path("tandai-semua-dibaca/", views.notification_mark_all_read, name="mark_all_read"),
]
