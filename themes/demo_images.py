"""Stand-in coats of arms for the demo municipalities (drawn here; no official arms are shipped)."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image
from wagtail.models import Site

from themes.models import Branding

SIZE = (240, 280)


def _shield_png(initial: str, field: str, charge: str) -> bytes:
    """A plain heraldic shield in ``field`` colour with ``initial`` in ``charge`` colour."""
    width, height = SIZE
    canvas = PILImage.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    outline = [(8, 8), (width - 8, 8), (width - 8, height * 0.55), (width / 2, height - 8), (8, height * 0.55)]
    draw.polygon(outline, fill=field, outline="#1b1b1b", width=6)
    draw.rectangle([8, 8, width - 8, 70], fill=charge)
    font = ImageFont.load_default(size=120)
    draw.text((width / 2, height * 0.55), initial, fill=charge, font=font, anchor="mm")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_images_ensure(slug: str) -> None:
    """Give the current schema's branding a demo coat of arms unless it has one (idempotent)."""
    site = Site.objects.get(is_default_site=True)
    branding = Branding.for_site(site)
    if branding.coat_of_arms_id:
        return
    png = _shield_png(branding.display_name.split()[-1][:1].upper(), branding.primary_colour, "#ffffff")
    image = Image(title=f"Wappen {branding.display_name} (Demo)")
    image.file = ImageFile(io.BytesIO(png), name=f"wappen-{slug}.png")
    image.save()
    branding.coat_of_arms = image
    branding.save(update_fields=["coat_of_arms"])
