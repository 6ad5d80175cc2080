"""docs/migrating.md cannot drift: each stripe-python snippet runs with stripe-python 16.1.0 and each
stripe-connect snippet with this library, column by column in one namespace, both sending to Steady.

Both SDKs send through the same test transport: it sends api.stripe.com to Steady, records every request,
declines a charge paid with `tok_chargeDeclined` as Stripe's test mode does (Steady knows no tokens), and
gives lists the `url` Stripe gives them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from stripe_connect import BaseStripeClient
from stripe_connect.testing import SteadyServer, generate_test_header
from tests.support.objects import CHARGE, stripe_event

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "migrating.md"
BLOCK = re.compile(r"^```python (stripe-python|stripe-connect)\n(.*?)^```", re.DOTALL | re.MULTILINE)
SECRET = "whsec_test_migrating"
DECLINE = {
    "error": {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "generic_decline",
        "message": "Your card was declined.",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
    }
}


class ToSteady(httpx.BaseTransport):
    def __init__(self, steady: str) -> None:
        self.steady = httpx.URL(steady)
        self.inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []
        self.valid: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.url.host != "api.stripe.com":
            raise AssertionError(f"a snippet called {request.url.host}")
        body = parse_qs(request.read().decode())
        if request.url.path == "/v1/charges" and body.get("source") == ["tok_chargeDeclined"]:
            self.valid.append("declined")
            return httpx.Response(402, json=DECLINE, headers={"Request-Id": "req_declined"})
        request.url = request.url.copy_with(scheme=self.steady.scheme, host=self.steady.host, port=self.steady.port)
        response = self.inner.handle_request(request)
        self.valid.append(response.headers.get("x-steady-request-valid"))
        response.read()
        body = response.json()
        if isinstance(body, dict) and body.get("object") == "list":
            # Steady fills a list's `url` with random text; Stripe sends the list's path, which stripe-python
            # pages with (stripe-connect pages with the path it called).
            body["url"] = request.url.path
        # ... and Stripe names every response with a request id, which Steady does not.
        return httpx.Response(response.status_code, json=body, headers={"Request-Id": f"req_{len(self.sent)}"})


def blocks(text: str, column: str) -> Iterator[tuple[int, str]]:
    for match in BLOCK.finditer(text):
        if match.group(1) == column:
            yield text.count("\n", 0, match.start()) + 2, match.group(2)


def run_column(column: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    text = GUIDE.read_text()
    found = list(blocks(text, column))
    assert len(found) == 9, f"{column}: {len(found)} snippets"
    for line, code in found:
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{GUIDE}:{line}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"the {column} snippet at docs/migrating.md line {line} failed: {exc!r}") from exc
    return out.getvalue()


def webhook() -> dict[str, Any]:
    event = stripe_event(CHARGE, pending_webhooks=0, request={"id": None, "idempotency_key": None})
    payload = json.dumps(event)
    return {"payload": payload, "sig_header": generate_test_header(payload, SECRET), "endpoint_secret": SECRET}


@pytest.fixture
def stripe_python(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    stripe = pytest.importorskip("stripe")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # where stripe-python keeps its telemetry id
    monkeypatch.setattr(stripe, "app_info", None)
    return stripe


def check_common(transport: ToSteady, namespace: dict[str, Any]) -> None:
    assert all(v in ("true", "declined") for v in transport.valid), transport.valid
    created = [r for r in transport.sent if r.method == "POST" and r.url.path == "/v1/customers"]
    assert [(r.headers["stripe-account"], r.headers["idempotency-key"]) for r in created] == [
        ("acct_1ShopOwner", "order-42")
    ]
    assert any(
        r.url.path == "/v1/balance" and r.headers.get("stripe-account") == "acct_1ShopOwner" for r in transport.sent
    )
    assert namespace["declined"] == (402, "card_declined", "generic_decline", "req_declined")
    # the requests after the app_info row name the platform
    assert transport.sent[-1].headers["user-agent"].endswith(" MyPlatform/1.2.3 (https://myplatform.example)")
    assert json.loads(transport.sent[-1].headers["x-stripe-client-user-agent"])["application"] == {
        "name": "MyPlatform",
        "partner_id": "pp_partner_123",
        "url": "https://myplatform.example",
        "version": "1.2.3",
    }
    assert namespace["charge"].id


@pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")  # stripe-python's use of httpx
def test_the_stripe_python_column_runs_with_stripe_python(
    steady: SteadyServer, stripe_python: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stripe._stripe_client as stripe_client
    from stripe._http_client import HTTPXClient

    transport = ToSteady(steady.url)

    def http_client(*_args: object, **_kwargs: object) -> HTTPXClient:
        client = HTTPXClient(allow_sync_methods=True)
        client._client = httpx.Client(transport=transport)
        return client

    monkeypatch.setattr(stripe_client, "new_default_http_client", http_client)
    namespace: dict[str, Any] = {"__name__": "migrating_left", **webhook()}
    printed = run_column("stripe-python", namespace)
    check_common(transport, namespace)
    assert "MyPlatform" not in printed and printed.count("\n") >= 7


def test_the_stripe_connect_column_runs(steady: SteadyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    transport = ToSteady(steady.url)
    monkeypatch.setattr(BaseStripeClient, "_new_http_client", lambda _self: httpx.Client(transport=transport))
    namespace: dict[str, Any] = {"__name__": "migrating_right", **webhook()}
    printed = run_column("stripe-connect", namespace)
    check_common(transport, namespace)
    # last_response: the account, key, attempts and time of the retrieve (the platform, a GET: no key)
    assert re.search(r"^None None 1 \d+\.\d+(e-\d+)?$", printed, re.MULTILINE), printed
    assert "charge" in printed.splitlines()[-1]  # deserialize: the model's object


def test_the_readme_links_the_guide() -> None:
    assert "docs/migrating.md" in (GUIDE.parent.parent / "README.md").read_text()
