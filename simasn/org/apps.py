from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "simasn.org"
    label = "org"
    verbose_name = "Organisasi"
