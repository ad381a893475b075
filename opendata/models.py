"""Open data of one municipality (tenant schema): data sets, their distributions and file versions, live series."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendata.vocabularies import FORMATS, Frequency, Licence, Theme

FORMAT_CHOICES = [(key, key.upper() if key != "geojson" else "GeoJSON") for key in FORMATS]


class Dataset(models.Model):
    """A DCAT data set: what it is, who publishes it, under which licence; published or still private."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True, help_text=_("Part of the web address."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=4, choices=Theme.choices, default=Theme.GOVE)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.DL_BY)
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        blank=True,
        help_text=_("How users must name the source. Empty: the publisher."),
    )
    publisher_name = models.CharField(
        _("publisher"), max_length=200, blank=True, help_text=_("Empty: the municipality.")
    )
    contact_name = models.CharField(_("contact"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    geonames_url = models.URLField(
        _("GeoNames place"), blank=True, validators=[RegexValidator(r"^https?://sws\.geonames\.org/\d+/?$")],
        help_text=_("Optional, e.g. https://sws.geonames.org/2921232/"),
    )  # fmt: skip
    frequency = models.CharField(_("update frequency"), max_length=10, choices=Frequency.choices)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published data sets and their files are public.")
    )
    is_timeseries = models.BooleanField(
        _("live time series"), default=False, help_text=_("Values are appended through the live data API.")
    )
    series_fields = models.JSONField(_("series values"), default=list, blank=True)
    token_hash = models.CharField(max_length=128, blank=True)  # of the live data API token; the token is shown once
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temporal_start__isnull=True)
                | models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__lte=models.F("temporal_end")),
                name="opendata_dataset_temporal_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Distribution(models.Model):
    """One way to get a data set: an uploaded file (with versions) or a link to a file or API elsewhere."""

    class Kind(models.TextChoices):
        FILE = "file", _("uploaded file")
        LINK = "link", _("link to a file or API")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=FORMAT_CHOICES)
    url = models.URLField(_("address"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="file", url="") | (models.Q(kind="link") & ~models.Q(url="")),
                name="opendata_distribution_link_has_url",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> FileVersion | None:
        """The newest file version (kept in order by number); None for links and empty distributions."""
        versions = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if versions is not None:
            return max(versions, key=lambda version: version.number, default=None)
        return self.versions.order_by("-number").first()


class FileVersion(models.Model):
    """One uploaded file of a distribution, checked and described; older versions stay downloadable."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=300)  # in the private storage, under <schema>/opendata/
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=list)  # [{"name": …, "type": …}]
    preview = models.JSONField(default=list)  # the first rows, as text
    points = models.JSONField(default=list)  # up to 500 [lat, lon, label] for the map
    uploaded_by = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["distribution", "-number"]
        constraints = [models.UniqueConstraint(fields=["distribution", "number"], name="opendata_version_unique")]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class SeriesPoint(models.Model):
    """One observation of a live time series (e.g. free parking spaces at a time)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="points")
    observed_at = models.DateTimeField()
    values = models.JSONField()
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_at", "-pk"]
        indexes = [models.Index(fields=["dataset", "-observed_at"])]

    def __str__(self) -> str:
        return f"{self.dataset_id} @ {self.observed_at.isoformat()}"
