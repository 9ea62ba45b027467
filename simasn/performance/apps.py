from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "simasn.performance"
    label = "performance"
    verbose_name = "Kinerja"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers the navigation-bar counts)
