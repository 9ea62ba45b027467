from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "simasn.employees"
    label = "employees"
    verbose_name = "Pegawai"

    def ready(self) -> None:
        from . import nav  # noqa: F401  (registers the navigation-bar counts)
