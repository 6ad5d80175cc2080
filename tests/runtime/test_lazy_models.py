"""Expandable fields load their models on first use, and behave exactly as eagerly loaded ones would:
ids stay strings, expanded objects become their model (deleted and unknown ones too), errors say where."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import weakref
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from codegen.render import lazy_deps
from stripe_connect import APIError, AsyncStripeClient, ListObject, StripeClient, StripeObject
from stripe_connect._models import ModelRef
from stripe_connect.models import Charge, Customer, DeletedCustomer, Refund
from tests.support.objects import CHARGE

CUSTOMER: dict[str, Any] = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False}


def charge_with(**fields: Any) -> Charge:
    return Charge.model_validate_json(json.dumps({**CHARGE, **fields}))


def test_importing_a_model_leaves_its_expandable_targets_unloaded() -> None:
    code = (
        "import sys\n"
        "from stripe_connect_generated.models.charge import Charge\n"
        "loaded = {m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('stripe_connect_generated.models.')}\n"
        "print(len(loaded), 'customer' in loaded, 'payment_intent' in loaded, 'refund' in loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # Charge's own graph without what only expandable fields reach (512 models with them); refunds are inline.
    assert int(out[0]) < 100
    assert out[1:] == ["False", "False", "True"]


def test_an_unexpanded_field_is_the_id() -> None:
    charge = charge_with(customer="cus_1", review=None)
    assert charge.customer == "cus_1"
    assert charge.review is None


def test_an_expanded_field_is_its_model() -> None:
    charge = charge_with(customer=CUSTOMER)
    assert isinstance(charge.customer, Customer)
    assert charge.customer.id == "cus_1"


def test_an_expanded_deleted_object_is_the_deleted_model() -> None:
    charge = charge_with(customer={"id": "cus_1", "object": "customer", "deleted": True})
    assert isinstance(charge.customer, DeletedCustomer)


def test_an_expanded_object_of_an_unknown_type_is_kept() -> None:
    charge = charge_with(customer={"id": "xyz_1", "object": "brand_new_thing", "colour": "teal"})
    assert isinstance(charge.customer, StripeObject)
    assert charge.customer.model_extra == {"colour": "teal"}


def test_expanded_objects_keep_unknown_fields_and_enum_values() -> None:
    charge = charge_with(customer={**CUSTOMER, "tax_exempt": "sometime_in_2030", "new_field": 1})
    assert isinstance(charge.customer, Customer)
    assert charge.customer.tax_exempt == "sometime_in_2030"
    assert charge.customer.model_extra == {"new_field": 1}


def test_an_invalid_expanded_object_fails_naming_where() -> None:
    with pytest.raises(ValidationError) as info:
        charge_with(customer={**CUSTOMER, "created": "yesterday"})
    [error] = info.value.errors()
    assert error["loc"] == ("customer", "customer", "created")


def test_an_expandable_field_rejects_what_is_neither_id_nor_object() -> None:
    with pytest.raises(ValidationError):
        charge_with(customer=12)


def test_expanded_objects_serialize_as_received() -> None:
    body = {**CHARGE, "customer": {**CUSTOMER, "extra": [1, 2]}}
    assert Charge.model_validate_json(json.dumps(body)).to_dict() == body


def test_model_instances_are_accepted_as_expanded_values() -> None:
    customer = Customer.model_validate(CUSTOMER)
    assert charge_with(customer="cus_1").model_copy(update={"customer": customer}).customer is customer
    assert Charge.model_validate({**CHARGE, "customer": customer}).customer == customer


def test_model_ref_stands_for_its_model() -> None:
    ref = ModelRef("stripe_connect_generated.models.customer", "Customer")
    assert ref.resolve() is Customer
    assert ref(**CUSTOMER) == Customer.model_validate(CUSTOMER)
    assert "Customer" in repr(ref)
    assert set(getattr(ref | DeletedCustomer, "__args__", ())) == {ref, DeletedCustomer}
    assert set(getattr(DeletedCustomer | ref, "__args__", ())) == {ref, DeletedCustomer}


def test_the_generator_defers_only_names_used_solely_in_expandable_or_deferred_fields() -> None:
    types = ["Expandable[Customer | DeletedCustomer] | None", "Expandable[Review] | None", "list[Review]", "Shipping"]
    deferred = ["PaymentMethodDetailsCard | None", "PaymentMethodDetailsCardPresent | None", "Shipping | None"]
    deps = {"Customer", "DeletedCustomer", "Review", "Shipping"} | {
        "PaymentMethodDetailsCard",
        "PaymentMethodDetailsCardPresent",
    }
    # Shipping is also held inline: imported, and inline in the deferred field too.
    assert lazy_deps(types, deferred, deps) == {
        "Customer",
        "DeletedCustomer",
        "PaymentMethodDetailsCard",
        "PaymentMethodDetailsCardPresent",
    }


# --- pages ------------------------------------------------------------------------------------------


def test_a_nested_list_cannot_be_paged_but_parses() -> None:
    refund = {"id": "re_1", "object": "refund", "amount": 1, "created": 1, "currency": "usd", "status": "x"}
    refunds = {"object": "list", "data": [refund], "has_more": True, "url": "/v1/charges/ch_1/refunds"}
    charge = charge_with(refunds=refunds)
    assert charge.refunds is not None and isinstance(charge.refunds.data[0], Refund)
    with pytest.raises(TypeError, match="not returned by a list or search call"):
        next(iter(charge.refunds.auto_paging_iter()))


def pages_client(pages: int, on_request: Any = None) -> StripeClient:
    def reply(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("starting_after")
        page = 0 if after is None else int(after.split("_")[1]) + 1
        if on_request is not None:
            on_request(page)
        data = [{**CHARGE, "id": f"ch_{page}_{i}"} for i in range(3)]
        return httpx.Response(200, json={"object": "list", "data": data, "has_more": page < pages - 1, "url": "/"})

    return StripeClient("sk_test_123", http_client=httpx.Client(transport=httpx.MockTransport(reply)))


def test_a_fetched_page_and_its_copies_know_where_it_came_from() -> None:
    page = pages_client(2).charges.list(limit=3)
    expected = ["ch_0_0", "ch_0_1", "ch_0_2", "ch_1_0", "ch_1_1", "ch_1_2"]
    assert [c.id for c in page.auto_paging_iter()] == expected
    assert [c.id for c in page.model_copy().auto_paging_iter()] == expected
    assert [c.id for c in page.model_copy(deep=True).auto_paging_iter()] == expected


def test_auto_paging_lets_walked_pages_go() -> None:
    seen: list[weakref.ref[Charge]] = []
    alive_when_fetching: dict[int, int] = {}

    def on_request(page: int) -> None:
        gc.collect()
        # Of the pages walked so far, only the item the caller's loop holds may be alive.
        alive_when_fetching[page] = sum(1 for ref in seen if ref() is not None)

    client = pages_client(4, on_request)
    for charge in client.charges.list(limit=3).auto_paging_iter():
        seen.append(weakref.ref(charge))
    assert len(seen) == 12
    assert alive_when_fetching == {0: 0, 1: 1, 2: 1, 3: 1}


def test_async_auto_paging_lets_walked_pages_go() -> None:
    seen: list[weakref.ref[Charge]] = []
    alive_when_fetching: dict[int, int] = {}

    def reply(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("starting_after")
        page = 0 if after is None else int(after.split("_")[1]) + 1
        gc.collect()
        alive_when_fetching[page] = sum(1 for ref in seen if ref() is not None)
        data = [{**CHARGE, "id": f"ch_{page}_{i}"} for i in range(3)]
        return httpx.Response(200, json={"object": "list", "data": data, "has_more": page < 3, "url": "/"})

    async def walk() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(reply))
        async with AsyncStripeClient("sk_test_123", http_client=http) as client:
            async for charge in client.charges.list(limit=3).auto_paging_iter():
                seen.append(weakref.ref(charge))

    asyncio.run(walk())
    assert len(seen) == 12
    assert alive_when_fetching == {0: 0, 1: 1, 2: 1, 3: 1}


def test_an_invalid_expanded_object_is_kept_or_under_strict_an_api_error_naming_the_field() -> None:
    def reply(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={**CHARGE, "customer": {**CUSTOMER, "livemode": "maybe"}})

    client = StripeClient("sk_test_123", http_client=httpx.Client(transport=httpx.MockTransport(reply)))
    with pytest.raises(APIError, match=r"customer\.customer\.livemode"):
        client.charges.retrieve("ch_1", strict=True)
    customer = client.charges.retrieve("ch_1").customer
    assert isinstance(customer, Customer) and customer.livemode == "maybe"  # the expanded model, the value as sent


def test_adapters_are_built_when_made_and_shared() -> None:
    from pydantic_core import SchemaValidator

    from stripe_connect._adapters import adapter_for

    adapter = adapter_for(ListObject[Customer])
    assert isinstance(adapter.validator, SchemaValidator)  # not pydantic's stand-in awaiting a first use
    assert adapter_for(ListObject[Customer]) is adapter
