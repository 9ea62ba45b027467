from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "simasn.notifications"
    verbose_name = "Notifikasi"
    default_auto_field = "django.db.models.BigAutoField"
