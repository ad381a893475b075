from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "amtsplatz.infra.mfa"
    label = "mfa"
    verbose_name = "Two-factor authentication"
