from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Payments and billing (Stripe)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Event handlers register with amtsplatz.infra.stripe_events (Connect accounts, subscriptions).
        from billing import connect, subscriptions  # noqa: F401
