from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnswersConfig(AppConfig):
    """The shared half of answers (public schema): articles of the cooperation office and service embeddings."""

    name = "answers"
    verbose_name = _("Answers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from answers import signals

        signals.connect()
