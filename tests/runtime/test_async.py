"""The async client: the same service tree as the sync one, typed alike, with the same wire behaviour."""

from __future__ import annotations

import asyncio
import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from typing_extensions import get_overloads

from stripe_connect import (
    APIConnectionError,
    AsyncListRequest,
    AsyncSearchRequest,
    AsyncStripeClient,
    BaseAsyncStripeClient,
    BaseStripeClient,
    StripeClient,
)
from stripe_connect.oauth import AsyncOAuthService, OAuthService

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = 468  # in the pinned document; tests/codegen/test_generation.py proves each has a method


# -- the two trees -------------------------------------------------------------------------------------


def children(service: object) -> dict[str, object]:
    """The services reachable as attributes (`cached_property`s) of a client or service."""
    return {
        name: getattr(service, name)
        for name, member in inspect.getmembers(type(service))
        if isinstance(member, cached_property) and not name.startswith("_")
    }


def methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and member.__qualname__.split(".")[0] == cls.__name__
    }


def walk(node: object, path: str = "client") -> Iterator[tuple[str, object]]:
    yield path, node
    for name, child in sorted(children(node).items()):
        yield from walk(child, f"{path}.{name}")


def signature_without_return(function: Callable[..., Any]) -> list[tuple[str, Any, Any, Any]]:
    return [(p.name, p.kind, p.default, p.annotation) for p in inspect.signature(function).parameters.values()]


ASYNC_RETURN = {"models.ListObject": "AsyncListRequest", "models.SearchResult": "AsyncSearchRequest"}


def expected_async_return(sync_return: str) -> str:
    """The same type, but list and search pages come back as requests to await or iterate."""
    head, bracket, rest = sync_return.partition("[")
    return ASYNC_RETURN.get(head, head) + bracket + rest


def test_every_sync_method_has_an_async_twin_with_the_same_signature() -> None:
    sync_tree = dict(walk(StripeClient("sk_test_1")))
    async_tree = dict(walk(AsyncStripeClient("sk_test_1")))
    assert sync_tree.keys() == async_tree.keys()
    compared: list[str] = []
    for path, sync_service in sync_tree.items():
        async_service = async_tree[path]
        if path == "client":
            continue  # the clients' own API is compared below
        sync_methods, async_methods = methods(type(sync_service)), methods(type(async_service))
        assert sync_methods.keys() == async_methods.keys(), path
        assert type(async_service).__name__ == "Async" + type(sync_service).__name__
        for name, sync_method in sync_methods.items():
            async_method = async_methods[name]
            where = f"{path}.{name}"
            assert signature_without_return(sync_method) == signature_without_return(async_method), where
            sync_return = inspect.signature(sync_method).return_annotation
            async_return = inspect.signature(async_method).return_annotation
            assert async_return == expected_async_return(sync_return), where
            pages = async_return.startswith(("AsyncListRequest", "AsyncSearchRequest"))
            assert inspect.iscoroutinefunction(async_method) != pages, where  # awaitable, or iterable pages
            assert sync_method.__doc__ == async_method.__doc__, where
            compared.append(where)
    # Every operation of the spec, plus client.oauth's token and deauthorize (handwritten, walked alike).
    assert len(compared) == OPERATIONS + 2
    assert {"client.oauth.token", "client.oauth.deauthorize"} <= set(compared)


def test_the_clients_own_api_matches() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")}

    sync_api, async_api = public(BaseStripeClient), public(BaseAsyncStripeClient)
    assert sync_api - {"close"} == async_api - {"aclose"}
    for name in ("with_options", "for_account"):
        assert signature_without_return(getattr(BaseStripeClient, name)) == signature_without_return(
            getattr(BaseAsyncStripeClient, name)
        )
    for name in ("request", "raw_request"):
        sync_method, async_method = getattr(BaseStripeClient, name), getattr(BaseAsyncStripeClient, name)
        assert signature_without_return(sync_method) == signature_without_return(async_method)
        assert inspect.iscoroutinefunction(async_method)
    sync_init = signature_without_return(BaseStripeClient.__init__)
    async_init = signature_without_return(BaseAsyncStripeClient.__init__)
    differing = {p[0] for p in sync_init} ^ {p[0] for p in async_init} | {
        a[0] for a, b in zip(sync_init, async_init, strict=True) if a != b
    }
    assert differing == {"http_client", "sleep"}  # httpx.AsyncClient, and an async sleep


def test_the_oauth_services_match() -> None:
    assert methods(OAuthService).keys() == methods(AsyncOAuthService).keys() == {"token", "deauthorize"}
    for name in ("token", "deauthorize", "authorize_url"):
        sync_method, async_method = getattr(OAuthService, name), getattr(AsyncOAuthService, name)
        assert signature_without_return(sync_method) == signature_without_return(async_method)
        sync_overloads = [signature_without_return(f) for f in get_overloads(sync_method)]
        assert sync_overloads == [signature_without_return(f) for f in get_overloads(async_method)]
    assert inspect.iscoroutinefunction(AsyncOAuthService.token)
    assert inspect.iscoroutinefunction(AsyncOAuthService.deauthorize)
    assert len(get_overloads(OAuthService.token)) == 2


BAD_ASYNC_USAGE = """
from stripe_connect import AsyncStripeClient, StripeClient

async def main(client: AsyncStripeClient, sync: StripeClient) -> None:
    await client.customers.create(emial="jenny@example.com")
    await client.charges.create(amount="100", currency="usd")
    client.charges.retrieve("ch_1")
    await client.charges.retrieve("ch_1", stripe_acount="acct_1")
    await client.oauth.token(grant_type="refresh_token", code="ac_1")
    await client.oauth.deauthorize(stripe_user_id="acct_1", stripe_account="acct_2")
    sync.oauth.authorize_url(scope="everything")
    page = await client.customers.list().auto_paging_iter()
"""


def test_pyright_types_both_trees_and_reports_async_mistakes() -> None:
    bad = ROOT / "build" / "typecheck" / "bad_async_usage.py"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(BAD_ASYNC_USAGE)
    example = ROOT / "examples" / "typed_usage_async.py"
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(example), str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert [e for e in errors if e["file"] == str(example)] == []
    revealed = [d["message"] for d in diagnostics if d["severity"] == "information"]
    for expected in (
        "AsyncListRequest[Customer]",
        "AsyncSearchRequest[Customer]",
        "CoroutineType[Any, Any, OAuthToken]",
    ):
        assert any(expected in message for message in revealed), (expected, revealed)
    assert any('is "OAuthDeauthorization"' in message for message in revealed), revealed

    lines = BAD_ASYNC_USAGE.splitlines()
    flagged = {e["range"]["start"]["line"] + 1 for e in errors if e["file"] == str(bad)}
    expected_lines = {i + 1 for i, text in enumerate(lines) if text.startswith("    ") and "def " not in text}
    assert flagged == expected_lines, [lines[i - 1] for i in expected_lines - flagged]


# -- the async client's behaviour ---------------------------------------------------------------------------


def customer(i: int) -> dict[str, Any]:
    return {"id": f"cus_{i}", "object": "customer", "created": 1, "livemode": False}


def test_async_with_closes_the_pool_it_made() -> None:
    async def main() -> httpx.AsyncClient:
        async with AsyncStripeClient("sk_test_1") as client:
            http = client._pool.get()
            assert not http.is_closed
        return http

    assert asyncio.run(main()).is_closed


def test_only_the_constructed_async_client_closes_the_shared_pool() -> None:
    async def main() -> None:
        client = AsyncStripeClient("sk_test_1")
        tenant = client.for_account("acct_1")
        http = tenant._pool.get()
        assert client._pool.get() is http
        async with tenant:
            pass
        assert not http.is_closed  # a tenant's `async with` leaves the shared pool to the others
        await client.aclose()
        assert http.is_closed
        await client.aclose()  # nothing left to close: no error

    asyncio.run(main())


def test_a_shared_async_client_is_used_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=customer(1))

    async def main() -> httpx.AsyncClient:
        shared = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncStripeClient("sk_test_1", http_client=shared, stripe_account="acct_1") as client:
            await client.customers.retrieve("cus_1")
            await client.for_account("acct_2").customers.retrieve("cus_1")
        assert not shared.is_closed  # the caller's client: the caller closes it
        await client.aclose()
        assert not shared.is_closed
        await shared.get("https://api.stripe.com/v1/customers/cus_1")  # still usable
        await shared.aclose()
        return shared

    asyncio.run(main())
    assert [r.headers.get("stripe-account") for r in seen] == ["acct_1", "acct_2", None]


def test_async_auto_pagination_keeps_filters_and_account_on_every_page() -> None:
    requests: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        after = request.url.params.get("starting_after")
        start = 0 if after is None else int(after.split("_")[1]) + 1
        data = [customer(i) for i in range(start, min(start + 2, 5))]
        return httpx.Response(
            200, json={"object": "list", "url": "/v1/customers", "has_more": start + 2 < 5, "data": data}
        )

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AsyncStripeClient("sk_test_1", http_client=http, stripe_account="acct_default")
        listing = client.customers.list(limit=2, email="a@example.com", stripe_account="acct_page")
        assert isinstance(listing, AsyncListRequest)
        first = await listing
        assert [c.id for c in first.data] == ["cus_0", "cus_1"]
        ids = [c.id async for c in listing.auto_paging_iter()]
        await http.aclose()
        return ids

    assert asyncio.run(main()) == [f"cus_{i}" for i in range(5)]
    walk_requests = requests[1:]  # after the single awaited page
    assert len(walk_requests) == 3
    for request in walk_requests:
        assert request.headers["stripe-account"] == "acct_page"
        query = dict(parse_qsl(request.url.query.decode()))
        assert query["limit"] == "2" and query["email"] == "a@example.com"
    assert [r.url.params.get("starting_after") for r in walk_requests] == [None, "cus_1", "cus_3"]


def test_async_search_pages_follow_next_page() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("page")
        body = {"object": "search_result", "url": "/v1/customers/search", "data": [customer(0 if page is None else 1)]}
        body |= {"has_more": page is None, "next_page": "pg_2" if page is None else None}
        assert request.headers["stripe-account"] == "acct_s"
        return httpx.Response(200, json=body)

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AsyncStripeClient("sk_test_1", http_client=http, stripe_account="acct_s")
        search = client.customers.search(query="email:'a@example.com'")
        assert isinstance(search, AsyncSearchRequest)
        return [c.id async for c in search.auto_paging_iter()]

    assert asyncio.run(main()) == ["cus_0", "cus_1"]


def test_async_retries_sleep_asynchronously_and_reuse_the_idempotency_key() -> None:
    # Each attempt's headers as they were sent: the request object itself is the same on every attempt.
    attempts: list[dict[str, str]] = []
    waits: list[float] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(dict(request.headers))
        if len(attempts) == 1:
            raise httpx.ConnectError("connection refused")
        if len(attempts) == 2:
            return httpx.Response(500, json={"error": {"type": "api_error", "message": "boom"}})
        if len(attempts) == 3:
            return httpx.Response(409, headers={"Retry-After": "1.5"}, json={"error": {"type": "api_error"}})
        return httpx.Response(200, json=customer(7))

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)

    async def main() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AsyncStripeClient("sk_test_1", http_client=http, max_retries=3, sleep=fake_sleep)
        created = await client.customers.create(email="a@example.com", stripe_account="acct_r")
        return created.id

    assert asyncio.run(main()) == "cus_7"
    assert len(attempts) == 4 and len(waits) == 3
    keys = [headers["idempotency-key"] for headers in attempts]
    assert len(keys) == 4 and len(set(keys)) == 1 and len(keys[0]) == 36  # one generated key, sent four times
    assert {headers["stripe-account"] for headers in attempts} == {"acct_r"}
    # The core's backoff (jittered, never under 0.5 s); the third wait honours Retry-After: 1.5 at least.
    assert waits[0] == 0.5 and 0.5 <= waits[1] <= 1.0 and 1.5 <= waits[2] <= 2.0


def test_async_retries_run_out_into_a_connection_error() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    async def no_wait(_seconds: float) -> None:
        return None

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AsyncStripeClient("sk_test_1", http_client=http, max_retries=2, sleep=no_wait)
        with pytest.raises(APIConnectionError, match="timed out after 3 attempt"):
            await client.balance.retrieve()

    asyncio.run(main())


def test_the_default_async_sleep_is_asyncio_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    replies = iter([httpx.Response(503), httpx.Response(200, json=customer(1))])

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _r: next(replies)))
        await AsyncStripeClient("sk_test_1", http_client=http).customers.retrieve("cus_1")

    asyncio.run(main())
    assert len(slept) == 1 and 0.25 <= slept[0] <= 0.5
