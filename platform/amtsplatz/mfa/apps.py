from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "amtsplatz.mfa"
    label = "mfa"
    verbose_name = "Two-factor authentication"
