from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "simasn.performance"
    label = "performance"
    verbose_name = "Kinerja"
