"""`StripeClient(hooks=[...])`: every attempt of every call, as a small immutable record without secrets."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator

import httpx
import pytest

from stripe_connect import APIConnectionError, AsyncStripeClient, Attempt, CardError, StripeClient
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply, Reset
from tests.support.objects import CHARGE

FIELDS = (
    "method",
    "route",
    "path",
    "stripe_account",
    "idempotency_key",
    "attempt",
    "status",
    "request_id",
    "elapsed",
    "exception",
)


class Recorder:
    def __init__(self) -> None:
        self.attempts: list[Attempt] = []

    def __call__(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)


@pytest.fixture
def seen() -> Recorder:
    return Recorder()


@pytest.fixture
def client(fault: FaultServer, seen: Recorder) -> Iterator[StripeClient]:
    with StripeClient(
        API_KEY, api_base=fault.url, stripe_account="acct_1", hooks=[seen], sleep=lambda _s: None
    ) as client:
        yield client


def test_each_attempt_of_a_retried_call(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(
        Reply(500, {"error": {"type": "api_error"}}, {"Request-Id": "req_a"}),
        Reset(),
        Reply(200, CHARGE, {"Request-Id": "req_c"}),
    )
    client.charges.retrieve("ch_1")
    first, second, third = seen.attempts
    assert [(a.method, a.route, a.path, a.stripe_account, a.idempotency_key) for a in seen.attempts] == [
        ("GET", "/v1/charges/{charge}", "/v1/charges/ch_1", "acct_1", None)
    ] * 3
    assert [(a.attempt, a.status, a.request_id) for a in seen.attempts] == [
        (1, 500, "req_a"),
        (2, None, None),
        (3, 200, "req_c"),
    ]
    assert first.exception is None and third.exception is None
    assert isinstance(second.exception, httpx.RemoteProtocolError | httpx.ReadError)
    assert all(a.elapsed > 0 for a in seen.attempts)
    assert (first.retried, second.retried) == (False, True)


def test_a_post_shows_its_one_idempotency_key(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(Reply(503), Reply(200, CHARGE))
    client.charges.create(amount=100, currency="usd", stripe_account="acct_2")
    sent = fault.requests[0].idempotency_key
    assert sent and [a.idempotency_key for a in seen.attempts] == [sent, sent]
    assert {(a.method, a.route, a.stripe_account) for a in seen.attempts} == {("POST", "/v1/charges", "acct_2")}


def test_the_attempt_that_ends_a_call_carries_its_error(
    fault: FaultServer, client: StripeClient, seen: Recorder
) -> None:
    fault.script(Reply(402, {"error": {"type": "card_error", "code": "card_declined"}}, {"Request-Id": "req_d"}))
    with pytest.raises(CardError) as raised:
        client.charges.retrieve("ch_1")
    (attempt,) = seen.attempts
    assert (attempt.status, attempt.request_id, attempt.exception) == (402, "req_d", raised.value)


def test_a_call_that_runs_out_of_attempts(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(Reset())
    with pytest.raises(APIConnectionError) as raised:
        client.charges.retrieve("ch_1", max_retries=1)
    assert [a.attempt for a in seen.attempts] == [1, 2]
    assert isinstance(seen.attempts[0].exception, httpx.TransportError)
    assert seen.attempts[1].exception is raised.value


def test_no_secret_and_no_param_in_a_record(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(Reply(200, CHARGE))
    client.charges.create(
        amount=100, currency="usd", receipt_email="jenny@example.com", description="VIP", api_key="sk_test_per_call_1"
    )
    (attempt,) = seen.attempts
    assert tuple(f.name for f in dataclasses.fields(attempt)) == FIELDS
    text = repr(attempt) + repr(dataclasses.astuple(attempt))
    for secret in (API_KEY, "sk_test_per_call_1", "jenny@example.com", "VIP"):
        assert secret not in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        attempt.status = 500  # type: ignore[misc]


def test_derived_tenant_clients_share_the_hooks(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(Reply(200, CHARGE), Reply(200, {"object": "list", "data": [], "has_more": False}))
    client.with_options(stripe_account="acct_7").charges.retrieve("ch_1")
    client.for_account("acct_8").charges.list()
    assert [(a.route, a.stripe_account) for a in seen.attempts] == [
        ("/v1/charges/{charge}", "acct_7"),
        ("/v1/charges", "acct_8"),
    ]


def test_a_raising_hook_is_logged_and_the_call_goes_on(
    fault: FaultServer, seen: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(attempt: Attempt) -> None:
        raise RuntimeError(f"hook bug {API_KEY}")

    fault.script(Reply(200, CHARGE))
    with (
        StripeClient(API_KEY, api_base=fault.url, hooks=[broken, seen]) as client,
        caplog.at_level(logging.WARNING, logger="stripe_connect"),
    ):
        charge = client.charges.retrieve("ch_1")
    assert charge.id == "ch_1"
    assert len(seen.attempts) == 1  # the hooks after the broken one still run
    (record,) = [r for r in caplog.records if "hook" in r.getMessage()]
    assert "broken raised RuntimeError on GET /v1/charges/{charge} (attempt 1)" in record.getMessage()
    assert API_KEY not in caplog.text


def test_raw_request_has_no_route_template(fault: FaultServer, client: StripeClient, seen: Recorder) -> None:
    fault.script(Reply(200, {"id": "thing_1", "object": "thing"}))
    client.raw_request("get", "/v1/things/thing_1")
    (attempt,) = seen.attempts
    assert (attempt.route, attempt.path) == (None, "/v1/things/thing_1")


def test_hooks_must_be_callable() -> None:
    with pytest.raises(TypeError, match="hooks must be callables"):
        StripeClient(API_KEY, hooks=["not a hook"])  # type: ignore[list-item]


def test_async_calls_report_each_attempt_and_a_cancelled_one(fault: FaultServer, seen: Recorder) -> None:
    async def no_wait(_s: float) -> None:
        return None

    async def main() -> None:
        async with AsyncStripeClient(API_KEY, api_base=fault.url, hooks=[seen], sleep=no_wait) as client:
            fault.script(Reply(500), Reply(200, CHARGE))
            await client.charges.retrieve("ch_1", stripe_account="acct_3")
            fault.script(Reply(200, CHARGE, delay=5))
            task = asyncio.ensure_future(client.charges.retrieve("ch_2"))
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    assert [(a.attempt, a.status, a.stripe_account) for a in seen.attempts[:2]] == [
        (1, 500, "acct_3"),
        (2, 200, "acct_3"),
    ]
    cancelled = seen.attempts[2]
    assert (cancelled.path, cancelled.status) == ("/v1/charges/ch_2", None)
    assert isinstance(cancelled.exception, asyncio.CancelledError)
