"""Page types of a municipality portal (tenant schema) and the feedback its accessibility statement collects."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BODY_BLOCKS, ServiceChooserBlock
from offices.selectors import responsible_office
from services_catalog.constants import LifeSituation
from services_catalog.local.selectors import MergedService, offered_service, offered_services

INTRO_FEATURES = ["bold", "italic", "link"]
TOP_SERVICES_FALLBACK = 6


def _language() -> str:
    return (get_language() or "de")[:2]


class HomePage(Page):
    """The start page: hero, top services, news, participation and contact; one per site."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Decorative; leave empty for a plain coloured hero."),
    )
    top_services = StreamField(
        [("service", ServiceChooserBlock(label=_("service")))],
        blank=True,
        max_num=8,
        verbose_name=_("top services"),
        help_text=_("Empty: the first services that can be applied for online."),
    )
    participation_heading = models.CharField(_("participation: heading"), max_length=200, blank=True)
    participation_text = models.TextField(_("participation: text"), blank=True)
    participation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("participation: page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("intro"), FieldPanel("hero_image")], _("Hero")),
        FieldPanel("top_services"),
        MultiFieldPanel(
            [FieldPanel("participation_heading"), FieldPanel("participation_text"), FieldPanel("participation_page")],
            _("Participation teaser"),
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ContentPage",
        "cms.ServiceIndexPage",
        "cms.NewsIndexPage",
        "cms.ContactPage",
        "cms.SearchPage",
        "cms.LegalPage",
        "cms.AccessibilityStatementPage",
        "cms.EasyLanguagePage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import home_top_services, latest_news

        context = super().get_context(request, *args, **kwargs)
        context["top_services"] = home_top_services(self, language=_language(), fallback=TOP_SERVICES_FALLBACK)
        context["latest_news"] = latest_news(self, limit=3)
        context["contact_page"] = ContactPage.objects.live().descendant_of(self).first()
        context["news_index"] = NewsIndexPage.objects.live().child_of(self).first()
        return context


class ContentPage(Page):
    """A general information page built from accessible blocks."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage", "cms.ContactPage"]

    class Meta:
        verbose_name = _("content page")


class NewsIndexPage(Page):
    """The list of news, newest first; news pages live only below it."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1
    per_page = 10

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        context["news"] = Paginator(news, self.per_page).get_page(request.GET.get("seite"))
        return context


class NewsPage(Page):
    """One news item."""

    date = models.DateField(_("date"), default=timezone.localdate)
    teaser = models.TextField(_("teaser"), max_length=400)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("teaser"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")


class ContactPage(Page):
    """An office: address, how to get there, opening hours and contact."""

    office_name = models.CharField(_("office"), max_length=200)
    address = models.TextField(_("postal address"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    accessibility = models.TextField(
        _("access for people with disabilities"),
        blank=True,
        help_text=_("E.g. step-free entrance, lift, accessible toilet, parking for disabled people."),
    )
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("further content"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("office_name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("opening_hours"),
        FieldPanel("accessibility"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("office_name"), index.SearchField("address")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("contact page")


class SearchPage(Page):
    """Search across the portal's pages and the services this municipality offers."""

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("search page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from cms.selectors import portal_search

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:200]
        context["query"] = query
        results = portal_search(query, language=_language(), home=self.get_parent()) if query else None
        context["results"] = results
        context["result_count"] = len(results.services) + len(results.pages) if results else 0
        return context


class LegalPage(Page):
    """Impressum and privacy policy: required on every portal and linked from every page."""

    class Kind(models.TextChoices):
        IMPRESSUM = "impressum", _("Legal notice (Impressum)")
        DATENSCHUTZ = "datenschutz", _("Privacy policy (Datenschutz)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")


class AccessibilityStatementPage(Page):
    """Erklärung zur Barrierefreiheit (BITV 2.0 §7) with the feedback form that reaches the municipality."""

    class Conformance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    conformance = models.CharField(
        _("conformance"), max_length=10, choices=Conformance.choices, default=Conformance.PARTIAL
    )
    non_accessible_content = RichTextField(_("content that is not accessible"), blank=True, features=INTRO_FEATURES)
    prepared_on = models.DateField(_("statement prepared on"), default=timezone.localdate)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("further content"))
    feedback_email = models.EmailField(
        _("feedback goes to"),
        blank=True,
        help_text=_("Empty: the e-mail address of the contact block in the branding settings."),
    )
    enforcement_body = RichTextField(
        _("enforcement procedure (Schlichtungsstelle)"), blank=True, features=INTRO_FEATURES
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("conformance"),
        FieldPanel("non_accessible_content"),
        FieldPanel("prepared_on"),
        FieldPanel("body"),
        FieldPanel("feedback_email"),
        FieldPanel("enforcement_body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from cms.forms import AccessibilityFeedbackForm
        from cms.services import accessibility_feedback_submit

        if request.method == "POST":
            form = AccessibilityFeedbackForm(request.POST)
            if form.is_valid():
                accessibility_feedback_submit(page=self, **form.cleaned_data)
                return HttpResponseRedirect(self.get_url(request) + "?gesendet=1#feedback")
            status = 400
        else:
            form = AccessibilityFeedbackForm(initial={"page_url": request.GET.get("seite", "")[:500]})
            status = 200
        context = {**self.get_context(request), "form": form, "sent": request.GET.get("gesendet") == "1"}
        return TemplateResponse(request, self.get_template(request), context, status=status)


class EasyLanguagePage(Page):
    """Leichte Sprache: the explanations BITV 2.0 §4 asks for, linked from every page."""

    contents = RichTextField(_("what this website contains"), features=INTRO_FEATURES)
    navigation = RichTextField(_("how to find your way around"), features=INTRO_FEATURES)
    accessibility = RichTextField(_("what the accessibility statement says"), features=INTRO_FEATURES)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("further content"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("contents"),
        FieldPanel("navigation"),
        FieldPanel("accessibility"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("easy-to-read page (Leichte Sprache)")


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the accessibility statement's form."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    message = models.TextField(_("message"))
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.message[:60]}"


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

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("service index")

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        situation = request.GET.get("lebenslage", "")
        if situation not in LifeSituation.values:
            situation = ""
        services = offered_services(language=_language(), life_situation=situation or None, query=query)
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
        service = offered_service(service_key, language=_language())
        if service is None:
            raise Http404
        context: dict[str, Any] = {
            **self.get_context(request),
            "service": service,
            "application_url": _application_url(service),
            # The office that handles it here; its opening status is shown "as of" the render (page cache).
            "responsibility": responsible_office(service.key, language=_language()),
            "rendered_at": timezone.now(),
        }
        return TemplateResponse(request, "cms/service_detail.html", context)


# The staff login's settings and identities live in their own module; imported so that Django finds them.
from cms.staff_sign_on.models import StaffIdentity, StaffSignOn  # noqa: E402, F401
