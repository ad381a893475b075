"""Wagtail documents: never from a media URL, active types as downloads, private collections stay private."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"
EVIL_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
EVIL_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _document(name: str, content: bytes, collection: Collection | None = None) -> Document:
    with schema_context("gera"):
        document = Document(title=name, collection=collection or Collection.get_first_root_node())
        document.file.save(name, ContentFile(content), save=False)
        document.save()
        return document


def test_documents_are_not_served_from_their_media_url(gera: Any) -> None:
    document = _document("evil.html", EVIL_HTML)
    client = Client(HTTP_HOST=HOST)
    assert client.get(f"/media/gera/{document.file.name}").status_code == 404
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Security-Policy"] == "default-src 'none'"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_only_pdfs_are_shown_inline(gera: Any) -> None:
    client = Client(HTTP_HOST=HOST)
    svg = client.get(_document("bild.svg", EVIL_SVG).url)
    assert svg["Content-Disposition"].startswith("attachment")
    text = client.get(_document("notiz.txt", b"Hallo").url)
    assert text["Content-Disposition"].startswith("attachment")
    pdf = client.get(_document("merkblatt.pdf", b"%PDF-1.4\n%%EOF\n").url)
    assert pdf["Content-Disposition"].startswith("inline") and pdf["Content-Security-Policy"] == "default-src 'none'"


def test_a_document_of_a_login_restricted_collection_stays_private(gera: Any) -> None:
    with schema_context("gera"):
        internal = Collection.get_first_root_node().add_child(name="Intern")
        CollectionViewRestriction.objects.create(collection=internal, restriction_type="login")
    document = _document("intern.pdf", b"%PDF-1.4\nvertraulich\n%%EOF\n", internal)
    client = Client(HTTP_HOST=HOST)
    assert client.get(f"/media/gera/{document.file.name}").status_code == 404
    response = client.get(document.url)
    assert response.status_code == 302 and "vertraulich" not in response.content.decode()


def test_other_media_are_still_served(gera: Any) -> None:
    with schema_context("gera"):
        name = default_storage.save("images/logo.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"))
    assert Client(HTTP_HOST=HOST).get(f"/media/gera/{name}").status_code == 200
