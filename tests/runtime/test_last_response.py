"""`result.last_response`: the final response of the call a result came from, on models, pages (those reached
by auto-paging too) and raw_request objects; never a field, kept by pickling and copying."""

from __future__ import annotations

import asyncio
import copy
import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from stripe_connect import AsyncStripeClient, JSONObject, LastResponse, ListObject, StripeClient
from stripe_connect.models import Charge
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply
from tests.support.objects import CHARGE, charge


def page(*ids: str, has_more: bool) -> dict[str, Any]:
    return {"object": "list", "url": "/v1/charges", "has_more": has_more, "data": [charge(id=i) for i in ids]}


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url, stripe_account="acct_1", sleep=lambda _s: None) as client:
        yield client


def test_a_retried_retrieve(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(500, headers={"Request-Id": "req_a"}), Reply(200, CHARGE, {"Request-Id": "req_b", "X-A": "1"}))
    meta = client.charges.retrieve("ch_1").last_response
    assert isinstance(meta, LastResponse)
    assert (meta.request_id, meta.status_code, meta.attempts, meta.stripe_account, meta.idempotency_key) == (
        "req_b",
        200,
        2,
        "acct_1",
        None,
    )
    assert meta.headers["x-a"] == meta.headers["X-A"] == "1"
    assert meta.elapsed > 0


def test_a_post_keeps_the_idempotency_key_it_sent(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, CHARGE))
    meta = client.charges.create(amount=100, currency="usd", stripe_account=None).last_response
    assert meta is not None and meta.idempotency_key == fault.requests[0].idempotency_key
    assert meta.stripe_account is None  # the platform itself
    mine = client.charges.create(amount=100, currency="usd", idempotency_key="order-42").last_response
    assert mine is not None and mine.idempotency_key == "order-42"


def test_not_a_field(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, charge(refunds=page("re_1", has_more=False))))
    got = client.charges.retrieve("ch_1")
    assert got.last_response is not None
    assert "last_response" not in got.model_dump() and "last_response" not in got.to_dict()
    assert "last_response" not in got.model_dump_json() and "last_response" not in (got.model_extra or {})
    assert got == Charge.model_validate(got.to_dict())  # not compared
    assert "last_response" not in got and got.get("last_response") is None
    assert got.refunds is not None and got.refunds.last_response is None  # nested objects came in no call


def test_survives_pickling_and_copying(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, CHARGE, {"Request-Id": "req_p"}))
    got = client.charges.retrieve("ch_1")
    for other in (pickle.loads(pickle.dumps(got)), copy.copy(got), copy.deepcopy(got), got.model_copy()):
        assert other == got and other.last_response == got.last_response
        assert other.last_response is not None and other.last_response.request_id == "req_p"


def test_every_page_carries_its_own(fault: FaultServer, client: StripeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    fault.script(
        Reply(200, page("ch_1", has_more=True), {"Request-Id": "req_p1"}),
        Reply(200, page("ch_2", has_more=True), {"Request-Id": "req_p2"}),
        Reply(200, page("ch_3", has_more=False), {"Request-Id": "req_p3"}),
    )
    first = client.charges.list(limit=1)
    assert first.last_response is not None and first.last_response.request_id == "req_p1"
    walked: list[ListObject[Any]] = []
    items = ListObject._items  # pyright: ignore[reportPrivateUsage]

    def spy(self: ListObject[Any]) -> list[Any]:
        walked.append(self)
        return items(self)

    monkeypatch.setattr(ListObject, "_items", spy)
    assert [c.id for c in first.auto_paging_iter()] == ["ch_1", "ch_2", "ch_3"]
    assert [p.last_response.request_id for p in walked if p.last_response] == ["req_p1", "req_p2", "req_p3"]
    assert all(c.last_response is None for c in first.data)


def test_search_pages_too(fault: FaultServer, client: StripeClient) -> None:
    results = {"object": "search_result", "url": "/v1/charges/search", "has_more": False, "data": [CHARGE]}
    fault.script(Reply(200, results, {"Request-Id": "req_s"}))
    found = client.charges.search(query="amount>10")
    assert found.last_response is not None and found.last_response.request_id == "req_s"


def test_raw_request_objects(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, {"id": "thing_1", "object": "thing"}, {"Request-Id": "req_r"}))
    thing = client.raw_request("get", "/v1/things/thing_1")
    assert isinstance(thing, JSONObject) and isinstance(thing, dict)
    assert thing == {"id": "thing_1", "object": "thing"}
    assert thing.last_response is not None and thing.last_response.request_id == "req_r"
    again = pickle.loads(pickle.dumps(thing))
    assert again == thing and again.last_response == thing.last_response
    fault.script(Reply(200, [1, 2]))
    assert client.raw_request("get", "/v1/numbers") == [1, 2]  # not an object: plain JSON


def test_async_results_too(fault: FaultServer) -> None:
    async def main() -> tuple[Any, Any, Any]:
        async with AsyncStripeClient(API_KEY, api_base=fault.url) as client:
            fault.script(Reply(200, CHARGE, {"Request-Id": "req_1"}))
            one = await client.charges.retrieve("ch_1", stripe_account="acct_9")
            fault.script(Reply(200, page("ch_1", has_more=False), {"Request-Id": "req_2"}))
            listed = await client.charges.list()
            fault.script(Reply(200, CHARGE, {"Request-Id": "req_3"}))
            raw = await client.raw_request("get", "/v1/charges/ch_1", cast_to=Charge)
            return one, listed, raw

    one, listed, raw = asyncio.run(main())
    metas = [one.last_response, listed.last_response, raw.last_response]
    assert [(m.request_id, m.stripe_account) for m in metas if m is not None] == [
        ("req_1", "acct_9"),
        ("req_2", None),
        ("req_3", None),
    ]
    assert isinstance(raw, Charge)
