from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizen accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amtsplatz.infra import postbox, prefill
        from citizens.selectors import profile_prefill
        from citizens.services import postbox_deliver

        postbox.register("citizens", postbox_deliver)
        # After verified sources (eID, order 10): the citizen's own entries fill only what is still empty.
        prefill.register(prefill.Source(name="citizens.profile", order=50, values=profile_prefill))

        from citizens import login_methods

        login_methods.discover()
