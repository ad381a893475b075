"""Uploads are checked by content and cleaned: no metadata leaves the citizen's camera for our storage."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from applications.uploads import clean_upload

ALL = ["application/pdf", "image/jpeg", "image/png"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[0x8825] = {1: "N", 2: (50.0, 52.0, 30.0), 3: "E", 4: (12.0, 4.0, 50.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _refused(content: bytes, name: str, *, accept: list[str] = ALL, max_size_mb: float = 5) -> str:
    with pytest.raises(ValidationError) as refused:
        clean_upload(SimpleUploadedFile(name, content, content_type="application/pdf"), accept=accept,
                     max_size_mb=max_size_mb)  # fmt: skip
    return str(refused.value.code)


def test_jpeg_loses_exif_and_gps() -> None:
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    clean = clean_upload(SimpleUploadedFile("foto.jpeg", original), accept=ALL, max_size_mb=5)
    image = Image.open(io.BytesIO(clean.content))
    assert clean.content_type == "image/jpeg" and clean.extension == ".jpg"
    assert not image.getexif() and "exif" not in image.info
    assert image.size == (40, 30)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()


def test_png_loses_text_chunks() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Erika Mustermann, Sorge 1, Gera")
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(buffer, format="PNG", pnginfo=info)
    clean = clean_upload(SimpleUploadedFile("plan.png", buffer.getvalue()), accept=ALL, max_size_mb=5)
    assert b"Erika" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).mode == "RGBA"


def test_pdf_is_kept_byte_for_byte_and_named_safely() -> None:
    clean = clean_upload(SimpleUploadedFile("../../etc/nachweis.pdf", PDF), accept=ALL, max_size_mb=5)
    assert clean.content == PDF and clean.original_name == "nachweis.pdf"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 64, "antrag.pdf", "wrong_type"),
        (b"PK\x03\x04" + b"\x00" * 64, "fotos.jpg", "wrong_type"),
        (b"<html><script>alert(1)</script></html>", "scan.png", "wrong_type"),
        (b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF", "formular.pdf", "active_pdf"),
        (b"", "leer.pdf", "empty"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "kaputt.jpg", "broken_image"),
    ],
)
def test_refused_content_says_why(content: bytes, name: str, code: str) -> None:
    assert _refused(content, name) == code


def test_type_outside_the_fields_accept_list_is_refused() -> None:
    assert _refused(_jpeg_with_gps(), "foto.jpg", accept=["application/pdf"]) == "not_accepted"


def test_size_limit_from_the_schema() -> None:
    assert _refused(PDF + b"%" * 4096, "gross.pdf", max_size_mb=0.001) == "too_large"
