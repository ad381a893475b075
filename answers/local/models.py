"""A municipality's own knowledge articles (tenant schema), edited as snippets in its /cms/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from answers.models import ArticleContent


class LocalArticle(ArticleContent):
    """Knowledge of this municipality only: recycling centres, closures, local rules."""

    panels = [
        FieldPanel("title_de"),
        FieldPanel("slug"),
        FieldPanel("body_de"),
        FieldPanel("title_en"),
        FieldPanel("body_en"),
        FieldPanel("keywords"),
        FieldPanel("source"),
        FieldPanel("source_url"),
    ]

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["title_de"]
