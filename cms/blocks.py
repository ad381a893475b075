"""StreamField blocks for portal content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = _("Heading")


BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    (
        "paragraph",
        blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]),
    ),
]
