"""A fresh process pays for what it uses: verifying and parsing a webhook imports no HTTP stack nor what only
clients use, and loads the models the payload holds rather than every kind its type could hold; a sync client's
first calls import neither lenient rebuilding nor the async pages; nested models parse into their classes,
name the path of an error, and parse alike from threads in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from bench.bodies import BodyBuilder
from stripe_connect.models import Charge, PaymentMethodDetailsCard
from tests.support.objects import CARD_DETAILS, CARD_PRESENT_DETAILS, CHARGE, stripe_event
from tests.support.webhook_probe import UNUSED_BY_WEBHOOKS, fresh_parse

# Model modules a fresh process loads to parse the benchmark's `charge.succeeded` event (bench/server.py: a
# charge with every field filled, its payment method details a card): 25 measured, where building every kind
# of payment method details, wallet and the like that a charge's type can hold loads 72.
FIRST_PARSE_MODELS = 30


@pytest.fixture(scope="module")
def charge_event() -> dict[str, Any]:
    """A `charge.succeeded` event verified and parsed by a fresh interpreter."""
    return fresh_parse(stripe_event(CHARGE))


def test_verifying_and_parsing_a_webhook_imports_no_http_stack(charge_event: dict[str, Any]) -> None:
    assert charge_event["amount"] == CHARGE["amount"] and charge_event["type"] == "Charge"
    assert charge_event["http"] == []


def test_verifying_and_parsing_a_webhook_imports_only_what_it_uses(charge_event: dict[str, Any]) -> None:
    assert charge_event["type"] == "Charge"
    assert [m for m in UNUSED_BY_WEBHOOKS if m in charge_event["modules"]] == []


# A fresh interpreter's sync client retrieves a charge and lists charges (argv: the two bodies), then prints
# what it loaded.
CALLS = """
import json, sys
import httpx
from stripe_connect import StripeClient

bodies = {"/v1/charges/ch_1": sys.argv[1], "/v1/charges": sys.argv[2]}
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, text=bodies[request.url.path])))
client = StripeClient("sk_test_123", http_client=http)
charge, page = client.charges.retrieve("ch_1"), client.charges.list()
print(json.dumps({"types": [type(charge).__name__, type(page).__name__], "modules": sorted(sys.modules)}))
"""
# What a sync client's calls do not use while their responses fit the models: lenient rebuilding, and the pages
# of an async client (~2.5 ms to define).
UNUSED_BY_SYNC_CALLS = ("stripe_connect._lenient", "stripe_connect._async_pagination")


def test_a_sync_clients_first_calls_import_only_what_they_use() -> None:
    page = {"object": "list", "data": [CHARGE], "has_more": False, "url": "/v1/charges"}
    out = subprocess.run(
        [sys.executable, "-c", CALLS, json.dumps(CHARGE), json.dumps(page)], capture_output=True, text=True, check=True
    )
    loaded = json.loads(out.stdout)
    assert loaded["types"] == ["Charge", "ListObject[Charge]"]
    assert [m for m in UNUSED_BY_SYNC_CALLS if m in loaded["modules"]] == []


def test_the_first_parse_loads_the_models_the_payload_holds_not_every_kind(spec: dict[str, Any]) -> None:
    builder = BodyBuilder(spec)
    charge = builder.build("charge", status="succeeded", paid=True)
    parsed = fresh_parse(builder.build("event", type="charge.succeeded", data={"object": charge}))
    assert parsed["type"] == "Charge" and parsed["kind"] == "PaymentMethodDetailsCard"
    assert "payment_method_details_card" in parsed["models"]
    assert "payment_method_details_sepa_debit" not in parsed["models"]  # a kind the payload does not hold
    assert len(parsed["models"]) <= FIRST_PARSE_MODELS, parsed["models"]


def test_nested_models_parse_into_their_classes_and_dump_as_received() -> None:
    body = {**CHARGE, "payment_method_details": CARD_DETAILS}
    charge = Charge.model_validate(body)
    details = charge.payment_method_details
    assert details is not None and isinstance(details.card, PaymentMethodDetailsCard)
    assert details.card.checks is not None and details.card.checks.cvc_check == "pass"
    assert charge.to_dict() == body


def test_errors_in_nested_models_name_their_path() -> None:
    details = {**CARD_DETAILS, "card": {**CARD_DETAILS["card"], "exp_month": "August"}}
    with pytest.raises(ValidationError) as info:
        Charge.model_validate({**CHARGE, "payment_method_details": details})
    [error] = info.value.errors()
    assert error["loc"] == ("payment_method_details", "card", "exp_month")


@pytest.mark.parametrize(
    ("details", "kind"),
    [(CARD_DETAILS, "PaymentMethodDetailsCard"), (CARD_PRESENT_DETAILS, "PaymentMethodDetailsCardPresent")],
    ids=["inline card", "deferred card_present"],
)
def test_threads_parsing_their_first_payloads_at_once_all_get_typed_results(details: dict[str, Any], kind: str) -> None:
    code = """
import json, sys, threading
from stripe_connect.models import Charge
body = json.loads(sys.argv[1])
results, start = [], threading.Barrier(8)
def parse():
    start.wait()
    details = Charge.model_validate(body).payment_method_details
    results.append(type(getattr(details, details.type)).__name__)
threads = [threading.Thread(target=parse) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps(results))
"""
    body = json.dumps({**CHARGE, "payment_method_details": details})
    out = subprocess.run([sys.executable, "-c", code, body], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [kind] * 8
