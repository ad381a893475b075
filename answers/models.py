"""Knowledge articles and stored embeddings.

An article is a short piece of knowledge that is not a service (a recycling centre, a closure, a local
rule). The cooperation office keeps shared articles (public schema, :class:`SharedArticle`); each
municipality keeps its own (``answers.local``). Embeddings are computed when an article is saved or a
catalogue version published, and stored beside the item — never computed for an item per request.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from services_catalog.models import ServiceVersion


class ArticleContent(models.Model):
    """What every knowledge article has, shared or local."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_de = models.TextField(_("text (German)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    keywords = models.CharField(
        _("search words"),
        max_length=500,
        blank=True,
        help_text=_("Words citizens use for this topic, separated by commas (German or English)."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the facts come from, e.g. an office, a statute or a web address; shown with the answer."),
    )
    source_url = models.URLField(_("source link"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # float32 rows, one per language present (see answers.embedders); empty until the task stored them.
    embedding = models.BinaryField(default=b"", editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)
    embedding_text_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title_de

    def title(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title_de

    def body(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en else self.body_de

    def passages(self) -> list[str]:
        """The texts that are embedded, per language present: the title with the search words, and the title
        with the text — short passages, as for services (ADR 0053): "Gartenabfälle entsorgen" meets the search
        word "Gartenabfälle" clearly, where a paragraph about opening hours dilutes it."""
        texts = []
        for language in ("de", "en") if self.title_en or self.body_en else ("de",):
            title = self.title(language)
            texts += [f"{title}. {self.keywords}" if self.keywords else title, f"{title}. {self.body(language)}"]
        return texts


class SharedArticle(ArticleContent):
    """An article the cooperation office keeps once for every municipality."""

    class Meta:
        verbose_name = _("shared knowledge article")
        verbose_name_plural = _("shared knowledge articles")
        ordering = ["title_de"]


class ServiceEmbedding(models.Model):
    """The embedding of one published catalogue version (versions are immutable, so it never goes stale)."""

    version = models.OneToOneField(ServiceVersion, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=60)
    vectors = models.BinaryField()
    # What was embedded: a new passage layout embeds every service again, as a new model would.
    text_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service embedding")
        verbose_name_plural = _("service embeddings")

    def __str__(self) -> str:
        return f"{self.version} ({self.model})"
