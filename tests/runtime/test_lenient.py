"""Lenient by default, strict on request: what a response or an event looks like when it departs from the models.

A payload that lacks a required field, carries a null or a value of another type still comes back as its typed
model: what fits is typed, the rest kept as sent and dumped back unchanged, each deviation logged once per
(model, field) naming the API version asked for. `strict=True` (client, call or `construct_event`) raises.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from codegen.services import RESERVED
from stripe_connect import APIError, AsyncStripeClient, ListObject, SearchResult, StripeClient, StripeObject
from stripe_connect import _lenient as lenient
from stripe_connect._options import REQUEST_OPTION_NAMES
from stripe_connect.models import (
    BillingDetails,
    Charge,
    OutboundPaymentsPaymentMethodDetails,
    PaymentMethodDetailsCardPresent,
    PaymentMethodDetailsCardPresentReceipt,
    Refund,
    TreasuryOutboundPayment,
)
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import construct_event
from tests.runtime.test_model_roundtrip import strategies
from tests.support.objects import CARD_PRESENT_DETAILS, CHARGE, charge, stripe_event

Reply = Callable[[httpx.Request], httpx.Response]
SECRET = "whsec_lenient"


@pytest.fixture(autouse=True)
def fresh_deviation_log() -> Iterator[None]:
    """Deviations are logged once per process; each test starts as a fresh process would."""
    lenient._reported.clear()
    yield
    lenient._reported.clear()


def client_answering(*bodies: Any, **options: Any) -> tuple[StripeClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    replies = iter(bodies)

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=next(replies))

    http = httpx.Client(transport=httpx.MockTransport(reply))
    return StripeClient("sk_test_123", http_client=http, max_retries=0, **options), seen


def without(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in keys}


DRIFTED = {
    **without(CHARGE, "paid"),  # a required field gone
    "amount": "100",  # a string where a number was
    "captured": None,  # null where the schema says non-null
    "billing_details": {**CHARGE["billing_details"], "email": {"primary": "j@example.com"}},  # retyped, nested
    "renamed_field": 1,  # unknown (a rename's new name)
}


def test_a_drifted_response_is_the_typed_model_with_what_does_not_fit_kept_as_sent() -> None:
    client, _ = client_answering(DRIFTED)
    charge = client.charges.retrieve("ch_1")
    assert type(charge) is Charge
    assert type(charge.billing_details) is BillingDetails  # typed below the drift, too
    assert charge.id == "ch_1" and charge.created == 1 and charge.status == "succeeded"
    assert charge.amount == "100" and charge.captured is None  # kept as sent: not coerced, not dropped
    assert charge.billing_details.email == {"primary": "j@example.com"}
    assert charge.model_extra == {"renamed_field": 1}
    assert charge.last_response is not None and charge.last_response.status_code == 200
    assert charge.to_dict() == DRIFTED
    assert charge.model_dump(mode="json", exclude_unset=True) == DRIFTED
    assert json.loads(charge.model_dump_json(exclude_unset=True)) == DRIFTED


def test_an_absent_required_field_raises_attribute_error_naming_it() -> None:
    client, _ = client_answering(DRIFTED)
    charge = client.charges.retrieve("ch_1")
    assert "paid" not in charge.model_fields_set and not hasattr(charge, "paid")
    assert getattr(charge, "paid", None) is None
    with pytest.raises(AttributeError, match=r"Charge\.paid is absent: the object Stripe sent has no 'paid'"):
        _ = charge.paid
    with pytest.raises(AttributeError, match="has no attribute 'nonexistent'"):  # not a field: pydantic's error
        _ = charge.nonexistent  # type: ignore[attr-defined]


def test_dumping_kept_values_warns_about_nothing() -> None:
    client, _ = client_answering(DRIFTED)
    charge = client.charges.retrieve("ch_1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic's serializer warns of values that do not fit their field
        charge.to_dict()
        charge.model_dump()
        charge.model_dump_json()
    with pytest.warns(UserWarning, match="serialized value may not be as expected"):
        charge.model_dump(warnings=True)  # asked for explicitly


def test_each_deviation_is_logged_once_per_model_and_field_with_the_version_asked_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, _ = client_answering(DRIFTED, DRIFTED, {**DRIFTED, "amount": "200"})
    caplog.set_level(logging.WARNING, logger="stripe_connect")
    client.charges.retrieve("ch_1", stripe_version="2030-01-01")
    client.charges.retrieve("ch_1", stripe_version="2030-01-01")
    client.charges.retrieve("ch_1")
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(messages) == 4, messages  # amount, captured, billing_details.email, paid: once each
    by_field = {m.split(" ", 1)[0]: m for m in messages}
    assert set(by_field) == {"Charge.amount", "Charge.captured", "BillingDetails.email", "Charge.paid"}
    assert "(at billing_details.email)" in by_field["BillingDetails.email"]
    assert "a string where the models expect int; kept as sent" in by_field["Charge.amount"]
    assert "null where the models expect bool" in by_field["Charge.captured"]
    assert "missing though required; left absent" in by_field["Charge.paid"]
    assert all("API version asked for: 2030-01-01" in m for m in messages)


def test_strict_raises_as_an_api_error_on_the_client_or_the_call() -> None:
    strict, _ = client_answering(DRIFTED, DRIFTED)
    with pytest.raises(APIError, match=r"not a valid Charge \(HTTP 200\)"):
        strict.charges.retrieve("ch_1", strict=True)
    assert type(strict.charges.retrieve("ch_1", strict=False)) is Charge

    client, _ = client_answering(DRIFTED, DRIFTED, DRIFTED, **{"strict": True})
    with pytest.raises(APIError, match=r"not a valid Charge \(HTTP 200\)"):
        client.charges.retrieve("ch_1")
    with pytest.raises(APIError):
        client.with_options(max_retries=1).charges.retrieve("ch_1")  # derived clients keep it
    assert type(client.charges.retrieve("ch_1", strict=False)) is Charge  # the call's say wins
    assert client.with_options(strict=False).options.strict is False


def test_strict_is_a_boolean() -> None:
    with pytest.raises(ValueError, match="strict must be True or False"):
        StripeClient("sk_test_123", strict="yes")  # type: ignore[arg-type]
    client, _ = client_answering(CHARGE)
    with pytest.raises(ValueError, match="strict must be True or False"):
        client.charges.retrieve("ch_1", strict=1)  # type: ignore[typeddict-item]


def test_no_spec_parameter_may_take_a_request_option_name() -> None:
    assert REQUEST_OPTION_NAMES <= RESERVED


def test_a_drifted_item_leaves_the_page_typed_and_paging() -> None:
    first = {
        "object": "list",
        "data": [charge(id="ch_1"), {**DRIFTED, "id": "ch_2"}],
        "has_more": True,
        "url": "/v1/charges",
    }
    second = {"object": "list", "data": [charge(id="ch_3", amount=None)], "has_more": False, "url": "/v1/charges"}
    client, seen = client_answering(first, second)
    page = client.charges.list(limit=2)
    assert type(page) is ListObject[Charge]
    assert [type(c) for c in page.data] == [Charge, Charge]
    assert page.data[0].amount == 100 and page.data[1].amount == "100"
    assert page.to_dict() == first
    assert [c.id for c in page.auto_paging_iter()] == ["ch_1", "ch_2", "ch_3"]
    assert "starting_after=ch_2" in str(seen[1].url)


def test_a_search_page_and_a_page_missing_its_fields() -> None:
    body = {"object": "search_result", "data": [{**DRIFTED, "id": "ch_9"}], "url": "/v1/charges/search"}  # no has_more
    client, _ = client_answering(body)
    page = client.charges.search(query="amount>1")
    assert type(page) is SearchResult[Charge] and type(page.data[0]) is Charge
    assert page.to_dict() == body


def test_nested_lists_and_unknown_or_retyped_objects_in_expandable_fields() -> None:
    refunds = {
        "object": "list",
        "data": [{"id": "re_1", "object": "refund", "amount": "5"}],
        "has_more": False,
        "url": "/x",
    }
    body = charge(
        refunds=refunds,  # a refund lacking most of its required fields, and a retyped amount
        customer={"id": "thing_1", "object": "brand_new_object"},  # an unknown type where a customer was
        balance_transaction=12345,  # neither an id nor an object
    )
    client, _ = client_answering(body)
    result = client.charges.retrieve("ch_1")
    assert type(result.refunds) is ListObject[Refund] and type(result.refunds.data[0]) is Refund
    assert result.refunds.data[0].amount == "5"
    assert type(result.customer) is StripeObject
    assert result.balance_transaction == 12345
    assert result.to_dict() == body


def test_a_body_that_is_no_object_at_all_is_still_an_error() -> None:
    client, _ = client_answering(["not", "a", "charge"])
    with pytest.raises(APIError, match=r"not a valid Charge \(HTTP 200\): body: Input should be an object"):
        client.charges.retrieve("ch_1")


def test_async_clients_parse_alike() -> None:
    def reply(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=DRIFTED)

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(reply))
        async with AsyncStripeClient("sk_test_123", http_client=http) as client:
            charge = await client.charges.retrieve("ch_1")
            assert type(charge) is Charge and charge.to_dict() == DRIFTED
            with pytest.raises(APIError):
                await client.charges.retrieve("ch_1", strict=True)
            with pytest.raises(APIError):
                await client.with_options(strict=True).charges.retrieve("ch_1")

    asyncio.run(main())


# --- events ----------------------------------------------------------------------------------------------------------


def event_payload(obj: Any, **data: Any) -> bytes:
    body = stripe_event(obj, "charge.updated", api_version="2031-02-03", request={"id": None, "idempotency_key": None})
    body["data"].update(data)
    return json.dumps(body).encode()


def test_a_drifted_event_reaches_the_handler_typed(caplog: pytest.LogCaptureFixture) -> None:
    payload = event_payload(DRIFTED, previous_attributes=["not", "an", "object"])
    header = generate_test_header(payload, SECRET)
    caplog.set_level(logging.WARNING, logger="stripe_connect")
    event = StripeClient("sk_test_123").webhooks.construct_event(payload, header, SECRET)
    assert type(event.data.object) is Charge and event.data.object.amount == "100"
    assert event.data.previous_attributes == ["not", "an", "object"]
    assert event.to_dict() == json.loads(payload)
    assert "(at data.object.amount)" in caplog.text and "API version asked for: 2031-02-03" in caplog.text
    with pytest.raises(ValueError, match=r"data\.object\.amount"):
        construct_event(payload, header, SECRET, strict=True)
    with pytest.raises(ValueError, match=r"previous_attributes"):
        StripeClient("sk_test_123", strict=True).webhooks.construct_event(payload, header, SECRET)


def test_drift_inside_a_deferred_field_is_kept_typed_and_reported(caplog: pytest.LogCaptureFixture) -> None:
    # payment_method_details.card_present is deferred (its model built when one first arrives): drift in it is
    # read exactly as drift in an inline field, down to its own nested models.
    present = {**CARD_PRESENT_DETAILS["card_present"], "brand": 7, "exp_month": "August"}
    present["receipt"] = {**present["receipt"], "account_type": ["credit"]}
    del present["exp_year"]
    drifted = {**CHARGE, "payment_method_details": {**CARD_PRESENT_DETAILS, "card_present": present}}
    payload = event_payload(drifted)
    header = generate_test_header(payload, SECRET)
    caplog.set_level(logging.WARNING, logger="stripe_connect")
    event = construct_event(payload, header, SECRET)
    charge = event.data.object
    assert type(charge) is Charge and charge.payment_method_details is not None
    parsed = charge.payment_method_details.card_present
    assert type(parsed) is PaymentMethodDetailsCardPresent
    assert type(parsed.receipt) is PaymentMethodDetailsCardPresentReceipt
    assert parsed.brand == 7 and parsed.exp_month == "August" and parsed.receipt.account_type == ["credit"]
    assert "exp_year" not in parsed.model_fields_set
    assert event.to_dict() == json.loads(payload)
    for at in ("brand", "exp_month", "receipt.account_type", "exp_year"):
        assert f"(at data.object.payment_method_details.card_present.{at})" in caplog.text
    with pytest.raises(ValueError, match=r"data\.object\.payment_method_details\.card_present\.brand"):
        construct_event(payload, header, SECRET, strict=True)
    client, _ = client_answering(drifted, drifted, **{"strict": True})
    with pytest.raises(APIError, match=r"not a valid Charge \(HTTP 200\)"):
        client.charges.retrieve("ch_1")
    assert client.charges.retrieve("ch_1", strict=False).to_dict() == drifted


@settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
@given(
    outbound=strategies()
    .for_schema("treasury.outbound_payment")
    .filter(lambda o: isinstance(o.get("destination_payment_method_details"), dict))
)
def test_an_outbound_payment_lacking_billing_details_arrives_in_a_signed_event(outbound: dict[str, Any]) -> None:
    # Stripe's own example of a treasury.outbound_payment (fixtures of the pinned commit) lacks
    # destination_payment_method_details.billing_details, which the schema requires.
    example = copy.deepcopy(outbound)
    del example["destination_payment_method_details"]["billing_details"]
    payload = event_payload(example)
    header = generate_test_header(payload, SECRET)
    event = construct_event(payload, header, SECRET)
    payment = event.data.object
    assert type(payment) is TreasuryOutboundPayment
    details = payment.destination_payment_method_details
    assert type(details) is OutboundPaymentsPaymentMethodDetails
    assert "billing_details" not in details.model_fields_set
    assert details.type == example["destination_payment_method_details"]["type"]
    assert event.to_dict() == json.loads(payload)
    with pytest.raises(ValueError, match=r"destination_payment_method_details\.billing_details"):
        construct_event(payload, header, SECRET, strict=True)


def test_raw_request_cast_to_and_deserialize_parse_alike() -> None:
    client, _ = client_answering(DRIFTED, DRIFTED)
    cast = client.raw_request("get", "/v1/charges/ch_1", cast_to=Charge)
    assert type(cast) is Charge and cast.to_dict() == DRIFTED
    with pytest.raises(APIError, match=r"not a valid Charge \(HTTP 200\)"):
        client.raw_request("get", "/v1/charges/ch_1", cast_to=Charge, strict=True)
    restored = client.deserialize(DRIFTED)
    assert type(restored) is Charge and restored.to_dict() == DRIFTED
    with pytest.raises(ValueError, match="amount"):
        StripeClient("sk_test_123", strict=True).deserialize(DRIFTED)


def test_dict_style_access_treats_an_absent_required_field_as_absent() -> None:
    client, _ = client_answering(DRIFTED)
    charge = client.charges.retrieve("ch_1")
    assert "paid" not in charge and charge.get("paid", "unset") == "unset"
    with pytest.raises(KeyError):
        charge["paid"]
    assert charge["amount"] == "100"
