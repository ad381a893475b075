"""Fixtures of the citizen-account tests: the applications fixtures, because accounts file applications."""

from tests.applications.conftest import gera_parking

__all__ = ["gera_parking"]
