from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People's accounts, run by django-allauth; this app holds what we add to it."""

    name = "accounts"
    verbose_name = "Accounts"
