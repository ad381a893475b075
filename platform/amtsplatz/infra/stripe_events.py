"""Who acts on which Stripe event: a registry shared by billing (subscriptions, Connect accounts) and the
applications' Stripe provider (citizens' Checkout payments), so neither imports the other.

billing stores each verified event once (``billing.StripeEvent``) and calls the handler registered here
for its endpoint and type; a handler gets that stored event (``event_id``, ``account``, ``payload``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EventHandler = Callable[[Any], None]
HANDLERS: dict[tuple[str, str], EventHandler] = {}


def handles(endpoint: str, *event_types: str) -> Callable[[EventHandler], EventHandler]:
    """Register a function as the handler of these event types on one endpoint ("platform", "connect")."""

    def register(handler: EventHandler) -> EventHandler:
        for event_type in event_types:
            HANDLERS[(endpoint, event_type)] = handler
        return handler

    return register


def handler_for(endpoint: str, event_type: str) -> EventHandler | None:
    return HANDLERS.get((endpoint, event_type))
