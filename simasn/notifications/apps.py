from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "simasn.notifications"
    verbose_name = "Notifikasi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers the navigation-bar counts)
