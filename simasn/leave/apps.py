from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "simasn.leave"
    label = "leave"
    verbose_name = "Cuti"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers the navigation-bar counts)
