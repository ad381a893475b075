"""Checks a citizen's upload and returns a clean copy: type by content, images re-encoded without metadata."""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_TYPES = ("application/pdf", "image/jpeg", "image/png")
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000
ACTIVE_PDF_MARKERS = (b"/JavaScript", b"/Launch")


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file reveal, among the allowed ones."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(PNG_SIGNATURE):
        return "image/png"
    return None


def safe_name(name: str) -> str:
    """The base name of what the browser sent, without any path, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name.strip().replace("\x00", "")
    return (base or "upload")[-120:]


def _human(types: Sequence[str]) -> str:
    return ", ".join(TYPE_NAMES.get(kind, kind) for kind in types)


def _reencode(content: bytes, content_type: str, name: str) -> bytes:
    """Decode and encode the image again; nothing but the pixels survives (no EXIF, GPS, XMP, text)."""
    broken = ValidationError(
        _("The image “%(name)s” is damaged or incomplete. Please upload it again.") % {"name": name},
        code="broken_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("The image “%(name)s” is too large (more than 40 megapixels). Please reduce it.")
                    % {"name": name},
                    code="too_large",
                )
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise broken from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The image “%(name)s” is too large (more than 40 megapixels). Please reduce it.") % {"name": name},
            code="too_large",
        ) from error
    image = ImageOps.exif_transpose(image) or image
    output = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(output, format="JPEG", quality=88, progressive=True, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def clean_upload(upload: UploadedFile, *, accept: Sequence[str], max_size_mb: float) -> CleanUpload:
    """Check size and type (by content) of an upload and return what may be stored.

    Raises ValidationError with a message that says what to do instead.
    """
    name = safe_name(upload.name or "")
    limit = int(max_size_mb * 1024 * 1024)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file.")
            % {"name": name, "limit": f"{max_size_mb:g}"},
            code="too_large",
        )
    content = b"".join(upload.chunks())
    if not content:
        raise ValidationError(_("The file “%(name)s” is empty. Please choose another file.") % {"name": name},
                              code="empty")  # fmt: skip
    if len(content) > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file.")
            % {"name": name, "limit": f"{max_size_mb:g}"},
            code="too_large",
        )
    content_type = sniff(content[:16])
    if content_type is None or (content_type == "application/pdf" and b"%%EOF" not in content[-1024:]):
        raise ValidationError(
            _("The content of “%(name)s” is not a PDF, JPEG or PNG file, whatever its name says. "
              "Please upload a PDF, JPEG or PNG file.") % {"name": name},
            code="wrong_type",
        )  # fmt: skip
    if content_type not in accept:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s file; here only %(accepted)s can be uploaded.")
            % {"name": name, "kind": TYPE_NAMES[content_type], "accepted": _human(accept)},
            code="not_accepted",
        )
    if content_type == "application/pdf":
        if any(marker in content for marker in ACTIVE_PDF_MARKERS):
            raise ValidationError(
                _("The PDF “%(name)s” contains scripts or actions. Please save it as a plain PDF and upload it again.")
                % {"name": name},
                code="active_pdf",
            )
    else:
        content = _reencode(content, content_type, name)
    return CleanUpload(
        content=content,
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
