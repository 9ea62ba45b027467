from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "simasn.attendance"
    label = "attendance"
    verbose_name = "Presensi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers the navigation-bar counts)
