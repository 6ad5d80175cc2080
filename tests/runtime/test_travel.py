"""Objects travel: models, list and search pages and events pickle (task queues, caches, process pools) and copy,
drifted values included; clients do not, and say how to rebuild one from its options.

Every model of the document is pickled and copied in tests/runtime/test_model_roundtrip.py (valid objects) and
tests/runtime/test_drift.py (drifted ones); this file covers pages, events, another process and clients.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest

from stripe_connect import AsyncStripeClient, ListObject, SearchResult, StripeClient
from stripe_connect.models import BankAccount, Card, Charge, Customer, Event, Refund
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import construct_event
from tests.support.objects import CHARGE, card, charge, stripe_event

REFUNDS = {
    "object": "list",
    "data": [{"id": "re_1", "object": "refund", "amount": 100, "created": 1, "currency": "usd", "status": "succeeded"}],
    "has_more": False,
    "url": "/v1/charges/ch_1/refunds",
}
# A drifted charge: a required field gone, a retyped value, an unknown field.
DRIFTED = {**{k: v for k, v in CHARGE.items() if k != "paid"}, "amount": "100", "added_later": [1]}


def client_answering(*bodies: Any) -> StripeClient:
    replies = iter(bodies)
    http = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(200, json=next(replies))))
    return StripeClient("sk_test_123", http_client=http)


def travels(obj: Any) -> list[Any]:
    """`obj` through pickle (every protocol), copy and deepcopy; each must equal it."""
    copies = [pickle.loads(pickle.dumps(obj, protocol)) for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1)]
    copies += [copy.copy(obj), copy.deepcopy(obj)]
    for travelled in copies:
        assert type(travelled) is type(obj)
        assert travelled == obj
        assert travelled.to_dict() == obj.to_dict()
    return copies


def test_a_charge_holding_a_list_pickles() -> None:
    result = client_answering(charge(refunds=REFUNDS)).charges.retrieve("ch_1")
    assert type(result.refunds) is ListObject[Refund]
    for travelled in travels(result):
        assert type(travelled.refunds) is ListObject[Refund]


def test_list_and_search_pages_pickle_without_their_client() -> None:
    listed = {"object": "list", "data": [CHARGE], "has_more": True, "url": "/v1/charges"}
    found = {
        "object": "search_result",
        "data": [CHARGE],
        "has_more": True,
        "next_page": "p2",
        "url": "/v1/charges/search",
    }
    client = client_answering(listed, found)
    page, result = client.charges.list(), client.charges.search(query="amount>1")
    assert type(page) is ListObject[Charge] and type(result) is SearchResult[Charge]
    for original in (page, result):
        pickled, *_ = travels(original)
        # Unpickled, a page has no client to fetch the next one with: it says so, rather than pickling the client.
        with pytest.raises(TypeError, match=r"no client to fetch the next one.*unpickled"):
            pickled.auto_paging_iter()
        assert copy.deepcopy(original)._fetched_by() is original._fetched_by()  # a copy pages on, like its original


def test_a_page_of_polymorphic_items_pickles() -> None:
    items = [
        {"id": "ba_1", "object": "bank_account", "country": "US", "currency": "usd", "last4": "6789", "status": "new"},
        card(1),
    ]
    body = {"object": "list", "data": items, "has_more": False, "url": "/v1/accounts/acct_1/external_accounts"}
    page = client_answering(body).accounts.external_accounts.list("acct_1")
    assert [type(i) for i in page.data] == [BankAccount, Card]
    travels(page)


def test_lenient_models_keep_what_was_kept_as_sent() -> None:
    result = client_answering(DRIFTED).charges.retrieve("ch_1")
    for travelled in travels(result):
        assert travelled.amount == "100" and travelled.model_extra == {"added_later": [1]}
        assert not hasattr(travelled, "paid")


def test_events_pickle() -> None:
    body = stripe_event(DRIFTED, "charge.updated")
    body["data"]["previous_attributes"] = {"amount": 50}
    payload = json.dumps(body)
    event = construct_event(payload, generate_test_header(payload, "whsec_1"), "whsec_1")
    for travelled in travels(event):
        assert type(travelled) is Event and type(travelled.data.object) is Charge


def _summarize(obj: Any) -> tuple[str, str, dict[str, Any]]:
    return type(obj).__name__, type(obj.refunds).__name__, obj.to_dict()


def test_a_model_crosses_into_a_fresh_process() -> None:
    # A spawned worker imports everything anew: the page type inside (ListObject[Refund]) is rebuilt there.
    result = client_answering({**charge(refunds=REFUNDS), "amount": "100"}).charges.retrieve("ch_1")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        name, page_type, dumped = pool.submit(_summarize, result).result(timeout=120)
    assert (name, page_type) == ("Charge", "ListObject[Refund]")
    assert dumped == result.to_dict()


@pytest.mark.parametrize("make", [StripeClient, AsyncStripeClient])
def test_clients_refuse_to_pickle_and_rebuild_from_their_options(make: type[StripeClient]) -> None:
    client = make("sk_test_123", stripe_account="acct_1", max_retries=5, strict=True)
    for candidate in (client, client.with_options(stripe_account="acct_2"), client.customers):
        with pytest.raises(TypeError, match=r"cannot be pickled or copied: they hold a connection pool"):
            pickle.dumps(candidate)
    with pytest.raises(TypeError, match=r"dataclasses\.asdict\(options\)"):
        copy.copy(client)
    # What the message says to do: send the options, rebuild the client in the worker.
    options = pickle.loads(pickle.dumps(client.options))
    rebuilt = make(**dataclasses.asdict(options))
    assert rebuilt.options == client.options
    assert "sk_test_123" not in repr(options)


def test_customers_round_trip_through_a_cache() -> None:
    # Django's cache and RQ pickle at the highest protocol; a model with an unset optional field stays unset.
    body = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False}
    customer = client_answering(body).customers.retrieve("cus_1")
    assert type(customer) is Customer
    restored = pickle.loads(pickle.dumps(customer, pickle.HIGHEST_PROTOCOL))
    assert restored.model_fields_set == customer.model_fields_set and restored.to_dict() == body
