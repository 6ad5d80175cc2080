"""Auto-pagination over real HTTP (tests/support/fault_server.py): every page request repeats the first one's filters,
`limit`, `expand` and request options (the connected account above all), changing only the cursor."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from stripe_connect import (
    APIError,
    AsyncListObject,
    AsyncStripeClient,
    InvalidRequestError,
    ListObject,
    StripeClient,
)
from stripe_connect.models import Card, Customer
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Recorded, Reply
from tests.support.objects import card


def customer(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"cus_{n}", "object": "customer", "created": 1_700_000_000 - n, "livemode": False, **fields}


def page(*items: dict[str, Any], has_more: bool, url: str = "/v1/customers") -> Reply:
    return Reply(200, {"object": "list", "data": list(items), "has_more": has_more, "url": url})


def search_page(*items: dict[str, Any], next_page: str | None) -> Reply:
    body = {
        "object": "search_result",
        "data": list(items),
        "has_more": next_page is not None,
        "next_page": next_page,
        "url": "/v1/customers/search",
    }
    return Reply(200, body)


def queries(requests: list[Recorded]) -> list[str]:
    return [unquote(r.query) for r in requests]


def accounts(requests: list[Recorded]) -> list[str | None]:
    return [r.headers.get("stripe-account") for r in requests]


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url, stripe_account="acct_tenant", sleep=lambda _s: None) as client:
        yield client


def test_three_pages_forward_repeat_filters_expand_limit_and_account(fault: FaultServer, client: StripeClient) -> None:
    fault.script(
        page(customer(1, default_source=card(1)), customer(2), has_more=True),
        page(customer(3), customer(4, default_source=card(4)), has_more=True),
        page(customer(5), has_more=False),
    )
    first = client.customers.list(
        limit=2, email="j@example.com", created={"gte": 10, "lt": 20}, expand=["data.default_source"]
    )
    assert isinstance(first, ListObject)
    items = list(first.auto_paging_iter())
    assert [c.id for c in items] == ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]
    assert all(isinstance(c, Customer) for c in items)
    # The nested expansion parsed into the model, on the first page and on later ones.
    assert isinstance(items[0].default_source, Card) and items[0].default_source.id == "card_1"
    assert isinstance(items[3].default_source, Card)
    base = "created[gte]=10&created[lt]=20&email=j@example.com&expand[]=data.default_source&limit=2"
    assert queries(fault.requests) == [base, f"{base}&starting_after=cus_2", f"{base}&starting_after=cus_4"]
    assert accounts(fault.requests) == ["acct_tenant"] * 3
    assert {r.path for r in fault.requests} == {"/v1/customers"}


def test_request_options_of_the_first_call_hold_for_every_page(fault: FaultServer, client: StripeClient) -> None:
    fault.script(page(customer(1), has_more=True), page(customer(2), has_more=True), page(customer(3), has_more=False))
    pages = client.customers.list(
        limit=1, stripe_account="acct_other", stripe_version="2020-08-27", api_key="rk_test_restricted"
    )
    assert [c.id for c in pages.auto_paging_iter()] == ["cus_1", "cus_2", "cus_3"]
    assert accounts(fault.requests) == ["acct_other"] * 3
    assert {r.headers["stripe-version"] for r in fault.requests} == {"2020-08-27"}
    assert {r.headers["authorization"] for r in fault.requests} == {"Bearer rk_test_restricted"}
    assert queries(fault.requests) == ["limit=1", "limit=1&starting_after=cus_1", "limit=1&starting_after=cus_2"]


def test_platform_call_pages_stay_on_the_platform(fault: FaultServer, client: StripeClient) -> None:
    fault.script(page(customer(1), has_more=True), page(customer(2), has_more=True), page(customer(3), has_more=False))
    assert len(list(client.customers.list(stripe_account=None).auto_paging_iter())) == 3
    assert accounts(fault.requests) == [None] * 3


def test_backward_paging_follows_ending_before(fault: FaultServer, client: StripeClient) -> None:
    # Lists run newest first (cus_4, cus_5, ... cus_9). Walking back from cus_9, each page holds the items just
    # before the cursor; they come nearest-first (the page reversed) and the next cursor is the page's first item,
    # as Stripe's SDKs do it.
    fault.script(
        page(customer(7), customer(8), has_more=True),
        page(customer(5), customer(6), has_more=True),
        page(customer(4), has_more=False),
    )
    items = list(client.customers.list(ending_before="cus_9", limit=2).auto_paging_iter())
    assert [c.id for c in items] == ["cus_8", "cus_7", "cus_6", "cus_5", "cus_4"]
    assert queries(fault.requests) == [
        "ending_before=cus_9&limit=2",
        "ending_before=cus_7&limit=2",
        "ending_before=cus_5&limit=2",
    ]
    assert accounts(fault.requests) == ["acct_tenant"] * 3


def test_search_follows_next_page(fault: FaultServer, client: StripeClient) -> None:
    fault.script(
        search_page(customer(1), next_page="tok_2"),
        search_page(customer(2), next_page="tok_3"),
        search_page(customer(3), next_page=None),
    )
    found = client.customers.search(query="email:'j@example.com'", limit=1, expand=["data.test_clock"])
    assert [c.id for c in found.auto_paging_iter()] == ["cus_1", "cus_2", "cus_3"]
    base = "query=email:'j@example.com'&expand[]=data.test_clock&limit=1"
    assert queries(fault.requests) == [base, f"{base}&page=tok_2", f"{base}&page=tok_3"]
    assert {r.path for r in fault.requests} == {"/v1/customers/search"}
    assert accounts(fault.requests) == ["acct_tenant"] * 3


def test_an_error_on_page_three_propagates(fault: FaultServer, client: StripeClient) -> None:
    fault.script(
        page(customer(1), customer(2), has_more=True),
        page(customer(3), customer(4), has_more=True),
        Reply(404, {"error": {"type": "invalid_request_error", "message": "No such customer: 'cus_4'"}}),
    )
    seen: list[str] = []
    with pytest.raises(InvalidRequestError, match="No such customer"):
        for c in client.customers.list(limit=2).auto_paging_iter():
            seen.append(c.id)
    assert seen == ["cus_1", "cus_2", "cus_3", "cus_4"]
    assert len(fault.requests) == 3


def test_a_failing_page_is_retried_like_any_call(fault: FaultServer, client: StripeClient) -> None:
    fault.script(
        page(customer(1), has_more=True),
        Reply(503, b""),
        page(customer(2), has_more=True),
        Reply(500, b"<html>oops</html>"),
        Reply(500, b"<html>oops</html>"),
        Reply(500, b"<html>oops</html>"),
    )
    seen: list[str] = []
    with pytest.raises(APIError, match="HTTP 500 with a body that is not JSON"):
        seen.extend(c.id for c in client.customers.list(limit=1).auto_paging_iter())
    assert seen == ["cus_1", "cus_2"]
    assert (
        queries(fault.requests)
        == ["limit=1"] + ["limit=1&starting_after=cus_1"] * 2 + ["limit=1&starting_after=cus_2"] * 3
    )


def test_has_more_with_an_empty_page_ends(fault: FaultServer, client: StripeClient) -> None:
    fault.script(page(has_more=True))
    assert list(client.customers.list().auto_paging_iter()) == []
    assert len(fault.requests) == 1


def test_a_nested_list_cannot_page_on_its_own() -> None:
    nested = ListObject[Customer].model_validate({"object": "list", "data": [], "has_more": True, "url": "/v1/x"})
    with pytest.raises(TypeError, match="not returned by a list or search call"):
        list(nested.auto_paging_iter())


# Async


def test_async_auto_paging_over_three_pages(fault: FaultServer) -> None:
    fault.script(
        page(customer(1), customer(2), has_more=True),
        page(customer(3), customer(4), has_more=True),
        page(customer(5), has_more=False),
    )

    async def main() -> list[str]:
        async with AsyncStripeClient(API_KEY, api_base=fault.url, stripe_account="acct_tenant") as client:
            pages = client.customers.list(limit=2, expand=["data.default_source"], stripe_account="acct_async")
            return [c.id async for c in pages.auto_paging_iter()]

    assert asyncio.run(main()) == ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]
    base = "expand[]=data.default_source&limit=2"
    assert queries(fault.requests) == [base, f"{base}&starting_after=cus_2", f"{base}&starting_after=cus_4"]
    assert accounts(fault.requests) == ["acct_async"] * 3


def test_async_search_and_an_awaited_page(fault: FaultServer) -> None:
    fault.script(
        search_page(customer(1), next_page="tok_2"),
        search_page(customer(2), next_page=None),
        page(customer(3), has_more=True),
        page(customer(4), has_more=False),
    )

    async def main() -> tuple[list[str], list[str]]:
        async with AsyncStripeClient(API_KEY, api_base=fault.url) as client:
            found = [c.id async for c in client.customers.search(query="name:'x'").auto_paging_iter()]
            first = await client.customers.list(limit=1)
            rest = [c.id async for c in first.auto_paging_iter_async()]
            return found, rest

    assert asyncio.run(main()) == (["cus_1", "cus_2"], ["cus_3", "cus_4"])
    assert queries(fault.requests) == [
        "query=name:'x'",
        "query=name:'x'&page=tok_2",
        "limit=1",
        "limit=1&starting_after=cus_3",
    ]


def test_async_error_mid_iteration_propagates(fault: FaultServer) -> None:
    fault.script(
        page(customer(1), has_more=True),
        page(customer(2), has_more=True),
        Reply(403, {"error": {"type": "invalid_request_error", "message": "not yours"}}),
    )
    seen: list[str] = []

    async def main() -> None:
        async with AsyncStripeClient(API_KEY, api_base=fault.url) as client:
            async for c in client.customers.list(limit=1).auto_paging_iter():
                seen.append(c.id)

    from stripe_connect import PermissionError as StripePermissionError

    with pytest.raises(StripePermissionError, match="not yours"):
        asyncio.run(main())
    assert seen == ["cus_1", "cus_2"]


def test_an_async_clients_page_walks_only_with_async_for(fault: FaultServer) -> None:
    fault.script(page(customer(1), has_more=False))

    async def main() -> AsyncListObject[Customer]:
        async with AsyncStripeClient(API_KEY, api_base=fault.url) as client:
            return await client.customers.list()

    first = asyncio.run(main())
    assert isinstance(first, AsyncListObject)
    assert not hasattr(first, "auto_paging_iter")  # pyright rejects it too (tests/integration/test_typing.py)


def test_sync_iteration_of_a_page_an_async_client_fetched_fails_before_any_item(fault: FaultServer) -> None:
    fault.script(page(customer(1), has_more=True))

    async def main() -> ListObject[Customer]:
        async with AsyncStripeClient(API_KEY, api_base=fault.url) as client:
            return await client.raw_request("get", "/v1/customers", cast_to=ListObject[Customer])

    first = asyncio.run(main())
    with pytest.raises(TypeError, match="came from an AsyncStripeClient"):
        next(first.auto_paging_iter())
