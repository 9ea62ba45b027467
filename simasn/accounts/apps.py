from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "simasn.accounts"
    label = "accounts"
    verbose_name = "Akun"
