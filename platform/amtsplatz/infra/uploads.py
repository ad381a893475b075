"""Checks a citizen's upload and returns a clean copy: type by content, images re-encoded without metadata.

No models, no storage: the caller decides where a ``CleanUpload`` goes. Every refusal is a ``ValidationError``
with one translated message that says what to do instead, and a code.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from amtsplatz.infra.pdf_check import PdfProblem, pdf_problem

ALLOWED_TYPES = ("application/pdf", "image/jpeg", "image/png")  # the only types the catalogue's form schema allows
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000
MAX_NAME_LENGTH = 120
ACTIVE_PDF_MARKERS = (b"/JavaScript", b"/Launch")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")  # "/J#61vaScript" is "/JavaScript" to a PDF reader


@dataclass(frozen=True)
class CleanUpload:
    """What may be stored of an upload, with the facts the caller records about it."""

    content: bytes  # what will be stored (images re-encoded)
    content_type: str  # sniffed from the content, never from the name or the browser's claim
    extension: str  # ".pdf", ".jpg" or ".png", from the sniffed type
    original_name: str  # the citizen's file name, reduced to a safe base name
    size: int
    sha256: str  # hex digest of `content`


def sniff(content: bytes) -> str | None:
    """The allowed type the content's own bytes reveal, or None."""
    if content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]:
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(PNG_SIGNATURE):
        return "image/png"
    return None


def safe_name(name: str) -> str:
    """The base name of what the browser sent: no path parts, no control characters, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(char for char in base if char.isprintable() or char == " ").strip().lstrip(".").strip()
    if len(base) <= MAX_NAME_LENGTH:
        return base or "upload"
    stem, dot, suffix = base.rpartition(".")
    if dot and stem and len(suffix) <= 10:  # keep the extension a citizen recognises the file by
        return f"{stem[: MAX_NAME_LENGTH - len(suffix) - 1]}.{suffix}"
    return base[:MAX_NAME_LENGTH]


def is_active_pdf(content: bytes) -> bool:
    """Whether the PDF's raw bytes name scripts or launch actions, also when the names are #-escaped."""
    if any(marker in content for marker in ACTIVE_PDF_MARKERS):
        return True
    if b"#" not in content:
        return False
    unescaped = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), content)
    return any(marker in unescaped for marker in ACTIVE_PDF_MARKERS)


def _accepted_names(accept: Sequence[str]) -> str:
    return ", ".join(TYPE_NAMES[kind] for kind in ALLOWED_TYPES if kind in accept)


def _too_large(name: str, max_size_mb: float) -> ValidationError:
    return ValidationError(
        _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file."),
        code="too_large",
        params={"name": name, "limit": f"{max_size_mb:g}"},
    )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("The image “%(name)s” is too large (more than 40 megapixels). Please reduce it."),
        code="too_large",
        params={"name": name},
    )


def _read(upload: UploadedFile, limit: int) -> bytes:
    """The upload's bytes, but never much more than the limit (a browser may have lied about the size)."""
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:
            break
    return bytes(buffer)


def _pixels_only(image: Image.Image, content_type: str) -> Image.Image:
    """The image in a mode its format stores, stripped of everything but pixels (EXIF, XMP, ICC, comments, text)."""
    if content_type == "image/jpeg":
        mode = "RGB"
    elif image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        mode = "RGBA"
    else:
        mode = "L" if image.mode in ("1", "L") else "RGB"
    clean = image if image.mode == mode else image.convert(mode)
    clean.info = {}  # PNG saves its ICC profile and JPEG its comment from here
    return clean


_STRICT_LOADING = threading.Lock()


def _load_strictly(image: Image.Image) -> None:
    """Decode all pixels and fail on a truncated file.

    Pillow's switch for tolerating truncated images is process-wide, and WeasyPrint turns it on
    when it is imported; a cut-off upload must be refused all the same.
    """
    with _STRICT_LOADING:
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def reencode_image(content: bytes, content_type: str, name: str) -> bytes:
    """Decode the image and encode its pixels again, upright; nothing else of the original survives."""
    pil_format = PIL_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[pil_format]) as probe:
                probe.verify()
            with Image.open(io.BytesIO(content), formats=[pil_format]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise _too_many_pixels(name)
                _load_strictly(image)
                upright = ImageOps.exif_transpose(image) or image
                clean = _pixels_only(upright, content_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("The image “%(name)s” is damaged or incomplete. Please upload it again."),
            code="broken_image",
            params={"name": name},
        ) from error
    output = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(output, format="JPEG", quality=88, progressive=True, optimize=True)
    else:
        clean.save(output, format="PNG", optimize=True)
    return output.getvalue()


def clean_upload(upload: UploadedFile, *, accept: Sequence[str], max_size_mb: float) -> CleanUpload:
    """Check size and type (by content) of an upload and return what may be stored.

    Raises ValidationError (one message, with a code) when the upload is refused.
    """
    name = safe_name(upload.name or "")
    limit = int(max_size_mb * 1024 * 1024)
    if upload.size is not None and upload.size > limit:
        raise _too_large(name, max_size_mb)
    content = _read(upload, limit) if upload.size != 0 else b""
    if not content:
        raise ValidationError(
            _("The file “%(name)s” is empty. Please choose another file."), code="empty", params={"name": name}
        )
    if len(content) > limit:
        raise _too_large(name, max_size_mb)
    content_type = sniff(content)
    if content_type is None:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a PDF, JPEG or PNG file, whatever its name says. "
                "Please upload a PDF, JPEG or PNG file."
            ),
            code="wrong_type",
            params={"name": name},
        )
    if content_type not in accept:
        raise ValidationError(
            _("“%(name)s” is a %(kind)s file; here only %(accepted)s can be uploaded."),
            code="not_accepted",
            params={"name": name, "kind": TYPE_NAMES[content_type], "accepted": _accepted_names(accept)},
        )
    if content_type == "application/pdf":
        problem = PdfProblem.ACTIVE if is_active_pdf(content) else pdf_problem(content)
        if problem is PdfProblem.ENCRYPTED:
            raise ValidationError(
                _("The PDF “%(name)s” is encrypted or protected by a password. Please save it without protection."),
                code="encrypted_pdf",
                params={"name": name},
            )
        if problem is PdfProblem.UNREADABLE:
            raise ValidationError(
                _("The PDF “%(name)s” is damaged and cannot be read. Please save or export it again and upload it."),
                code="broken_pdf",
                params={"name": name},
            )
        if problem is PdfProblem.ACTIVE:
            raise ValidationError(
                _("The PDF “%(name)s” contains scripts or actions. Please save it as a plain PDF and upload it again."),
                code="active_pdf",
                params={"name": name},
            )
    else:
        content = reencode_image(content, content_type, name)
    return CleanUpload(
        content=content,
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
