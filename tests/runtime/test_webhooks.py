"""Webhooks: `Stripe-Signature` verification (every way it can fail, each with its reason), and events whose
`data.object` is the model its `object` field names, for the platform and for connected accounts."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.events import constants, event_types
from codegen.generate import build_api
from codegen.models import GenerationError
from stripe_connect import (
    AsyncStripeClient,
    SignatureVerificationError,
    StripeClient,
    StripeError,
    StripeModel,
    StripeObject,
)
from stripe_connect.events import CHARGE_SUCCEEDED, EVENT_TYPES
from stripe_connect.models import (
    Account,
    AppsSecret,
    Charge,
    Customer,
    DeletedCustomer,
    Event,
    Invoice,
    PaymentIntent,
)
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import compute_signature, construct_event, verify_header
from tests.support.objects import charge, stripe_event

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_test_secret_0123456789"
NOW = 1_700_000_000


def clock() -> float:
    return float(NOW)


CHARGE = charge(captured=True, amount_captured=100, created=NOW - 5)


def event_dict(obj: dict[str, Any], event_type: str = "charge.succeeded", **extra: Any) -> dict[str, Any]:
    return stripe_event(obj, event_type, created=NOW - 1, request={"id": "req_1", "idempotency_key": None}, **extra)


def payload_of(obj: dict[str, Any] = CHARGE, event_type: str = "charge.succeeded", **extra: Any) -> bytes:
    return json.dumps(event_dict(obj, event_type, **extra)).encode()


PAYLOAD = payload_of()


def signed(payload: bytes | str = PAYLOAD, timestamp: int = NOW, secret: str = SECRET) -> str:
    return generate_test_header(payload, secret, timestamp)


def rejected(header: str | None, payload: bytes | str = PAYLOAD, **kwargs: Any) -> SignatureVerificationError:
    with pytest.raises(SignatureVerificationError) as info:
        construct_event(payload, header, SECRET, now=clock, **kwargs)
    error = info.value
    assert SECRET not in str(error) and SECRET not in repr(error)
    assert error.sig_header == header
    return error


# --- verification -------------------------------------------------------------------------------------------------


def test_a_valid_header_gives_the_event() -> None:
    event = construct_event(PAYLOAD, signed(), SECRET, now=clock)
    assert isinstance(event, Event)
    assert (event.id, event.type) == ("evt_1", "charge.succeeded")
    assert event.to_dict() == json.loads(PAYLOAD)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    # Stripe's documented scheme, computed here independently of the library.
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + PAYLOAD, hashlib.sha256).hexdigest()
    assert compute_signature(PAYLOAD, SECRET, NOW) == expected
    assert signed() == f"t={NOW},v1={expected}"


def test_payload_may_be_text_or_bytes() -> None:
    text = PAYLOAD.decode()
    assert construct_event(text, signed(text), SECRET, now=clock).id == "evt_1"
    assert construct_event(PAYLOAD, signed(text), SECRET, now=clock).id == "evt_1"
    unicode_payload = payload_of({**CHARGE, "description": "café ☕"})
    assert construct_event(unicode_payload.decode(), signed(unicode_payload), SECRET, now=clock).id == "evt_1"


def test_a_tampered_body_is_rejected() -> None:
    tampered = PAYLOAD.replace(b'"amount": 100', b'"amount": 999')
    assert tampered != PAYLOAD
    error = rejected(signed(PAYLOAD), tampered)
    assert "No v1 signature in the Stripe-Signature header matches the payload (1 tried)" in str(error)
    assert "body was altered" in str(error)


def test_a_reserialized_body_is_rejected() -> None:
    # Frameworks that parse and re-dump JSON change the bytes: the raw body is what Stripe signed.
    reserialized = json.dumps(json.loads(PAYLOAD), separators=(",", ":")).encode()
    assert "matches the payload" in str(rejected(signed(PAYLOAD), reserialized))


def test_a_wrong_secret_is_rejected() -> None:
    error = rejected(signed(secret="whsec_someone_else"))
    assert "the endpoint secret is wrong" in str(error)
    assert "whsec_someone_else" not in str(error)


def test_an_expired_timestamp_is_rejected() -> None:
    error = rejected(signed(timestamp=NOW - 301))
    assert str(error) == (
        "Timestamp outside the tolerance zone: signed 301 s ago, tolerance 300 s (a replayed or long-delayed delivery)"
    )
    assert construct_event(PAYLOAD, signed(timestamp=NOW - 300), SECRET, now=clock).id == "evt_1"
    assert "signed 61 s ago, tolerance 60 s" in str(rejected(signed(timestamp=NOW - 61), tolerance=60))


def test_a_future_timestamp_is_rejected() -> None:
    error = rejected(signed(timestamp=NOW + 301))
    assert str(error) == (
        "Timestamp outside the tolerance zone: signed 301 s in the future, tolerance 300 s (check this server's clock)"
    )
    # Clock skew within the tolerance passes.
    assert construct_event(PAYLOAD, signed(timestamp=NOW + 300), SECRET, now=clock).id == "evt_1"


def test_tolerance_none_skips_the_time_check_but_not_the_signature() -> None:
    old = signed(timestamp=NOW - 86_400 * 365)
    assert construct_event(PAYLOAD, old, SECRET, None, now=clock).id == "evt_1"
    assert "matches the payload" in str(rejected(signed(secret="whsec_x", timestamp=1), tolerance=None))


def test_the_default_clock_is_real_time() -> None:
    # No `now`: the header made now verifies, one made an hour ago does not.
    assert construct_event(PAYLOAD, generate_test_header(PAYLOAD, SECRET), SECRET).id == "evt_1"
    import time

    with pytest.raises(SignatureVerificationError, match="s ago"):
        construct_event(PAYLOAD, generate_test_header(PAYLOAD, SECRET, int(time.time()) - 3600), SECRET)


def test_several_v1_signatures_with_one_valid() -> None:
    good = compute_signature(PAYLOAD, SECRET, NOW)
    bad = compute_signature(PAYLOAD, "whsec_old_secret", NOW)
    for signatures in ([bad, good], [good, bad], [bad, "00" * 32, good]):
        header = f"t={NOW}," + ",".join(f"v1={s}" for s in signatures)
        assert construct_event(PAYLOAD, header, SECRET, now=clock).id == "evt_1"
    error = rejected(f"t={NOW},v1={bad},v1={'00' * 32}")
    assert "(2 tried)" in str(error)


def test_other_schemes_are_ignored_beside_v1() -> None:
    header = f"t={NOW},v0={'ab' * 32},v1={compute_signature(PAYLOAD, SECRET, NOW)},v2=future"
    assert construct_event(PAYLOAD, header, SECRET, now=clock).id == "evt_1"


def test_surrounding_whitespace_is_tolerated() -> None:
    signature = compute_signature(PAYLOAD, SECRET, NOW)
    for header in (
        f"  t={NOW},v1={signature}\n",
        f"t={NOW} , v1={signature}",
        f"t = {NOW},\tv1 = {signature}",
        f"t={NOW},,v1={signature},",
    ):
        assert construct_event(PAYLOAD, header, SECRET, now=clock).id == "evt_1", header


@pytest.mark.parametrize("header", [None, "", "   ", "\r\n"])
def test_a_missing_header_is_rejected(header: str | None) -> None:
    assert str(rejected(header)) == "No Stripe-Signature header (was this request sent by Stripe?)"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("garbage", "Stripe-Signature header is garbled: 'garbage' is not a key=value pair"),
        (f"t={NOW};v1=abc", "Stripe-Signature header has a non-numeric timestamp"),
        ("=abc,t=1", "Stripe-Signature header is garbled: '=abc' is not a key=value pair"),
        (f"t={NOW},v1", "Stripe-Signature header is garbled: 'v1' is not a key=value pair"),
        ("Bearer sk_test_123", "is garbled"),
    ],
)
def test_a_garbled_header_is_rejected(header: str, reason: str) -> None:
    assert reason in str(rejected(header))


def test_a_header_without_timestamp_is_rejected() -> None:
    error = rejected(f"v1={compute_signature(PAYLOAD, SECRET, NOW)}")
    assert str(error) == "Stripe-Signature header has no timestamp (`t=...`)"
    assert "more than one timestamp" in str(rejected(f"t={NOW},t={NOW},v1=ab"))


@pytest.mark.parametrize("timestamp", ["abc", "12.5", "-300", "1e9", "", "١٢٣"])
def test_a_non_numeric_timestamp_is_rejected(timestamp: str) -> None:
    error = rejected(f"t={timestamp},v1={compute_signature(PAYLOAD, SECRET, NOW)}")
    assert "Stripe-Signature header has a non-numeric timestamp" in str(error)
    assert "(expected Unix seconds)" in str(error)


def test_a_header_without_v1_signature_is_rejected() -> None:
    assert str(rejected(f"t={NOW}")) == "Stripe-Signature header has no v1 signature; this library verifies v1 only"
    error = rejected(f"t={NOW},v0={'ab' * 32}")
    assert str(error) == "Stripe-Signature header has no v1 signature (it has only: v0); this library verifies v1 only"


@pytest.mark.parametrize("digits", [13, 400, 5000])  # 5000: past what int() converts at all
def test_an_absurd_timestamp_fails_cleanly(digits: int) -> None:
    header = f"t={'9' * digits},v1={'ab' * 32}"
    assert str(rejected(header)) == (
        f"Stripe-Signature header has an out-of-range timestamp ({digits} digits; expected Unix seconds)"
    )
    with pytest.raises(SignatureVerificationError, match="out-of-range"):
        verify_header(PAYLOAD, header, SECRET, None, now=clock)  # not even with the time check off


def test_the_longest_timestamp_accepted_still_verifies() -> None:
    stamp = 10**12 - 1
    header = f"t={stamp},v1={compute_signature(PAYLOAD, SECRET, stamp)}"
    assert verify_header(PAYLOAD, header, SECRET, None, now=clock) == stamp


def test_signature_errors_are_stripe_errors() -> None:
    assert issubclass(SignatureVerificationError, StripeError)


def test_bad_arguments_are_value_errors() -> None:
    for bad in (-1, float("nan"), float("inf"), "300"):
        with pytest.raises(ValueError, match="tolerance must be None or a finite number of seconds >= 0"):
            construct_event(PAYLOAD, signed(), SECRET, bad, now=clock)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the endpoint secret is empty"):
        construct_event(PAYLOAD, signed(), "", now=clock)


def test_a_signed_deeply_nested_payload_is_a_value_error_not_a_recursion_error() -> None:
    nested = b'{"object": "event", "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(ValueError, match="the webhook payload is not JSON: recursion limit exceeded"):
        construct_event(nested, signed(nested), SECRET, now=clock)


def test_a_verified_payload_that_is_not_an_event_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="the webhook payload is not JSON"):
        construct_event(b"<html>", signed(b"<html>"), SECRET, now=clock)
    body = json.dumps(CHARGE).encode()
    with pytest.raises(ValueError, match="not a Stripe event"):
        construct_event(body, signed(body), SECRET, now=clock)
    broken = json.dumps({**event_dict(CHARGE), "created": "yesterday"}).encode()
    with pytest.raises(ValueError, match="created"):
        construct_event(broken, signed(broken), SECRET, now=clock, strict=True)
    with pytest.raises(ValueError, match="created"):
        StripeClient("sk_test_123", strict=True).webhooks.construct_event(broken, signed(broken), SECRET, now=clock)
    assert construct_event(broken, signed(broken), SECRET, now=clock).created == "yesterday"  # lenient: kept


def test_verify_header_returns_the_timestamp_without_parsing() -> None:
    assert verify_header(b"not json at all", signed(b"not json at all"), SECRET, now=clock) == NOW


def test_both_clients_have_webhooks() -> None:
    for client in (StripeClient("sk_test_123"), AsyncStripeClient("sk_test_123")):
        event = client.webhooks.construct_event(PAYLOAD, signed(), SECRET, now=clock)
        assert isinstance(event.data.object, Charge)
        assert client.webhooks.verify_header(PAYLOAD, signed(), SECRET, now=clock) == NOW
        with pytest.raises(SignatureVerificationError, match="s ago"):
            client.webhooks.construct_event(PAYLOAD, signed(timestamp=NOW - 1000), SECRET, now=clock)
        with pytest.raises(SignatureVerificationError, match="matches the payload"):
            client.webhooks.construct_event(PAYLOAD, signed(), "whsec_other", 10**9)


def test_verifying_does_not_import_pydantic() -> None:
    # The webhook path stays as light as the client path: pydantic loads only to parse the event.
    code = (
        "import sys, stripe_connect\n"
        "from stripe_connect.testing import generate_test_header\n"
        "client = stripe_connect.StripeClient('sk_test_123')\n"
        "header = generate_test_header(b'{}', 'whsec_1')\n"
        "assert client.webhooks.verify_header(b'{}', header, 'whsec_1') > 0\n"
        "assert 'pydantic' not in sys.modules, 'verification imported pydantic'\n"
        "client.webhooks.construct_event(sys.argv[1], generate_test_header(sys.argv[1], 'whsec_1'), 'whsec_1')\n"
        "assert 'pydantic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code, PAYLOAD.decode()], check=True, cwd=ROOT)


# --- typed events -------------------------------------------------------------------------------------------------


def construct(obj: dict[str, Any], event_type: str = "charge.succeeded", **extra: Any) -> Event:
    payload = payload_of(obj, event_type, **extra)
    event = construct_event(payload, signed(payload), SECRET, now=clock)
    assert event.to_dict() == json.loads(payload), "the event does not dump back to what was received"
    return event


def test_data_object_is_typed_by_its_object_field() -> None:
    event = construct(CHARGE)
    charge = event.data.object
    assert isinstance(charge, Charge)
    assert (charge.id, charge.amount, charge.status) == ("ch_1", 100, "succeeded")


def test_a_deleted_object_is_its_deleted_model() -> None:
    event = construct({"id": "cus_1", "object": "customer", "deleted": True}, "customer.deleted")
    assert isinstance(event.data.object, DeletedCustomer)
    assert event.data.object.deleted is True


def test_apps_secret_with_a_deleted_flag_is_an_apps_secret() -> None:
    # apps.secret has a boolean `deleted` flag but no Deleted model: it stays an AppsSecret either way.
    secret = {
        "id": "appsecret_1",
        "object": "apps.secret",
        "created": 1,
        "livemode": False,
        "name": "token",
        "scope": {"type": "account"},
    }
    for deleted in (False, True):
        event = construct({**secret, "deleted": deleted}, "account.updated")
        assert isinstance(event.data.object, AppsSecret), deleted


def test_an_unknown_object_type_keeps_every_field() -> None:
    widget = {"id": "wdg_1", "object": "widget", "size": 3, "parts": [{"a": 1}], "nested": {"b": None}}
    event = construct(widget, "widget.created")
    obj = event.data.object
    assert type(obj) is StripeObject
    assert (obj.id, obj.object) == ("wdg_1", "widget")
    assert obj.to_dict() == widget
    assert event.type == "widget.created"  # an event type newer than this SDK validates too


def test_an_object_without_object_field_is_a_stripe_object() -> None:
    assert type(construct({"anything": 1}).data.object) is StripeObject


def test_an_invalid_known_object_names_the_field_when_strict() -> None:
    payload = payload_of({**CHARGE, "amount": "lots"})
    with pytest.raises(ValueError, match=r"data\.object\.amount"):
        construct_event(payload, signed(payload), SECRET, now=clock, strict=True)


def test_previous_attributes_stay_a_dict() -> None:
    payload = json.loads(payload_of(CHARGE, "charge.updated"))
    payload["data"]["previous_attributes"] = {"amount": 50, "metadata": {"a": "b"}}
    body = json.dumps(payload).encode()
    event = construct_event(body, signed(body), SECRET, now=clock)
    assert event.data.previous_attributes == {"amount": 50, "metadata": {"a": "b"}}


def test_event_account_names_the_connected_account() -> None:
    connect = construct(CHARGE, account="acct_1Connected")
    assert connect.account == "acct_1Connected"
    platform = construct(CHARGE)
    assert platform.account is None


def test_objects_from_the_mock_server_embed_and_parse(steady_client: StripeClient) -> None:
    """Whatever schema-valid objects Steady makes, an event carrying them parses into their models."""
    objects = {
        Charge: steady_client.charges.retrieve("ch_1"),
        Customer: steady_client.customers.create(email="a@example.com"),
        DeletedCustomer: steady_client.customers.delete("cus_1"),
        PaymentIntent: steady_client.payment_intents.retrieve("pi_1"),
        Invoice: steady_client.invoices.retrieve("in_1"),
        Account: steady_client.accounts.retrieve("acct_1"),
    }
    for model, obj in objects.items():
        assert isinstance(obj, model)
        event = construct(obj.to_dict(), "account.updated", account="acct_1Connected")
        assert type(event.data.object) is model
        assert event.data.object.to_dict() == obj.to_dict()
        assert event.account == "acct_1Connected"


def test_events_from_the_api_are_typed_too(steady_client: StripeClient) -> None:
    page = steady_client.events.list(limit=2, type=CHARGE_SUCCEEDED)
    for event in page.data:
        assert isinstance(event, Event)
        assert isinstance(event.data.object, StripeModel)  # a model chosen by `object`, StripeObject when unknown


# --- event types --------------------------------------------------------------------------------------------------


def test_event_types_are_the_ones_the_spec_documents(spec: dict[str, Any]) -> None:
    content = spec["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
    body = content["application/x-www-form-urlencoded"]["schema"]
    documented = set(body["properties"]["enabled_events"]["items"]["enum"])
    assert set(EVENT_TYPES) == documented - {"*"} == set(event_types(spec))
    assert {"charge.succeeded", "account.updated", "customer.subscription.deleted"} <= EVENT_TYPES
    assert CHARGE_SUCCEEDED == "charge.succeeded"


def test_event_types_are_typed_for_pyright() -> None:
    source = """
from stripe_connect import EventType, StripeClient
from stripe_connect.events import CHARGE_SUCCEEDED, CUSTOMER_SUBSCRIPTION_DELETED
from stripe_connect.models import Charge

client = StripeClient("sk_test_123")
event = client.webhooks.construct_event(b"", "", "whsec_1")
reveal_type(event.type)
reveal_type(CUSTOMER_SUBSCRIPTION_DELETED)
obj = event.data.object
if isinstance(obj, Charge):
    reveal_type(obj.amount)
ok: EventType = CHARGE_SUCCEEDED
bad: EventType = "charge.nonsense"
"""
    target = ROOT / "build" / "typecheck" / "webhook_usage.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(target)], cwd=ROOT, capture_output=True, text=True
    )
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    lines = source.splitlines()
    by_line = {d["range"]["start"]["line"]: d for d in diagnostics}
    revealed = {lines[i].strip(): d["message"] for i, d in by_line.items() if d["severity"] == "information"}
    assert "'charge.succeeded'" in revealed["reveal_type(event.type)"]
    assert "'customer.subscription.deleted'" in revealed["reveal_type(event.type)"]
    constant = revealed["reveal_type(CUSTOMER_SUBSCRIPTION_DELETED)"]
    assert constant.endswith("\"Literal['customer.subscription.deleted']\"")
    assert revealed["reveal_type(obj.amount)"].endswith('"int"')
    errors = {lines[i].strip(): d["message"] for i, d in by_line.items() if d["severity"] == "error"}
    assert list(errors) == ['bad: EventType = "charge.nonsense"'], errors


def test_the_codegen_special_cases_are_left_out_with_a_warning_when_stale(spec: dict[str, Any]) -> None:
    changed = copy.deepcopy(spec)
    changed["components"]["schemas"]["event"]["properties"]["type"]["enum"] = ["charge.succeeded"]
    api = build_api(changed)
    [warning] = api.warnings
    assert re.match(r"stale special case .* event\.type is no longer a plain 'string'", warning)
    event = next(m for m in api.models if m.name == "Event").classes[-1]
    assert next(f.type for f in event.fields if f.name == "type") == "OpenEnum[Literal['charge.succeeded']]"
    changed = copy.deepcopy(spec)
    del changed["components"]["schemas"]["notification_event_data"]["properties"]["object"]
    [warning] = build_api(changed).warnings
    assert re.match(r"stale special case .* notification_event_data\.object", warning)


def test_event_types_must_be_documented_and_distinct(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    body = broken["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
    del body["application/x-www-form-urlencoded"]["schema"]["properties"]["enabled_events"]
    with pytest.raises(GenerationError, match="no event types"):
        build_api(broken)
    # Two types that would share a constant each get their own.
    assert constants(["a.b_c", "a_b.c"]) == [("A_B_C", "a.b_c"), ("A_B_C2", "a_b.c")]
