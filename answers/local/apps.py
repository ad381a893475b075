from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalAnswersConfig(AppConfig):
    """The municipality's half of answers (tenant schema): its own knowledge articles."""

    name = "answers.local"
    label = "local_answers"
    verbose_name = _("Knowledge articles")
    default_auto_field = "django.db.models.BigAutoField"
