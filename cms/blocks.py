"""StreamField blocks for portal content: each renders accessible HTML (see templates/cms/blocks/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from themes.blocks import LinkBlock

TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = _("Heading")


class ImageBlock(blocks.StructBlock):
    """An image whose text alternative is mandatory unless the editor marks it as decorative."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        required=False,
        max_length=300,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("purely decorative"),
        required=False,
        help_text=_("Only if the image adds no information; screen readers then skip it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"
        label = _("Image")

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(_("Enter a text alternative, or mark the image as purely decorative."))
                }
            )
        return value


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("question or title"), max_length=200)
    body = blocks.RichTextBlock(label=_("answer or text"), features=TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    """Expandable sections built on <details>, which keyboards and screen readers operate natively."""

    items = blocks.ListBlock(AccordionItemBlock(), label=_("sections"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/accordion.html"
        label = _("Accordion")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=400)
    link = LinkBlock(label=_("button"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"
        label = _("Call to action")


class ContactCardBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("office or person"), max_length=200)
    role = blocks.CharBlock(label=_("role"), required=False, max_length=200)
    address = blocks.TextBlock(label=_("postal address"), required=False)
    phone = blocks.CharBlock(label=_("phone"), required=False, max_length=50)
    email = blocks.EmailBlock(label=_("e-mail"), required=False)
    hours = blocks.TextBlock(label=_("opening hours"), required=False)

    class Meta:
        icon = "user"
        template = "cms/blocks/contact_card.html"
        label = _("Contact card")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title (optional)"), required=False, max_length=200)


class DownloadsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=200)
    files = blocks.ListBlock(DownloadBlock(), label=_("files"), min_num=1)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/downloads.html"
        label = _("Downloads")


BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES, template="cms/blocks/text.html")),
    ("image", ImageBlock()),
    ("accordion", AccordionBlock()),
    ("call_to_action", CallToActionBlock()),
    ("contact_card", ContactCardBlock()),
    ("downloads", DownloadsBlock()),
]


def _offered_service_choices() -> list[tuple[str, str]]:
    from services_catalog.local.selectors import offered_services

    return [(service.key, service.name) for service in offered_services(language="de")]


class ServiceChooserBlock(blocks.ChoiceBlock):
    """One of the services this municipality offers (read when the editor opens the form)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_offered_service_choices, **kwargs)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        # Choices depend on the schema at hand: keep them out of migrations.
        return ("cms.blocks.ServiceChooserBlock", (), {})
