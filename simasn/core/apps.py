from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "simasn.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        # Each app may declare regulation calculators in its own calculators.py.
        autodiscover_modules("calculators")
