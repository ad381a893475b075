"""Fields shared by a municipality's offices and the district offices kept by the cooperation office."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices import hours


class OfficeKind(models.TextChoices):
    CITIZENS_OFFICE = "buergerbuero", _("Citizens' office (Bürgerbüro)")
    REGISTRY_OFFICE = "standesamt", _("Registry office (Standesamt)")
    PUBLIC_ORDER = "ordnungsamt", _("Public order office (Ordnungsamt)")
    VEHICLE_REGISTRATION = "kfz", _("Vehicle registration office (Kfz-Zulassungsstelle)")
    DRIVING_LICENCE = "fuehrerschein", _("Driving licence office (Führerscheinstelle)")
    BUILDING = "bauamt", _("Building authority (Bauamt)")
    SOCIAL = "sozialamt", _("Social welfare office (Sozialamt)")
    DISTRICT_OFFICE = "landratsamt", _("District office (Landratsamt)")
    OTHER = "other", _("Other office")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    POLISH = "pl", _("Polish")
    CZECH = "cs", _("Czech")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    TURKISH = "tr", _("Turkish")
    ARABIC = "ar", _("Arabic")
    SPANISH = "es", _("Spanish")
    VIETNAMESE = "vi", _("Vietnamese")
    SIGN_LANGUAGE = "dgs", _("German Sign Language")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


validate_postcode = RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))


def validate_contact_url(value: str) -> None:
    if not (value.startswith("https://") or value.startswith("http://") or value.startswith("/")):
        raise ValidationError(
            _("Enter a web address (https://…) or a path on this portal (/kontakt/)."), code="contact_url"
        )


class OfficeBase(models.Model):
    """Address, contact and accessibility of an office building (Dienststelle)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in the address"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices, default=OfficeKind.CITIZENS_OFFICE)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    city = models.CharField(_("city"), max_length=100)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(47), MaxValueValidator(56)],
        help_text=_("For the map, e.g. 50.880600. Empty: the office is listed without a pin."),
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(16)],
    )  # fmt: skip
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_url = models.CharField(
        _("contact form"), max_length=300, blank=True, validators=[validate_contact_url],
        help_text=_("Web address of a contact form, or a path on this portal such as /kontakt/."),
    )  # fmt: skip
    step_free = models.BooleanField(_("step-free access"), null=True, blank=True)
    disabled_parking = models.BooleanField(_("parking for disabled people"), null=True, blank=True)
    induction_loop = models.BooleanField(_("induction loop"), null=True, blank=True)
    accessibility_de = models.TextField(_("accessibility notes (German)"), blank=True)
    accessibility_en = models.TextField(_("accessibility notes (English)"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=3, choices=Language.choices), verbose_name=_("languages spoken"),
        default=list, blank=True,
    )  # fmt: skip
    closed_on_holidays = models.BooleanField(
        _("closed on public holidays"), default=True,
        help_text=_("Public holidays of the federal state are taken from the holidays calendar."),
    )  # fmt: skip

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def accessibility_note(self, language: str) -> str:
        return self.accessibility_en if language == "en" and self.accessibility_en else self.accessibility_de


class OpeningIntervalBase(models.Model):
    """One opening of the weekly pattern; closing at or before the opening time means past midnight."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))
    appointment_only = models.BooleanField(_("by appointment only"), default=False)

    class Meta:
        abstract = True
        ordering = ["weekday", "opens"]

    def as_interval(self) -> hours.Interval:
        return hours.Interval(self.weekday, self.opens, self.closes, self.appointment_only)


class OpeningExceptionBase(models.Model):
    """Closed (or open at other hours) from one date to another, e.g. a closure between the holidays."""

    first = models.DateField(_("from"))
    last = models.DateField(_("until (inclusive)"))
    opens = models.TimeField(_("opens instead"), null=True, blank=True, help_text=_("Empty: closed on these days."))
    closes = models.TimeField(_("closes instead"), null=True, blank=True)
    reason_de = models.CharField(_("reason (German)"), max_length=200, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["first"]

    def as_exception(self, language: str = "de") -> hours.DateException:
        reason = self.reason_en if language == "en" and self.reason_en else self.reason_de
        return hours.DateException(self.first, self.last, reason, self.opens, self.closes)
