"""The httpx clients the SDK makes for itself keep no cookies (and so skip httpx's per-response search
for them); a client passed in is used as it is. (Requests never carry cookies either way: the SDK
builds them itself, with Stripe's headers.)"""

from __future__ import annotations

import asyncio
import builtins
from typing import Any

import httpx
import pytest

from stripe_connect import AsyncStripeClient, StripeClient
from stripe_connect._http import CookielessAsyncClient, CookielessClient
from stripe_connect.testing import SteadyServer


def set_cookie(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"set-cookie": "session=abc; Path=/"}, json={"cookie": request.headers.get("cookie")}
    )


def test_the_default_clients_are_cookieless() -> None:
    assert isinstance(StripeClient("sk_test_123")._pool.get(), CookielessClient)  # pyright: ignore[reportPrivateUsage]
    client = AsyncStripeClient("sk_test_123")
    assert isinstance(client._pool.get(), CookielessAsyncClient)  # pyright: ignore[reportPrivateUsage]


def test_a_cookieless_client_neither_keeps_nor_sends_cookies() -> None:
    http = CookielessClient(transport=httpx.MockTransport(set_cookie))
    assert http.get("https://api.stripe.com/v1/a").json() == {"cookie": None}
    assert http.get("https://api.stripe.com/v1/a").json() == {"cookie": None}
    assert len(http.cookies.jar) == 0
    with pytest.raises(TypeError, match="keeps no cookies"):
        http.cookies = {"a": "b"}


def test_a_cookieless_async_client_neither_keeps_nor_sends_cookies() -> None:
    async def run() -> None:
        async with CookielessAsyncClient(transport=httpx.MockTransport(set_cookie)) as http:
            assert (await http.get("https://api.stripe.com/v1/a")).json() == {"cookie": None}
            assert (await http.get("https://api.stripe.com/v1/a")).json() == {"cookie": None}
            with pytest.raises(TypeError):
                http.cookies = {"a": "b"}

    asyncio.run(run())


def test_a_client_passed_in_is_used_as_it_is() -> None:
    http = httpx.Client(transport=httpx.MockTransport(set_cookie))
    StripeClient("sk_test_123", http_client=http).raw_request("get", "/v1/a")
    assert dict(http.cookies) == {"session": "abc"}  # httpx's own handling, untouched


def test_async_calls_do_not_pay_a_failed_import_each(steady: SteadyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # httpcore imports sniffio on every async request: installed (a dependency), that is a dict lookup;
    # missing, it was a scan of sys.path per request.
    failed: list[str] = []
    real_import = builtins.__import__

    def counting_import(name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return real_import(name, *args, **kwargs)
        except ImportError:
            failed.append(name)
            raise

    async def calls() -> None:
        async with AsyncStripeClient("sk_test_123", api_base=steady.url, max_retries=0) as client:
            await client.balance.retrieve()
            monkeypatch.setattr(builtins, "__import__", counting_import)
            for _ in range(3):
                await client.balance.retrieve()

    asyncio.run(calls())
    assert failed == []
