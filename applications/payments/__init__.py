"""The payment-provider interface: start a payment, confirm it, refund it.

Providers register themselves by key; a municipality picks one in its application settings.
The Stripe provider (payments issue) registers from its own app without changes here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from applications.models import Payment


class PaymentProvider(Protocol):
    key: str
    label: StrOrPromise
    online: bool  # False: the fee is paid at the counter, the application goes on unpaid

    def available(self) -> bool:
        """Whether this municipality can use the provider right now (e.g. account ready)."""

    def start(self, payment: Payment, *, return_url: str, cancel_url: str) -> str | None:
        """Begin paying; the URL to send the citizen to, or None when nothing is to be done online."""

    def refund(self, payment: Payment) -> None:
        """Give a paid amount back (on withdrawal)."""


_PROVIDERS: dict[str, PaymentProvider] = {}


def register(provider: PaymentProvider) -> None:
    _PROVIDERS[provider.key] = provider


def get_provider(key: str) -> PaymentProvider:
    """The provider registered under ``key``; pay-on-site when it is unknown or not available."""
    provider = _PROVIDERS.get(key)
    if provider is None or not provider.available():
        return _PROVIDERS["onsite"]
    return provider
