from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "simasn.workcalendar"
    label = "workcalendar"
    verbose_name = "Kalender Kerja"
