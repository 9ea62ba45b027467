from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "simasn.leave"
    label = "leave"
    verbose_name = "Cuti"
