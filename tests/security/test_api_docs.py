"""The API documentation loads Swagger UI from our own host, never from a CDN."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["gera.localhost", "localhost"])
def test_swagger_ui_is_self_hosted(gera: Any, host: str) -> None:
    client = Client(HTTP_HOST=host)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(source.endswith("swagger-ui-bundle.js") for source in sources)
    for source in sources:
        assert source.startswith("/"), source  # same origin: no CDN, no third party
    bundle = next(source for source in sources if source.endswith("swagger-ui-bundle.js"))
    assert client.get(bundle).status_code == 200
