"""The two providers shipped with applications: pay on site, and a test provider for the demo."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Payment

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OnSiteProvider:
    """The fee is paid at the counter; a caseworker records it."""

    key = "onsite"
    label: StrOrPromise = _("Pay on site")
    online = False

    def available(self) -> bool:
        return True

    def start(self, payment: Payment, *, return_url: str, cancel_url: str) -> str | None:
        return None

    def refund(self, payment: Payment) -> None:
        """Cash refunds happen at the counter; nothing to do online."""


class TestProvider:
    """A clearly labelled fake payment page for the demo and tests; refused in production.

    The confirmation link carries an HMAC over the payment id and amount, as a real provider's
    callback carries a signature; a replayed confirmation finds the payment paid and changes nothing.
    """

    key = "test"
    label: StrOrPromise = _("Test payment (no real money)")
    online = True

    def available(self) -> bool:
        return bool(settings.AMTSPLATZ_TEST_PAYMENTS)

    def start(self, payment: Payment, *, return_url: str, cancel_url: str) -> str | None:
        return reverse("applications:test-payment", kwargs={"payment_id": payment.public_id})

    def refund(self, payment: Payment) -> None:
        """Nothing was charged."""

    @staticmethod
    def signature(payment: Payment) -> str:
        message = f"{payment.public_id}:{payment.amount}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()

    @classmethod
    def verify(cls, payment: Payment, signature: str) -> bool:
        return hmac.compare_digest(cls.signature(payment), signature)
