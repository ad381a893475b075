"""A small local stand-in for the Stripe API endpoints Amtsplatz uses, at the HTTP boundary.

The Stripe SDK talks to it over HTTP exactly as to api.stripe.com (form-encoded requests, bearer key,
``Stripe-Account`` and ``Idempotency-Key`` headers); it answers with objects shaped like Stripe's (API
version of the pinned SDK) and produces events that tests deliver to the webhook endpoints signed with
Stripe's scheme. Test controls (``complete_onboarding``, ``pay_checkout``, ``invoice_overdue`` …) play
what happens at Stripe outside our calls: a treasurer finishing onboarding, a citizen paying, an invoice
falling due.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import stripe

Json = dict[str, Any]
Route = Callable[["StripeFake", str | None, Json, re.Match[str]], Json]


class StripeFakeError(Exception):
    def __init__(self, status: int, message: str, code: str = "resource_missing") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _nested(pairs: list[tuple[str, str]]) -> Json:
    """``a[b][0][c]=v`` form fields (Stripe's encoding) as nested dicts and lists."""
    root: Json = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            items = {key: listify(value) for key, value in node.items()}
            if items and all(key.isdigit() for key in items):
                return [items[key] for key in sorted(items, key=int)]
            return items
        return node

    result: Json = listify(root)
    return result


class StripeFake:
    """The fake API: objects by id, each owned by the platform (None) or a connected account."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.objects: dict[str, Json] = {}
        self.owner: dict[str, str | None] = {}
        self.idempotent: dict[tuple[str | None, str], tuple[Json, int, Json]] = {}
        self.requests: list[Json] = []
        self.events: list[Json] = []
        self.fail_next = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> StripeFake:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.objects.clear()
            self.owner.clear()
            self.idempotent.clear()
            self.requests.clear()
            self.events.clear()
            self.fail_next = 0

    # --- the HTTP side ----------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Any, body: str) -> tuple[int, Json, dict[str, str]]:
        with self._lock:
            account = headers.get("Stripe-Account")
            key = headers.get("Idempotency-Key")
            params = _nested(parse_qsl(body, keep_blank_values=True)) if method == "POST" else {}
            self.requests.append(
                {"method": method, "path": path, "account": account, "idempotency_key": key, "params": params}
            )
            if headers.get("Authorization") != f"Bearer {self.api_key}":
                return 401, _error("Invalid API Key provided.", "invalid_request_error", "api_key_invalid"), {}
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, _error("Temporary failure (fake).", "api_error", "service_unavailable"), {}
            if method == "POST" and key and (account, key) in self.idempotent:
                sent, status, answer = self.idempotent[(account, key)]
                if sent != params:
                    message = "Keys for idempotent requests can only be used with the same parameters."
                    return 400, _error(message, "idempotency_error", "idempotency_key_in_use"), {}
                return status, answer, {"Idempotent-Replayed": "true"}
            status, answer = self._route(method, path, account, params)
            if method == "POST" and key:
                self.idempotent[(account, key)] = (params, status, answer)
            return status, answer, {}

    def _route(self, method: str, path: str, account: str | None, params: Json) -> tuple[int, Json]:
        for route_method, pattern, route in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                try:
                    return 200, route(self, account, params, match)
                except StripeFakeError as error:
                    return error.status, _error(error.message, "invalid_request_error", error.code)
        return 404, _error(f"Unrecognized request URL ({method}: {path}).", "invalid_request_error", "")

    # --- objects ------------------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def store(self, obj: Json, account: str | None) -> Json:
        self.objects[obj["id"]] = obj
        self.owner[obj["id"]] = account
        return obj

    def get(self, object_id: str, account: str | None, kind: str) -> Json:
        """An object as Stripe would find it: only on the account that owns it."""
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind or self.owner[object_id] != account:
            raise StripeFakeError(404, f"No such {kind}: '{object_id}'")
        return obj

    def owned_by(self, account: str | None, kind: str) -> list[Json]:
        return [o for i, o in self.objects.items() if o["object"] == kind and self.owner[i] == account]

    def emit(self, event_type: str, obj: Json, account: str | None = None) -> Json:
        event = {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "type": event_type,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": json.loads(json.dumps(obj))},  # a snapshot, as Stripe sends it
        }
        if account:
            event["account"] = account
        self.events.append(event)
        return event

    # --- what happens at Stripe outside our calls ----------------------------------------------------

    def complete_onboarding(self, account_id: str) -> Json:
        """The treasurer finished onboarding: the account can take charges."""
        with self._lock:
            account = self.get(account_id, None, "account")
            account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
            return self.emit("account.updated", account, account=account_id)

    def pay_checkout(self, session_id: str, account_id: str) -> Json:
        """The citizen paid on Stripe's page."""
        with self._lock:
            session = self.get(session_id, account_id, "checkout.session")
            intent = self.store(
                {
                    "id": self.new_id("pi"),
                    "object": "payment_intent",
                    "amount": session["amount_total"],
                    "currency": "eur",
                    "status": "succeeded",
                },
                account_id,
            )
            session.update(status="complete", payment_status="paid", payment_intent=intent["id"])
            return self.emit("checkout.session.completed", session, account=account_id)

    def invoice_overdue(self, subscription_id: str, *, days: int) -> list[Json]:
        """The subscription's invoice fell due ``days`` ago unpaid: Stripe marks it past due."""
        with self._lock:
            subscription = self.get(subscription_id, None, "subscription")
            invoice = self.objects[subscription["latest_invoice"]]
            invoice.update(status="open", due_date=int(time.time()) - days * 86400)
            subscription["status"] = "past_due"
            return [self.emit("invoice.overdue", invoice), self.emit("customer.subscription.updated", subscription)]

    def invoice_pay(self, subscription_id: str) -> list[Json]:
        """The municipality paid its invoice (bank transfer, card in the customer portal)."""
        with self._lock:
            subscription = self.get(subscription_id, None, "subscription")
            invoice = self.objects[subscription["latest_invoice"]]
            invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
            subscription["status"] = "active"
            return [self.emit("invoice.paid", invoice), self.emit("customer.subscription.updated", subscription)]

    @staticmethod
    def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
        """A ``Stripe-Signature`` header as Stripe computes it: HMAC-SHA256 over ``"<t>.<body>"``."""
        stamp = timestamp or int(time.time())
        digest = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
        return f"t={stamp},v1={digest}"


def _error(message: str, error_type: str, code: str) -> Json:
    return {"error": {"message": message, "type": error_type, "code": code}}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise StripeFakeError(400, f"Invalid integer: {value!r}", "parameter_invalid_integer") from error


def _require(params: Json, *names: str) -> None:
    for name in names:
        if name not in params:
            raise StripeFakeError(400, f"Missing required param: {name}.", "parameter_missing")


# --- endpoints ---------------------------------------------------------------------------------------


def _account_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.store(
        {
            "id": fake.new_id("acct"),
            "object": "account",
            "type": params.get("type", "standard"),
            "country": params.get("country", "DE"),
            "email": params.get("email"),
            "charges_enabled": False,
            "payouts_enabled": False,
            "details_submitted": False,
            "metadata": params.get("metadata", {}),
            "business_profile": params.get("business_profile", {}),
        },
        None,
    )


def _account_retrieve(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.get(match["id"], None, "account")


def _account_link(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "account", "refresh_url", "return_url", "type")
    fake.get(params["account"], None, "account")
    return {
        "object": "account_link",
        "created": int(time.time()),
        "expires_at": int(time.time()) + 300,
        "url": f"https://connect.stripe.com/setup/s/{params['account']}/{fake.new_id('link')}",
    }


def _session_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "mode", "line_items", "success_url")
    item = params["line_items"][0]
    amount = _int(item["price_data"]["unit_amount"]) * _int(item.get("quantity", 1))
    session_id = fake.new_id("cs_test")
    return fake.store(
        {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "amount_total": amount,
            "currency": item["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "payment_status": "unpaid",
            "status": "open",
            "payment_intent": None,
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "locale": params.get("locale"),
            "payment_intent_data": params.get("payment_intent_data", {}),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        },
        account,
    )


def _session_retrieve(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.get(match["id"], account, "checkout.session")


def _refund_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "payment_intent")
    intent = fake.get(params["payment_intent"], account, "payment_intent")
    if any(r["payment_intent"] == intent["id"] for r in fake.owned_by(account, "refund")):
        raise StripeFakeError(400, f"Charge for {intent['id']} has already been refunded.", "charge_already_refunded")
    return fake.store(
        {
            "id": fake.new_id("re"),
            "object": "refund",
            "payment_intent": intent["id"],
            "amount": intent["amount"],
            "currency": intent["currency"],
            "status": "succeeded",
        },
        account,
    )


def _price_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "currency", "unit_amount", "recurring")
    product = fake.store({"id": fake.new_id("prod"), "object": "product", **params.get("product_data", {})}, None)
    return fake.store(
        {
            "id": fake.new_id("price"),
            "object": "price",
            "currency": params["currency"],
            "product": product["id"],
            "unit_amount": _int(params["unit_amount"]),
            "recurring": params["recurring"],
            "metadata": params.get("metadata", {}),
        },
        None,
    )


def _customer_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.store(
        {
            "id": fake.new_id("cus"),
            "object": "customer",
            "name": params.get("name"),
            "email": params.get("email"),
            "metadata": params.get("metadata", {}),
        },
        None,
    )


def _subscription_create(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "customer", "items")
    fake.get(params["customer"], None, "customer")
    price = fake.get(params["items"][0]["price"], None, "price")
    now = int(time.time())
    period = 365 * 86400 if price["recurring"]["interval"] == "year" else 30 * 86400
    subscription_id = fake.new_id("sub")
    invoice = fake.store(
        {
            "id": fake.new_id("in"),
            "object": "invoice",
            "customer": params["customer"],
            "status": "open",
            "number": f"AMTS-{len(fake.owned_by(None, 'invoice')) + 1:04d}",
            "amount_due": price["unit_amount"],
            "amount_paid": 0,
            "amount_remaining": price["unit_amount"],
            "currency": "eur",
            "created": now,
            "due_date": now + _int(params.get("days_until_due", 30)) * 86400,
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{subscription_id}",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id, "metadata": {}},
            },
        },
        None,
    )
    return fake.store(
        {
            "id": subscription_id,
            "object": "subscription",
            "customer": params["customer"],
            "status": "active",
            "collection_method": params.get("collection_method", "charge_automatically"),
            "latest_invoice": invoice["id"],
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": fake.new_id("si"),
                        "object": "subscription_item",
                        "price": price,
                        "current_period_start": now,
                        "current_period_end": now + period,
                    }
                ],
            },
        },
        None,
    )


def _subscription_retrieve(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.get(match["id"], None, "subscription")


def _invoice_retrieve(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    return fake.get(match["id"], None, "invoice")


def _portal_session(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    _require(params, "customer")
    fake.get(params["customer"], None, "customer")
    session_id = fake.new_id("bps")
    return {
        "id": session_id,
        "object": "billing_portal.session",
        "customer": params["customer"],
        "return_url": params.get("return_url"),
        "url": f"https://billing.stripe.com/p/session/{session_id}",
    }


def _event_retrieve(fake: StripeFake, account: str | None, params: Json, match: re.Match[str]) -> Json:
    for event in fake.events:
        if event["id"] == match["id"] and event.get("account") == account:
            return event
    raise StripeFakeError(404, f"No such event: '{match['id']}'")


ROUTES: list[tuple[str, str, Route]] = [
    ("POST", r"/v1/accounts", _account_create),
    ("GET", r"/v1/accounts/(?P<id>[\w]+)", _account_retrieve),
    ("POST", r"/v1/account_links", _account_link),
    ("POST", r"/v1/checkout/sessions", _session_create),
    ("GET", r"/v1/checkout/sessions/(?P<id>[\w]+)", _session_retrieve),
    ("POST", r"/v1/refunds", _refund_create),
    ("POST", r"/v1/prices", _price_create),
    ("POST", r"/v1/customers", _customer_create),
    ("POST", r"/v1/subscriptions", _subscription_create),
    ("GET", r"/v1/subscriptions/(?P<id>[\w]+)", _subscription_retrieve),
    ("GET", r"/v1/invoices/(?P<id>[\w]+)", _invoice_retrieve),
    ("POST", r"/v1/billing_portal/sessions", _portal_session),
    ("GET", r"/v1/events/(?P<id>[\w]+)", _event_retrieve),
]


def _handler_for(fake: StripeFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            path = self.path.split("?", 1)[0]
            status, answer, extra = fake.handle(method, path, self.headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_fake{time.monotonic_ns()}")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the requests are kept in ``fake.requests``."""

    return Handler
