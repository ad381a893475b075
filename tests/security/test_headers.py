"""Every answer denies the browser features the portals do not use (Permissions-Policy)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("host", "path"),
    [("gera.localhost", "/"), ("gera.localhost", "/cms/login/"), ("gera.localhost", "/api/v1/services"),
     ("gera.localhost", "/api/v1/services/%00"), ("localhost", "/office/login/")],
)  # fmt: skip
def test_permissions_policy_denies_unused_features(gera: Any, host: str, path: str) -> None:
    policy = Client(HTTP_HOST=host).get(path)["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
