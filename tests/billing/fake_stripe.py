"""A local fake of the Stripe API, an HTTP server in the test process.

The gateway reaches it through the stripe library itself (``STRIPE_API_BASE``), over HTTP, with
the library's own form encoding: what is tested is the real request path, not a mock. It keeps
its objects in memory and implements the endpoints billing.gateway uses, with Stripe's answer
shapes (API 2025+: periods on subscription items, an invoice's subscription under
``parent.subscription_details``). Each change records an event, like Stripe's event log; the
tests deliver them to our webhook, signed with Stripe's scheme, in the order they choose.
"""

from __future__ import annotations

import copy
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
from urllib.parse import parse_qsl, urlsplit

YEAR_SECONDS = 365 * 24 * 3600
WEBHOOK_PATH = "/facturation/stripe/webhook/"


class StripeFailure(Exception):
    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def form_decode(text: str) -> dict[str, Any]:
    """Stripe's form encoding back to nested data: ``items[0][price]=x`` → {"items": [{"price":
    "x"}]} (the library always indexes arrays)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        *parents, leaf = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def webhook_signature(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Stripe's ``Stripe-Signature`` header: t=TIMESTAMP,v1=HMAC-SHA256(secret, "t.payload")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


class FakeStripe:
    def __init__(self, api_key: str = "sk_test_fake") -> None:
        self.api_key = api_key
        self.customers: dict[str, dict] = {}
        self.prices: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.items: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.events: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self._failures: list[tuple[str, str, StripeFailure]] = []
        self._ids = itertools.count(1)
        self._invoice_numbers = itertools.count(1)
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # Server ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStripe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = form_decode(body or parts.query)
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    status, answer = 401, _error("Invalid API Key provided.", "authentication")
                else:
                    status, answer = fake.handle(method, parts.path, params)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{next(fake._ids)}")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

        return Handler

    # Dispatch -------------------------------------------------------------------------------

    def fail_next(self, method: str, path_prefix: str, message: str, status: int = 400) -> None:
        """The next matching request gets this Stripe error instead of its answer."""
        self._failures.append((method, path_prefix, StripeFailure(status, message)))

    def requests_to(self, method: str, path: str) -> list[dict]:
        return [params for m, p, params in self.requests if m == method and p == path]

    def handle(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            self.requests.append((method, path, params))
            try:
                for index, (fail_method, prefix, failure) in enumerate(self._failures):
                    if fail_method == method and path.startswith(prefix):
                        del self._failures[index]
                        raise failure
                return 200, self._route(method, path, params)
            except StripeFailure as exc:
                return exc.status, _error(exc.message, "invalid_request_error", exc.code)

    def _route(self, method: str, path: str, params: dict) -> dict:
        routes: list[tuple[str, str, Callable[..., dict]]] = [
            ("POST", r"/v1/customers", self._customer_create),
            ("DELETE", r"/v1/customers/(?P<id>[^/]+)", self._customer_delete),
            ("GET", r"/v1/prices", self._price_list),
            ("POST", r"/v1/prices", self._price_create),
            ("POST", r"/v1/subscriptions", self._subscription_create),
            ("GET", r"/v1/subscriptions/(?P<id>[^/]+)", self._subscription_get),
            ("POST", r"/v1/subscription_items", self._item_create),
            ("POST", r"/v1/subscription_items/(?P<id>[^/]+)", self._item_update),
            ("GET", r"/v1/invoices/(?P<id>[^/]+)", self._invoice_get),
            ("POST", r"/v1/invoices/(?P<id>[^/]+)/send", self._invoice_send),
            ("POST", r"/v1/invoices/(?P<id>[^/]+)/pay", self._invoice_pay),
        ]
        for route_method, pattern, view in routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                return copy.deepcopy(view(params, **match.groupdict()))
        raise StripeFailure(404, f"Unrecognized request URL ({method}: {path}).")

    # Objects --------------------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def _get(self, store: dict[str, dict], object_id: str, kind: str) -> dict:
        if object_id not in store:
            raise StripeFailure(404, f"No such {kind}: '{object_id}'", "resource_missing")
        return store[object_id]

    def _event(self, event_type: str, obj: dict) -> None:
        self.events.append(
            {
                "id": self._new_id("evt"),
                "object": "event",
                "api_version": "2026-10-28.endive",
                "created": int(time.time()),
                "livemode": False,
                "type": event_type,
                "data": {"object": copy.deepcopy(obj)},
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
            }
        )

    def _customer_create(self, params: dict) -> dict:
        customer = {
            "id": self._new_id("cus"),
            "object": "customer",
            "name": params.get("name"),
            "email": params.get("email"),
            "metadata": params.get("metadata", {}),
            "preferred_locales": params.get("preferred_locales", []),
            "created": int(time.time()),
        }
        self.customers[customer["id"]] = customer
        self._event("customer.created", customer)
        return customer

    def _customer_delete(self, params: dict, id: str) -> dict:
        customer = self.customers.pop(self._get(self.customers, id, "customer")["id"])
        for subscription in self.subscriptions.values():
            if subscription["customer"] == id and subscription["status"] != "canceled":
                subscription["status"] = "canceled"
                subscription["canceled_at"] = int(time.time())
                self._event("customer.subscription.deleted", self._subscription_view(subscription))
        self._event("customer.deleted", customer)
        return {"id": id, "object": "customer", "deleted": True}

    def _price_list(self, params: dict) -> dict:
        keys = set(params.get("lookup_keys", []))
        data = [price for price in self.prices.values() if price["lookup_key"] in keys]
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}

    def _price_create(self, params: dict) -> dict:
        for field in ("currency", "unit_amount"):
            if field not in params:
                raise StripeFailure(400, f"Missing required param: {field}.")
        lookup_key = params.get("lookup_key")
        if lookup_key and any(p["lookup_key"] == lookup_key for p in self.prices.values()):
            raise StripeFailure(400, f"A price with lookup key {lookup_key} already exists.")
        price = {
            "id": self._new_id("price"),
            "object": "price",
            "currency": params["currency"],
            "unit_amount": int(params["unit_amount"]),
            "recurring": {"interval": params["recurring"]["interval"], "interval_count": 1},
            "lookup_key": lookup_key,
            "product": self._new_id("prod"),
            "nickname": params.get("product_data", {}).get("name"),
            "metadata": params.get("metadata", {}),
            "active": True,
            "type": "recurring",
        }
        self.prices[price["id"]] = price
        return price

    def _subscription_view(self, subscription: dict) -> dict:
        view = dict(subscription)
        view["items"] = {
            "object": "list",
            "data": [self.items[item_id] for item_id in subscription["item_ids"]],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={subscription['id']}",
        }
        del view["item_ids"]
        return view

    def _subscription_create(self, params: dict) -> dict:
        customer = self._get(self.customers, params.get("customer", ""), "customer")
        if params.get("collection_method") == "send_invoice" and "days_until_due" not in params:
            raise StripeFailure(400, "days_until_due is required with send_invoice.")
        now = int(time.time())
        subscription = {
            "id": self._new_id("sub"),
            "object": "subscription",
            "customer": customer["id"],
            "status": "active",
            "collection_method": params.get("collection_method", "charge_automatically"),
            "days_until_due": int(params.get("days_until_due", 0)) or None,
            "payment_settings": params.get("payment_settings", {}),
            "metadata": params.get("metadata", {}),
            "created": now,
            "start_date": now,
            "canceled_at": None,
            "latest_invoice": None,
            "item_ids": [],
        }
        self.subscriptions[subscription["id"]] = subscription
        lines = []
        for item_params in params.get("items", []):
            item = self._item_new(subscription, item_params, start=now, end=now + YEAR_SECONDS)
            price = item["price"]
            lines.append(
                self._line(
                    subscription,
                    item,
                    amount=price["unit_amount"] * item["quantity"],
                    description=f"{item['quantity']} × {price['nickname']}",
                    start=now,
                    end=now + YEAR_SECONDS,
                    proration=False,
                )
            )
        self._event("customer.subscription.created", self._subscription_view(subscription))
        self._invoice_new(subscription, lines, reason="subscription_create")
        return self._subscription_view(subscription)

    def _subscription_get(self, params: dict, id: str) -> dict:
        return self._subscription_view(self._get(self.subscriptions, id, "subscription"))

    def _item_new(self, subscription: dict, params: dict, *, start: int, end: int) -> dict:
        price = self._get(self.prices, params.get("price", ""), "price")
        item = {
            "id": self._new_id("si"),
            "object": "subscription_item",
            "subscription": subscription["id"],
            "price": price,
            "quantity": int(params.get("quantity", 1)),
            "current_period_start": start,
            "current_period_end": end,
            "created": int(time.time()),
        }
        self.items[item["id"]] = item
        subscription["item_ids"].append(item["id"])
        return item

    def _prorated(self, item: dict, quantity: int) -> tuple[int, int, int]:
        """Stripe prorates to the second: the share of the period left, and that period."""
        now = int(time.time())
        start, end = item["current_period_start"], item["current_period_end"]
        share = (end - now) / (end - start)
        return round(item["price"]["unit_amount"] * quantity * share), now, end

    def _item_create(self, params: dict) -> dict:
        subscription = self._get(self.subscriptions, params.get("subscription", ""), "subscription")
        first = self.items[subscription["item_ids"][0]]
        item = self._item_new(
            subscription,
            params,
            start=first["current_period_start"],
            end=first["current_period_end"],
        )
        amount, now, end = self._prorated(item, item["quantity"])
        line = self._line(
            subscription,
            item,
            amount=amount,
            description=f"Remaining time on {item['quantity']} × {item['price']['nickname']}",
            start=now,
            end=end,
            proration=True,
        )
        self._event("customer.subscription.updated", self._subscription_view(subscription))
        if params.get("proration_behavior") == "always_invoice":
            self._invoice_new(subscription, [line], reason="subscription_update")
        return item

    def _item_update(self, params: dict, id: str) -> dict:
        item = self._get(self.items, id, "subscription_item")
        subscription = self.subscriptions[item["subscription"]]
        old, new = item["quantity"], int(params["quantity"])
        unused, now, end = self._prorated(item, old)
        remaining, _now, _end = self._prorated(item, new)
        name = item["price"]["nickname"]
        lines = [
            self._line(
                subscription,
                item,
                amount=-unused,
                description=f"Unused time on {old} × {name}",
                start=now,
                end=end,
                proration=True,
            ),
            self._line(
                subscription,
                item,
                amount=remaining,
                description=f"Remaining time on {new} × {name}",
                start=now,
                end=end,
                proration=True,
            ),
        ]
        item["quantity"] = new
        self._event("customer.subscription.updated", self._subscription_view(subscription))
        if params.get("proration_behavior") == "always_invoice":
            self._invoice_new(subscription, lines, reason="subscription_update")
        return item

    def _line(
        self,
        subscription: dict,
        item: dict,
        *,
        amount: int,
        description: str,
        start: int,
        end: int,
        proration: bool,
    ) -> dict:
        return {
            "id": self._new_id("il"),
            "object": "line_item",
            "amount": amount,
            "currency": "eur",
            "description": description,
            "quantity": item["quantity"],
            "period": {"start": start, "end": end},
            "parent": {
                "type": "subscription_item_details",
                "subscription_item_details": {
                    "proration": proration,
                    "subscription": subscription["id"],
                    "subscription_item": item["id"],
                    "invoice_item": None,
                },
            },
        }

    def _invoice_new(self, subscription: dict, lines: list[dict], *, reason: str) -> dict:
        total = sum(line["amount"] for line in lines)
        invoice = {
            "id": self._new_id("in"),
            "object": "invoice",
            "customer": subscription["customer"],
            "status": "draft",
            "number": None,
            "billing_reason": reason,
            "collection_method": subscription["collection_method"],
            "currency": "eur",
            "subtotal": total,
            "total": total,
            "amount_due": max(total, 0),
            "amount_paid": 0,
            "amount_remaining": max(total, 0),
            "due_date": None,
            "hosted_invoice_url": None,
            "paid_out_of_band": False,
            "created": int(time.time()),
            "period_start": int(time.time()),
            "period_end": int(time.time()),
            "status_transitions": {
                "finalized_at": None,
                "paid_at": None,
                "voided_at": None,
                "marked_uncollectible_at": None,
            },
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "subscription": subscription["id"],
                    "metadata": subscription["metadata"],
                },
            },
            "lines": {"object": "list", "data": lines, "has_more": False, "url": "/v1/lines"},
            "metadata": {},
            "livemode": False,
        }
        self.invoices[invoice["id"]] = invoice
        subscription["latest_invoice"] = invoice["id"]
        self._event("invoice.created", invoice)
        return invoice

    def _invoice_get(self, params: dict, id: str) -> dict:
        return self._get(self.invoices, id, "invoice")

    def _finalize(self, invoice: dict) -> None:
        now = int(time.time())
        subscription = self.subscriptions[invoice["parent"]["subscription_details"]["subscription"]]
        invoice["status"] = "open"
        invoice["number"] = f"FAKE-{next(self._invoice_numbers):04d}"
        invoice["status_transitions"]["finalized_at"] = now
        invoice["due_date"] = now + (subscription["days_until_due"] or 0) * 24 * 3600
        invoice["hosted_invoice_url"] = f"https://invoice.stripe.test/{invoice['id']}"
        self._event("invoice.finalized", invoice)

    def _invoice_send(self, params: dict, id: str) -> dict:
        invoice = self._get(self.invoices, id, "invoice")
        if invoice["status"] == "draft":
            self._finalize(invoice)
        if invoice["status"] != "open":
            raise StripeFailure(400, f"Invoice {id} is {invoice['status']}: it cannot be sent.")
        self._event("invoice.sent", invoice)
        return invoice

    def _invoice_pay(self, params: dict, id: str) -> dict:
        invoice = self._get(self.invoices, id, "invoice")
        if invoice["status"] != "open":
            raise StripeFailure(400, f"Invoice is already {invoice['status']}.")
        self._paid(invoice, out_of_band=params.get("paid_out_of_band") == "true")
        return invoice

    def _paid(self, invoice: dict, *, out_of_band: bool) -> None:
        invoice["status"] = "paid"
        invoice["paid_out_of_band"] = out_of_band
        invoice["amount_paid"] = invoice["amount_due"]
        invoice["amount_remaining"] = 0
        invoice["status_transitions"]["paid_at"] = int(time.time())
        self._event("invoice.paid", invoice)

    # What happens at Stripe without us asking ---------------------------------------------

    def transfer_received(self, invoice_id: str) -> dict:
        """The town's bank transfer reached its virtual IBAN and settled the invoice."""
        with self._lock:
            invoice = self._get(self.invoices, invoice_id, "invoice")
            self._paid(invoice, out_of_band=False)
            return copy.deepcopy(invoice)

    def subscription_renew(self, subscription_id: str) -> dict:
        """The period ended: a new year starts and its invoice is issued (finalised)."""
        with self._lock:
            subscription = self.subscriptions[subscription_id]
            lines = []
            for item_id in subscription["item_ids"]:
                item = self.items[item_id]
                start = item["current_period_end"]
                item["current_period_start"], item["current_period_end"] = (
                    start,
                    start + YEAR_SECONDS,
                )
                lines.append(
                    self._line(
                        subscription,
                        item,
                        amount=item["price"]["unit_amount"] * item["quantity"],
                        description=f"{item['quantity']} × {item['price']['nickname']}",
                        start=start,
                        end=start + YEAR_SECONDS,
                        proration=False,
                    )
                )
            self._event("customer.subscription.updated", self._subscription_view(subscription))
            invoice = self._invoice_new(subscription, lines, reason="subscription_cycle")
            self._finalize(invoice)
            return copy.deepcopy(invoice)

    def latest_invoice(self, subscription_id: str) -> dict:
        with self._lock:
            return copy.deepcopy(
                self.invoices[self.subscriptions[subscription_id]["latest_invoice"]]
            )

    def events_since(self, index: int) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self.events[index:])


def _error(message: str, error_type: str, code: str = "") -> dict:
    error = {"type": error_type, "message": message}
    if code:
        error["code"] = code
    return {"error": error}


class WebhookSender:
    """Delivers events to our webhook endpoint like Stripe does: the JSON body signed with the
    endpoint's secret, through the Django test client (raw body)."""

    def __init__(self, client, secret: str) -> None:
        self.client = client
        self.secret = secret

    def post(self, event: dict, *, signature: str | None = None, body: str | None = None):
        body = json.dumps(event) if body is None else body
        signature = webhook_signature(body, self.secret) if signature is None else signature
        return self.client.post(
            WEBHOOK_PATH,
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )

    def deliver(self, events: list[dict]) -> None:
        for event in events:
            response = self.post(event)
            assert response.status_code == 200, response.content
