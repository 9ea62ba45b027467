from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "simasn.employees"
    label = "employees"
    verbose_name = "Pegawai"
