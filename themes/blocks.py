"""Link blocks for the header and the social-media links of a portal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page of the portal or to an address elsewhere."""

    label = blocks.CharBlock(label=_("label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter an address, not both."))}
            )
        return value


SOCIAL_NETWORKS = [
    ("mastodon", "Mastodon"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("youtube", "YouTube"),
    ("linkedin", "LinkedIn"),
    ("bluesky", "Bluesky"),
    ("other", _("Other")),
]


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("network"), choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label=_("address"))

    class Meta:
        icon = "site"
        label = _("Social link")
