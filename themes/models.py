"""Per-municipality branding (tenant schema), edited under Settings in the municipality's /cms/."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from themes import registry
from themes.blocks import LinkBlock, SocialLinkBlock
from themes.contrast import contrast_failures
from themes.validators import contrast_message, validate_hex_colour


def _theme_choices() -> list[tuple[str, str]]:
    return [(key, theme.label("de")) for key, theme in registry.themes().items()]


def _font_choices() -> list[tuple[str, str]]:
    return [(key, font.label) for key, font in registry.FONTS.items()]


COLOUR_FIELDS = ("primary_colour", "secondary_colour", "accent_colour")


@register_setting(icon="image")
class Branding(BaseSiteSetting):
    """Name, theme, colours, font, logos, links and contact block of a portal (also used in e-mails and PDFs)."""

    municipality_name = models.CharField(_("municipality name"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=40, choices=_theme_choices, default=registry.DEFAULT_THEME)
    font = models.CharField(_("font"), max_length=40, choices=_font_choices, default=registry.DEFAULT_FONT)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1f4e79",
        validators=[validate_hex_colour],
        help_text=_("Header and menu with white text; links and headings."),
    )
    secondary_colour = models.CharField(
        _("secondary colour"),
        max_length=7,
        default="#f2f5f8",
        validators=[validate_hex_colour],
        help_text=_("A light colour for boxes and the footer, with dark text."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#b3261e",
        validators=[validate_hex_colour],
        help_text=_("Buttons with white text."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header instead of the name; the municipality's name is its text alternative."),
    )
    coat_of_arms = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("coat of arms"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown beside the name in the header, in e-mails and on decision letters."),
    )
    header_links = StreamField(
        [("link", LinkBlock())], blank=True, max_num=5, verbose_name=_("header links"), use_json_field=True
    )
    social_links = StreamField(
        [("social", SocialLinkBlock())], blank=True, max_num=8, verbose_name=_("social links"), use_json_field=True
    )
    contact_name = models.CharField(_("contact: name"), max_length=200, blank=True)
    contact_address = models.TextField(_("contact: postal address"), blank=True)
    contact_phone = models.CharField(_("contact: phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact: e-mail"), blank=True)
    contact_hours = models.TextField(_("contact: opening hours"), blank=True)

    panels = [
        FieldPanel("municipality_name"),
        MultiFieldPanel(
            [
                FieldPanel("theme"),
                FieldPanel("font"),
                FieldRowPanel([FieldPanel(name) for name in COLOUR_FIELDS]),
            ],
            heading=_("Appearance"),
        ),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("coat_of_arms")], heading=_("Logo and coat of arms")),
        FieldPanel("header_links"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_address"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_email")]),
                FieldPanel("contact_hours"),
            ],
            heading=_("Contact block in the footer"),
        ),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("branding")

    def clean(self) -> None:
        super().clean()
        colours = {name: getattr(self, name) for name in COLOUR_FIELDS}
        try:
            for name in COLOUR_FIELDS:
                validate_hex_colour(colours[name])
        except ValidationError:
            return  # the field validators report the malformed colour
        errors: dict[str, list[str]] = {}
        for failure in contrast_failures(colours):
            errors.setdefault(failure.pair.field, []).append(contrast_message(failure))
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.municipality_name or (self.site.site_name if self.site_id else "")


class EvaluationMethod(models.TextChoices):
    SELF = "self", _("self-evaluation")
    EXTERNAL = "external", _("evaluation by an external body")


@register_setting(icon="doc-full")
class LegalDetails(BaseSiteSetting):
    """The facts the legal pages are generated from: Impressum, contact, privacy notice, accessibility statement.

    Collected at onboarding and kept here by the municipality's editors (Settings → Legal details). A portal
    goes live only when every required fact is present (the go-live checklist).
    """

    authority_name = models.CharField(
        _("authority"), max_length=200, blank=True, help_text=_('The body providing the portal, e.g. "Stadt Gera".')
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    representative_role = models.CharField(
        _("legal representative: office"), max_length=100, blank=True, help_text=_("e.g. Oberbürgermeister")
    )
    representative_name = models.CharField(_("legal representative: name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    supervisory_authority = models.TextField(
        _("supervisory authority (Rechtsaufsicht)"), blank=True, help_text=_("Name and postal address.")
    )
    dpo_name = models.CharField(_("data-protection officer: name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data-protection officer: e-mail"), blank=True)
    dpo_phone = models.CharField(_("data-protection officer: phone"), max_length=50, blank=True)
    data_protection_authority = models.TextField(
        _("data-protection supervisory authority"),
        blank=True,
        help_text=_("Where to complain (Art. 77 GDPR): the state's data-protection commissioner, name and address."),
    )
    accessibility_enforcement_body = models.TextField(
        _("accessibility: enforcement body (Schlichtungsstelle)"),
        blank=True,
        help_text=_(
            "The state's body to turn to when accessibility feedback goes unanswered; name, address, web address."
        ),
    )
    accessibility_evaluated_on = models.DateField(_("accessibility: evaluated on"), null=True, blank=True)
    accessibility_method = models.CharField(
        _("accessibility: method of evaluation"), max_length=20, choices=EvaluationMethod.choices, blank=True
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("authority_name"),
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("representative_role"), FieldPanel("representative_name")]),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("supervisory_authority"),
            ],
            heading=_("Impressum and contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("dpo_name"),
                FieldRowPanel([FieldPanel("dpo_email"), FieldPanel("dpo_phone")]),
                FieldPanel("data_protection_authority"),
            ],
            heading=_("Privacy notice"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accessibility_enforcement_body"),
                FieldRowPanel([FieldPanel("accessibility_evaluated_on"), FieldPanel("accessibility_method")]),
            ],
            heading=_("Accessibility statement"),
        ),
    ]

    class Meta:
        verbose_name = _("legal details")
        verbose_name_plural = _("legal details")

    def clean(self) -> None:
        super().clean()
        if self.postcode and not (len(self.postcode) == 5 and self.postcode.isdigit()):
            raise ValidationError({"postcode": _("A German postcode has five digits.")})

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]
