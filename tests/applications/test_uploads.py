"""Uploads are checked by content and cleaned: no metadata leaves the citizen's camera for our storage."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from amtsplatz.infra import uploads
from amtsplatz.infra.uploads import clean_upload

ALL = ["application/pdf", "image/jpeg", "image/png"]
PDF = (  # one page: the upload check parses every PDF (amtsplatz/infra/pdf_check.py)
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n"
    b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
)
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _jpeg(image: Image.Image | None = None, **params: object) -> bytes:
    buffer = io.BytesIO()
    (image or Image.radial_gradient("L").convert("RGB")).save(buffer, format="JPEG", **params)
    return buffer.getvalue()


def _png(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    return buffer.getvalue()


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[GPS_IFD] = {1: "N", 2: (50.0, 52.0, 30.0), 3: "E", 4: (12.0, 4.0, 50.0)}
    return _jpeg(Image.new("RGB", (40, 30), "red"), exif=exif, comment=b"Sorge 1, Gera")


def _clean(content: bytes, name: str = "datei", **options: object) -> uploads.CleanUpload:
    kwargs: dict = {"accept": ALL, "max_size_mb": 5, **options}
    return clean_upload(SimpleUploadedFile(name, content, content_type="application/pdf"), **kwargs)


def _refusal(content: bytes, name: str = "datei", **options: object) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        _clean(content, name, **options)
    return refused.value


def test_jpeg_loses_exif_gps_and_comment() -> None:
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:  # the test image really carries what must go
        assert before.getexif().get_ifd(GPS_IFD)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert before.info["comment"] == b"Sorge 1, Gera"

    clean = _clean(original, "foto.jpeg")

    assert (clean.content_type, clean.extension, clean.original_name) == ("image/jpeg", ".jpg", "foto.jpeg")
    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.format == "JPEG" and after.mode == "RGB" and after.size == (40, 30)
        assert not after.getexif()
        assert not after.getexif().get_ifd(GPS_IFD)
        assert not {"exif", "comment", "xmp", "icc_profile"} & set(after.info)
        assert after.info.get("progressive") == 1
    assert b"Kamerahersteller" not in clean.content and b"Gera" not in clean.content
    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()


def test_jpeg_is_turned_upright_by_its_orientation_tag() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone held sideways

    clean = _clean(_jpeg(Image.new("RGB", (40, 30), "blue"), exif=exif), "quer.jpg")

    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.size == (30, 40)
        assert not after.getexif()


def test_png_loses_text_chunks_and_icc_profile_but_keeps_alpha() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Erika Mustermann, Sorge 1, Gera")
    info.add_itxt("Comment", "Antragstellerin", zip=True)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = _png(Image.new("RGBA", (10, 10), (0, 0, 255, 128)), pnginfo=info, icc_profile=icc)
    with Image.open(io.BytesIO(original)) as before:
        assert before.info["Author"] and "icc_profile" in before.info

    clean = _clean(original, "plan.png")

    assert (clean.content_type, clean.extension) == ("image/png", ".png")
    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.format == "PNG" and after.mode == "RGBA"
        assert after.getpixel((0, 0)) == (0, 0, 255, 128)
        assert not {"Author", "Comment", "icc_profile", "exif", "xmp"} & set(after.info)
        assert not after.text  # type: ignore[attr-defined]
    assert b"Erika" not in clean.content and b"tEXt" not in clean.content and b"iCCP" not in clean.content


def test_palette_png_keeps_its_transparent_colour() -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([255, 255, 255, 255, 0, 0])
    image.putpixel((0, 0), 0)

    clean = _clean(_png(image, transparency=0), "stempel.png")

    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.getpixel((0, 0))[3] == 0  # type: ignore[index]
        assert after.getpixel((1, 1)) == (255, 0, 0, 255)


def test_pdf_is_kept_byte_for_byte() -> None:
    clean = _clean(PDF, "nachweis.pdf")

    assert clean.content == PDF
    assert (clean.content_type, clean.extension, clean.size) == ("application/pdf", ".pdf", len(PDF))
    assert clean.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\erika\\Bilder\\scan.png", "scan.png"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("  .versteckt.png ", "versteckt.png"),
        ("rechnung\u202egnp.exe", "rechnunggnp.exe"),  # no right-to-left override to disguise the name
        ("a\x00b\nc.png", "abc.png"),
        ("x" * 300 + ".png", "x" * 116 + ".png"),
    ],
)
def test_original_name_is_reduced_to_a_safe_base_name(name: str, expected: str) -> None:
    clean = _clean(_png(Image.new("RGB", (2, 2))), name)

    assert clean.original_name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("..", "upload"),
        ("", "upload"),
        ("/", "upload"),
        ("a/b/" + "y" * 200, "y" * 120),
        ("x" * 300 + ".png", "x" * 116 + ".png"),
    ],
)
def test_safe_name_never_returns_a_path_or_nothing(name: str, expected: str) -> None:
    assert uploads.safe_name(name) == expected


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode",
            "antrag.pdf",
            "wrong_type",
        ),
        (b"PK\x03\x04\x14\x00" + b"\x00" * 64, "fotos.jpg", "wrong_type"),
        (b"<html><script>alert(1)</script></html>", "scan.png", "wrong_type"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"0" * 2048, "abgeschnitten.pdf", "wrong_type"),  # no %%EOF at the end
        (b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (app.alert(1)) >>\n%%EOF", "formular.pdf", "active_pdf"),
        (b"%PDF-1.4\n/OpenAction << /S /Launch /F (cmd.exe) >>\n%%EOF", "formular.pdf", "active_pdf"),
        (b"%PDF-1.4\n/OpenAction << /S /J#61vaScript /JS (x) >>\n%%EOF", "formular.pdf", "active_pdf"),
        (b"", "leer.pdf", "empty"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "kaputt.jpg", "broken_image"),
        (uploads.PNG_SIGNATURE + b"\x00" * 40, "kaputt.png", "broken_image"),
    ],
    ids=lambda value: value if isinstance(value, str) else "content",
)
def test_refused_content_says_why(content: bytes, name: str, code: str) -> None:
    refusal = _refusal(content, name)

    assert refusal.code == code
    assert len(refusal.messages) == 1 and name in refusal.messages[0]


def test_disguised_executable_is_refused_by_its_content() -> None:
    upload = SimpleUploadedFile("antrag.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        clean_upload(upload, accept=["application/pdf"], max_size_mb=5)

    assert refused.value.code == "wrong_type"
    assert "Please upload a PDF, JPEG or PNG file." in refused.value.messages[0]


@pytest.fixture(params=[False, True], ids=["strict", "after-weasyprint"])
def pillow_truncation_switch(request: pytest.FixtureRequest) -> Iterator[None]:
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; uploads must not care."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = request.param
    yield
    ImageFile.LOAD_TRUNCATED_IMAGES = previous


@pytest.mark.parametrize(("image", "cut"), [("jpeg", 0.5), ("png", 0.6)])
def test_truncated_image_is_refused(image: str, cut: float, pillow_truncation_switch: None) -> None:
    picture = Image.radial_gradient("L").convert("RGB")
    whole = _jpeg(picture) if image == "jpeg" else _png(picture)

    assert _refusal(whole[: int(len(whole) * cut)], f"halb.{image}").code == "broken_image"
    assert _clean(whole, f"ganz.{image}").size > 0  # the whole image passes


def test_type_outside_the_fields_accept_list_is_refused_in_human_words() -> None:
    refusal = _refusal(_jpeg_with_gps(), "foto.jpg", accept=["application/pdf", "image/png"])

    assert refusal.code == "not_accepted"
    assert refusal.messages == ["“foto.jpg” is a JPEG file; here only PDF, PNG can be uploaded."]


class _Unreadable(SimpleUploadedFile):
    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        raise AssertionError("a file over the limit must not be read")

    def read(self, *args: object) -> bytes:
        raise AssertionError("a file over the limit must not be read")


def test_size_limit_is_checked_before_reading() -> None:
    upload = _Unreadable("gross.pdf", PDF + b"%" * 4096, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        clean_upload(upload, accept=ALL, max_size_mb=0.001)

    assert refused.value.code == "too_large"
    assert refused.value.messages == ["The file “gross.pdf” is larger than 0.001 MB. Please upload a smaller file."]


def test_a_file_larger_than_its_claimed_size_is_refused() -> None:
    upload = SimpleUploadedFile("gross.pdf", PDF + b"%" * 4096, content_type="application/pdf")
    upload.size = 10  # what a lying client could claim

    with pytest.raises(ValidationError) as refused:
        clean_upload(upload, accept=ALL, max_size_mb=0.001)

    assert refused.value.code == "too_large"


def test_image_over_the_pixel_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)

    assert _refusal(_png(Image.new("RGB", (11, 10))), "riesig.png").code == "too_large"
    assert _clean(_png(Image.new("RGB", (10, 10))), "passt.png").size > 0


@pytest.mark.parametrize("side", [9, 20])  # a warning from Pillow just over its limit, an error at twice the limit
def test_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch, side: int) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 64)

    assert _refusal(_png(Image.new("L", (side, side))), "bombe.png").code == "too_large"
