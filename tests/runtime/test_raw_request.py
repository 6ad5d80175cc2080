"""`client.raw_request(method, path, params=..., **request options)`: endpoints the spec lacks, with the same
auth, retries and errors as every generated method; paths are relative to the API base."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from stripe_connect import API_VERSION, AsyncStripeClient, AuthenticationError, InvalidRequestError, StripeClient
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply, Reset

THING = {"id": "thing_1", "object": "thing", "nested": {"list": [1, 2]}}


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url, stripe_account="acct_1", sleep=lambda _s: None) as client:
        yield client


def test_get_with_params_and_the_usual_headers(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, THING))
    result = client.raw_request("get", "/v1/things/thing_1", {"expand": ["owner"], "filter": {"gte": 3}})
    assert result == THING  # the parsed JSON, as is
    (request,) = fault.requests
    assert (request.method, request.path, unquote(request.query)) == (
        "GET",
        "/v1/things/thing_1",
        "expand[]=owner&filter[gte]=3",
    )
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["stripe-version"] == API_VERSION
    assert request.headers["stripe-account"] == "acct_1"
    assert request.headers["user-agent"].startswith("stripe-connect/")
    assert request.idempotency_key is None


def test_post_with_request_options(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, THING))
    client.raw_request(
        "post",
        "/v1/things",
        {"name": "x", "items": [{"a": True}]},
        stripe_account="acct_2",
        stripe_version="2024-04-10",
        api_key="rk_test_other",
        idempotency_key="thing-1",
        extra_headers={"Stripe-Context": "ctx_1"},
    )
    (request,) = fault.requests
    assert unquote(request.body.decode()) == "name=x&items[0][a]=true"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["stripe-account"] == "acct_2"
    assert request.headers["stripe-version"] == "2024-04-10"
    assert request.headers["authorization"] == "Bearer rk_test_other"
    assert request.headers["stripe-context"] == "ctx_1"
    assert request.idempotency_key == "thing-1"


def test_retries_with_one_idempotency_key(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(500, b""), Reset(after=20), Reply(200, THING))
    assert client.raw_request("post", "/v1/things", {"name": "x"}) == THING
    assert len(fault.requests) == 3
    assert len({r.idempotency_key for r in fault.requests}) == 1 and fault.requests[0].idempotency_key


def test_delete(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, {"id": "thing_1", "deleted": True}))
    assert client.raw_request("delete", "/v1/things/thing_1")["deleted"] is True
    assert fault.requests[0].method == "DELETE"


def test_errors_are_the_usual_exceptions(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}))
    with pytest.raises(InvalidRequestError, match="Unrecognized request URL"):
        client.raw_request("get", "/v1/nothing")


def test_no_key_fails_before_sending(fault: FaultServer) -> None:
    with StripeClient(api_base=fault.url) as client, pytest.raises(AuthenticationError, match="No API key provided"):
        client.raw_request("get", "/v1/balance")
    assert fault.requests == []


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("https://api.stripe.com/v1/charges", "must be relative to the API base"),
        ("http://evil.example/v1/charges", "must be relative to the API base"),
        ("//evil.example/v1/charges", "must be relative to the API base"),
        ("v1/charges", "must be relative to the API base"),
        ("", "must be relative to the API base"),
        ("/v1/charges?limit=3", "pass query parameters in params"),
        ("/v1/charges#x", "pass query parameters in params"),
        ("/v1/char ges", "must be a plain, percent-encoded path"),
        ("/v1/charges\r\nX-Injected: 1", "must be a plain, percent-encoded path"),
    ],
)
def test_paths_must_be_relative(fault: FaultServer, client: StripeClient, path: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        client.raw_request("get", path)
    assert fault.requests == []


@pytest.mark.parametrize("method", ["put", "PATCH", "head"])
def test_unsupported_methods_are_rejected(fault: FaultServer, client: StripeClient, method: Any) -> None:
    with pytest.raises(ValueError, match="method must be 'get', 'post' or 'delete'"):
        client.raw_request(method, "/v1/things")
    assert fault.requests == []


def test_unknown_request_option_is_rejected(fault: FaultServer, client: StripeClient) -> None:
    with pytest.raises(TypeError, match="unknown request option"):
        client.raw_request("get", "/v1/things", stripe_acount="acct_1")  # type: ignore[call-arg]
    assert fault.requests == []


def test_async_raw_request(fault: FaultServer) -> None:
    fault.script(Reply(503, b""), Reply(200, THING))

    async def main() -> Any:
        async def no_sleep(_s: float) -> None:
            pass

        async with AsyncStripeClient(API_KEY, api_base=fault.url, sleep=no_sleep) as client:
            result = await client.raw_request("post", "/v1/things", {"a": 1}, stripe_account="acct_9")
            with pytest.raises(ValueError, match="must be relative"):
                await client.raw_request("get", "https://api.stripe.com/v1/things")
            return result

    assert asyncio.run(main()) == THING
    assert [r.headers["stripe-account"] for r in fault.requests] == ["acct_9"] * 2
    assert len({r.idempotency_key for r in fault.requests}) == 1
