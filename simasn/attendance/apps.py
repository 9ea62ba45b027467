from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "simasn.attendance"
    label = "attendance"
    verbose_name = "Presensi"
    default_auto_field = "django.db.models.BigAutoField"
