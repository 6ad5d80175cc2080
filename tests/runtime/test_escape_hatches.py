"""Typed ways out: `raw_request(..., cast_to=Model)`, `client.deserialize(data)`, and read-only dict-style
access on models (`obj["field"]`, `obj.get("field")`) for code ported from stripe-python."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pydantic import Field

from stripe_connect import APIError, ListObject, StripeClient, StripeModel, StripeObject
from stripe_connect.models import Charge, DeletedCustomer, Event
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply
from tests.support.objects import CHARGE, charge, stripe_event


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url) as client:
        yield client


def test_raw_request_cast_to_a_model(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, charge(future_field={"a": 1})))
    got = client.raw_request("get", "/v1/charges/ch_1", cast_to=Charge)
    assert isinstance(got, Charge) and got.amount == 100
    assert got.model_extra == {"future_field": {"a": 1}}  # unknown fields kept, as in every response
    fault.script(Reply(200, {"object": "list", "data": [CHARGE], "has_more": False}))
    page = client.raw_request("get", "/v1/charges", {"limit": 1}, cast_to=ListObject[Charge])
    assert isinstance(page.data[0], Charge)


def test_raw_request_cast_to_refuses_a_body_that_is_not_the_model_when_strict(
    fault: FaultServer, client: StripeClient
) -> None:
    fault.script(Reply(200, {"id": "ch_1", "object": "charge", "amount": "a lot"}))
    with pytest.raises(APIError, match=r"GET /v1/charges/ch_1 returned a body that is not a valid Charge"):
        client.raw_request("get", "/v1/charges/ch_1", cast_to=Charge, strict=True)


def test_deserialize_by_object(client: StripeClient) -> None:
    got = client.deserialize(CHARGE)
    assert isinstance(got, Charge) and got.id == "ch_1" and got.last_response is None
    assert isinstance(client.deserialize(json.dumps(CHARGE)), Charge)  # a JSON column or a log line
    assert isinstance(client.deserialize(json.dumps(CHARGE).encode()), Charge)
    deleted = client.deserialize({"id": "cus_1", "object": "customer", "deleted": True})
    assert isinstance(deleted, DeletedCustomer)
    unknown = client.deserialize({"id": "x_1", "object": "brand_new_thing", "size": 3})
    assert type(unknown) is StripeObject and unknown.model_extra == {"size": 3}


def test_deserialize_pages_and_events(client: StripeClient) -> None:
    page = client.deserialize({"object": "list", "data": [CHARGE, {"id": "t", "object": "thing"}], "has_more": True})
    assert isinstance(page, ListObject)
    assert [type(item) for item in page.data] == [Charge, StripeObject]
    with pytest.raises(TypeError, match="nested in another object"):
        next(iter(page.auto_paging_iter()))  # made by no call: it cannot fetch the next page
    event = client.deserialize(stripe_event(CHARGE, pending_webhooks=0, request={"id": None, "idempotency_key": None}))
    assert isinstance(event, Event) and isinstance(event.data.object, Charge)


def test_deserialize_refuses_what_is_not_an_object(client: StripeClient) -> None:
    with pytest.raises(TypeError, match="takes a Stripe object"):
        client.deserialize("[1, 2]")
    with pytest.raises(TypeError, match="takes a Stripe object"):
        client.deserialize(42)  # type: ignore[arg-type]


def test_read_only_dict_style_access() -> None:
    got = Charge.model_validate(charge(future_field="kept", billing_details={"address": None, "name": "Jenny"}))
    assert got["amount"] == got.get("amount") == 100
    assert got["future_field"] == "kept"  # unknown fields too, by the name Stripe sent
    assert got["billing_details"]["name"] == "Jenny"  # nested models, the same way
    assert got.get("no_such_field") is None and got.get("no_such_field", 0) == 0
    assert "amount" in got and "no_such_field" not in got and 3 not in got
    with pytest.raises(KeyError):
        got["no_such_field"]
    with pytest.raises(TypeError):
        got["amount"] = 5  # type: ignore[index]


def test_dict_style_access_uses_wire_names() -> None:
    class Transfer(StripeModel):  # a field whose wire name is a Python keyword gets a safe name and an alias
        id: str
        from_: str | None = Field(default=None, alias="from")

    got = Transfer.model_validate({"id": "t_1", "from": "acct_1"})
    assert got.from_ == got["from"] == got.get("from") == "acct_1"
    assert "from" in got
