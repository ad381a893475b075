"""Page types of a municipality portal (tenant schema)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import BODY_BLOCKS
from services_catalog.constants import LifeSituation
from services_catalog.local.selectors import MergedService, offered_service, offered_services


class HomePage(Page):
    """The start page of a municipality portal; one per site."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """A general information page."""

    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class LegalPage(Page):
    """Impressum, privacy policy and accessibility statement: required on every portal."""

    class Kind(models.TextChoices):
        IMPRESSUM = "impressum", _("Legal notice (Impressum)")
        DATENSCHUTZ = "datenschutz", _("Privacy policy (Datenschutz)")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Accessibility statement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")


def _application_url(service: MergedService) -> str | None:
    """Where the online application of a service starts, once the applications app offers it."""
    if not service.online_available:
        return None
    try:
        return reverse("applications:start", kwargs={"service_key": service.key})
    except NoReverseMatch:
        return None


class ServiceIndexPage(RoutablePageMixin, Page):
    """Services A–Z of this municipality, with search and life-situation filter; details below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("service index")

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        language = (get_language() or "de")[:2]
        query = request.GET.get("q", "").strip()[:200]
        situation = request.GET.get("lebenslage", "")
        if situation not in LifeSituation.values:
            situation = ""
        services = offered_services(language=language, life_situation=situation or None, query=query)
        letters: dict[str, list[MergedService]] = {}
        if not query:
            for service in services:
                letters.setdefault(service.name[:1].upper(), []).append(service)
        context: dict[str, Any] = {
            **self.get_context(request),
            "services": services,
            "letters": letters,
            "query": query,
            "situation": situation,
            "life_situations": LifeSituation.choices,
        }
        return TemplateResponse(request, "cms/service_index_page.html", context)

    @re_path(r"^(?P<service_key>[a-z0-9][a-z0-9-]{2,79})/$")
    def detail(self, request: HttpRequest, service_key: str) -> HttpResponse:
        service = offered_service(service_key, language=(get_language() or "de")[:2])
        if service is None:
            raise Http404
        context: dict[str, Any] = {
            **self.get_context(request),
            "service": service,
            "application_url": _application_url(service),
        }
        return TemplateResponse(request, "cms/service_detail.html", context)
