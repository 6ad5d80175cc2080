"""Retries, idempotency and timeouts under real faults: a scripted HTTP server on 127.0.0.1
(tests/support/fault_server.py).

Every case asserts how many attempts reached the server, what was raised, and that all attempts of one POST
carried the same Idempotency-Key. The client's `sleep` is a recorder: nothing really sleeps, and the backoff
it asked for is checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from stripe_connect import (
    APIConnectionError,
    APIError,
    AsyncStripeClient,
    InvalidRequestError,
    RateLimitError,
    StripeClient,
)
from stripe_connect._retry import INITIAL_DELAY, MAX_DELAY, retry_delay
from stripe_connect.models import Customer
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Recorded, Reply, Reset, Stall

CUSTOMER = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False, "email": "j@example.com"}


def error(status: int, kind: str = "api_error", **fields: Any) -> Reply:
    headers = fields.pop("headers", {})
    return Reply(status, {"error": {"type": kind, "message": f"{kind} happened", **fields}}, headers)


def one_key(requests: list[Recorded]) -> str:
    """The Idempotency-Key all these requests carried (there must be exactly one, on every request)."""
    keys = [r.idempotency_key for r in requests]
    assert None not in keys and len(set(keys)) == 1, keys
    return str(keys[0])


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(fault: FaultServer, sleeps: list[float]) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url, files_base=fault.url, sleep=sleeps.append) as client:
        yield client


def create(client: StripeClient, **options: Any) -> Customer:
    return client.customers.create(email="j@example.com", **options)


def test_500_then_200_is_retried_with_the_same_key(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(error(500), Reply(200, CUSTOMER))
    customer = create(client)
    assert isinstance(customer, Customer) and customer.id == "cus_1"
    assert fault.attempts() == 2
    assert one_key(fault.requests).count("-") == 4  # a uuid4, made by the client
    assert sleeps == [INITIAL_DELAY]
    assert fault.requests[0].body == fault.requests[1].body == b"email=j%40example.com"


def test_503_three_times_gives_up_after_max_retries(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(error(503), error(503), error(503), Reply(200, CUSTOMER))
    with pytest.raises(APIError, match="api_error happened") as raised:
        create(client)
    assert type(raised.value) is APIError and raised.value.http_status == 503
    assert fault.attempts() == 3  # the first try and max_retries=2 retries; the 200 is never reached
    one_key(fault.requests)
    assert len(sleeps) == 2


def test_max_retries_per_client_and_per_request(fault: FaultServer, sleeps: list[float]) -> None:
    fault.script(error(503))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0, sleep=sleeps.append) as client:
        with pytest.raises(APIError):
            create(client)
        assert fault.attempts() == 1
        with pytest.raises(APIError):
            create(client, max_retries=4)
        assert fault.attempts() == 1 + 5
        one_key(fault.requests[1:])
    assert len(sleeps) == 4


def test_409_conflict_is_retried(fault: FaultServer, client: StripeClient, sleeps: list[float]) -> None:
    fault.script(error(409, "invalid_request_error", code="lock_timeout"), Reply(200, CUSTOMER))
    assert create(client).id == "cus_1"
    assert fault.attempts() == 2
    one_key(fault.requests)
    assert sleeps == [INITIAL_DELAY]


def test_429_is_not_retried_without_stripe_should_retry(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(error(429, "invalid_request_error", code="rate_limit"), Reply(200, CUSTOMER))
    with pytest.raises(RateLimitError) as raised:
        create(client)
    assert raised.value.http_status == 429 and raised.value.code == "rate_limit"
    assert fault.attempts() == 1
    one_key(fault.requests)
    assert sleeps == []


def test_429_with_stripe_should_retry_waits_as_asked(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    should_retry = {"Stripe-Should-Retry": "true", "Retry-After": "3"}
    fault.script(error(429, "invalid_request_error", code="rate_limit", headers=should_retry), Reply(200, CUSTOMER))
    assert create(client).id == "cus_1"
    assert fault.attempts() == 2
    one_key(fault.requests)
    assert sleeps == [3.0]  # Retry-After (within 60 s) wins over the 0.5 s backoff


def test_stripe_should_retry_false_on_a_500_is_final(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(error(500, headers={"Stripe-Should-Retry": "false"}), Reply(200, CUSTOMER))
    with pytest.raises(APIError) as raised:
        create(client)
    assert raised.value.http_status == 500
    assert raised.value.headers["stripe-should-retry"] == "false"
    assert fault.attempts() == 1 and sleeps == []
    one_key(fault.requests)


def test_400_is_final(fault: FaultServer, client: StripeClient, sleeps: list[float]) -> None:
    fault.script(error(400, "invalid_request_error", param="email"), Reply(200, CUSTOMER))
    with pytest.raises(InvalidRequestError) as raised:
        create(client)
    assert raised.value.param == "email"
    assert fault.attempts() == 1 and sleeps == []
    one_key(fault.requests)


@pytest.mark.parametrize("hard", [True, False], ids=["rst", "fin"])
@pytest.mark.parametrize("after", [0, 30, 120])  # before the status line, inside the headers, inside the body
def test_connection_reset_is_retried(
    fault: FaultServer, client: StripeClient, sleeps: list[float], after: int, hard: bool
) -> None:
    fault.script(Reset(after=after, hard=hard), Reply(200, CUSTOMER))
    assert create(client).id == "cus_1"
    assert fault.attempts() == 2
    one_key(fault.requests)
    assert sleeps == [INITIAL_DELAY]


def test_connection_reset_every_time_is_a_connection_error(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(Reset(after=60))
    with pytest.raises(APIConnectionError, match=r"POST /v1/customers could not complete after 3 attempt\(s\)"):
        create(client)
    assert fault.attempts() == 3
    one_key(fault.requests)
    assert len(sleeps) == 2


def test_post_whose_response_was_lost_is_applied_once(fault: FaultServer, client: StripeClient) -> None:
    # The server does the work, then the connection dies before the client hears back. The retry carries the
    # same key, so the server replays the stored result instead of doing the work again.
    fault.script(Reset(Reply(200, CUSTOMER), after=0, applies=True), Reply(200, {**CUSTOMER, "id": "cus_2"}))
    customer = create(client)
    assert customer.id == "cus_1"  # the replayed original, not a second customer
    assert fault.attempts() == 2
    assert fault.applications == 1 and fault.replays == 1
    one_key(fault.requests)


def test_user_idempotency_key_is_reused_on_every_attempt(fault: FaultServer, client: StripeClient) -> None:
    fault.script(error(500), Reset(after=10), Reply(200, CUSTOMER))
    create(client, idempotency_key="signup-42")
    assert fault.attempts() == 3
    assert one_key(fault.requests) == "signup-42"


def test_get_and_delete_retry_without_an_idempotency_key(fault: FaultServer, client: StripeClient) -> None:
    fault.script(error(500), Reply(200, CUSTOMER))
    client.customers.retrieve("cus_1")
    fault.script(error(502), Reply(200, {"id": "cus_1", "object": "customer", "deleted": True}))
    client.customers.delete("cus_1")
    assert [(r.method, r.idempotency_key) for r in fault.requests] == [("GET", None)] * 2 + [("DELETE", None)] * 2


def test_read_timeout_is_retried_then_a_connection_error(fault: FaultServer, sleeps: list[float]) -> None:
    fault.script(Stall(5.0))
    timeout = httpx.Timeout(5.0, read=0.1)
    with (
        StripeClient(API_KEY, api_base=fault.url, timeout=timeout, sleep=sleeps.append) as c,
        pytest.raises(APIConnectionError, match=r"timed out after 3 attempt\(s\): ReadTimeout") as raised,
    ):
        create(c)
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert fault.attempts() == 3
    one_key(fault.requests)
    assert len(sleeps) == 2


def test_a_read_timeout_then_success(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Stall(5.0), Reply(200, CUSTOMER))
    assert create(client, timeout=0.5).id == "cus_1"  # each attempt, the successful one too, in 0.5 s
    assert fault.attempts() == 2
    one_key(fault.requests)


def test_per_request_timeout_reaches_the_wire(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, CUSTOMER, delay=0.3))
    with pytest.raises(APIConnectionError, match="timed out"):
        client.customers.retrieve("cus_1", timeout=0.05, max_retries=0)
    assert client.customers.retrieve("cus_1", timeout=5).id == "cus_1"  # same server, patient enough


def test_html_502_is_retried_then_an_api_error_naming_the_status(fault: FaultServer, client: StripeClient) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    fault.script(Reply(502, page, {"Content-Type": "text/html"}))
    with pytest.raises(APIError, match="HTTP 502 with a body that is not JSON") as raised:
        create(client)
    assert raised.value.http_status == 502 and raised.value.body is None
    assert "status 502" in str(raised.value)
    assert fault.attempts() == 3
    one_key(fault.requests)


def test_truncated_json_error_is_an_api_error(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(500, b'{"error": {"type": "api_error", "mess'))
    with pytest.raises(APIError, match="HTTP 500 with a body that is not JSON"):
        create(client, max_retries=1)
    assert fault.attempts() == 2
    one_key(fault.requests)


def test_truncated_json_success_is_an_api_error_not_retried(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(200, b'{"id": "cus_1", "object": "custo'))
    with pytest.raises(APIError, match=r"POST /v1/customers returned a body that is not a valid Customer \(HTTP 200\)"):
        create(client)
    assert fault.attempts() == 1  # the server answered: the call may have been applied, so never resent
    one_key(fault.requests)


def test_empty_body_on_500(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(500, b""))
    with pytest.raises(APIError, match="HTTP 500 with an empty body") as raised:
        create(client)
    assert raised.value.http_status == 500 and raised.value.request_id == "req_fault"
    assert fault.attempts() == 3
    one_key(fault.requests)


def test_nothing_listening_is_a_connection_error(sleeps: list[float]) -> None:
    with FaultServer() as gone:
        url = gone.url  # a port that was just closed
    with (
        StripeClient(API_KEY, api_base=url, sleep=sleeps.append) as client,
        pytest.raises(APIConnectionError, match=r"could not complete after 3 attempt\(s\): ConnectError"),
    ):
        client.balance.retrieve()
    assert len(sleeps) == 2


def test_an_error_that_cannot_heal_is_not_retried(sleeps: list[float]) -> None:
    attempts: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ProxyError("proxy said no", request=request)

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    client = StripeClient(API_KEY, http_client=http, sleep=sleeps.append)
    with pytest.raises(APIConnectionError, match=r"after 1 attempt\(s\): ProxyError \(proxy said no\)"):
        client.balance.retrieve()
    assert len(attempts) == 1 and sleeps == []


# Backoff


def test_backoff_doubles_from_half_a_second_capped_at_five_with_jitter(
    fault: FaultServer, client: StripeClient, sleeps: list[float]
) -> None:
    fault.script(error(500))
    with pytest.raises(APIError):
        create(client, max_retries=7)
    assert fault.attempts() == 8
    one_key(fault.requests)
    steps = [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert len(sleeps) == len(steps)
    for slept, step in zip(sleeps, steps, strict=True):
        assert max(INITIAL_DELAY, step / 2) <= slept <= step


def test_retry_delay_bounds_and_jitter() -> None:
    assert [retry_delay(n, rand=lambda: 0.0) for n in range(6)] == [0.5, 0.5, 1.0, 2.0, 2.5, 2.5]
    assert [retry_delay(n, rand=lambda: 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert retry_delay(2, rand=lambda: 0.5) == 1.5
    assert max(retry_delay(30) for _ in range(100)) <= MAX_DELAY


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("2", 2.0),  # longer than the backoff: honoured
        ("0.1", 0.5),  # shorter: the backoff still applies
        ("60", 60.0),  # the cap itself is sane
        ("61", 0.5),  # beyond the cap: ignored
        ("-1", 0.5),
        ("nan", 0.5),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.5),  # a date: ignored (Stripe sends seconds)
    ],
)
def test_retry_after_is_honoured_when_sane(
    fault: FaultServer, client: StripeClient, sleeps: list[float], retry_after: str, expected: float
) -> None:
    fault.script(error(503, headers={"Retry-After": retry_after}), Reply(200, CUSTOMER))
    create(client)
    assert sleeps == [expected]


# Timeouts: what reaches httpx


def sent_timeouts(**client_options: Any) -> tuple[Any, Any]:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=CUSTOMER)

    client = StripeClient(API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(reply)), **client_options)
    client.customers.retrieve("cus_1")
    client.customers.retrieve("cus_1", timeout=7.5)
    return seen[0].extensions["timeout"], seen[1].extensions["timeout"]


def test_default_timeouts_connect_and_read() -> None:
    default, per_request = sent_timeouts()
    assert default == {"connect": 30.0, "read": 80.0, "write": 80.0, "pool": 80.0}
    assert per_request == {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}


def test_client_timeout_and_per_request_override() -> None:
    default, per_request = sent_timeouts(timeout=httpx.Timeout(20.0, connect=2.0))
    assert default == {"connect": 2.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert per_request["read"] == 7.5
    default, _ = sent_timeouts(timeout=12)
    assert default["connect"] == default["read"] == 12


@pytest.mark.parametrize("bad", [0, -1, "5", True])
def test_bad_timeout_is_rejected_before_sending(bad: object) -> None:
    client = StripeClient(API_KEY, api_base="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        client.customers.retrieve("cus_1", timeout=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 1.5, "2"])
def test_bad_max_retries_is_rejected_before_sending(bad: object) -> None:
    client = StripeClient(API_KEY, api_base="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="max_retries must be a non-negative integer"):
        client.customers.retrieve("cus_1", max_retries=bad)  # type: ignore[arg-type]


# The async client runs the same loop with an async sleep.


def run_async(fault: FaultServer, body: Any, **options: Any) -> tuple[Any, list[float]]:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def main() -> Any:
        async with AsyncStripeClient(API_KEY, api_base=fault.url, sleep=sleep, **options) as client:
            return await body(client)

    return asyncio.run(main()), sleeps


def test_async_500_then_200_with_one_key(fault: FaultServer) -> None:
    fault.script(error(500), Reset(after=40), Reply(200, CUSTOMER))
    customer, sleeps = run_async(fault, lambda c: c.customers.create(email="j@example.com"))
    assert isinstance(customer, Customer)
    assert fault.attempts() == 3
    one_key(fault.requests)
    assert sleeps[0] == INITIAL_DELAY and INITIAL_DELAY <= sleeps[1] <= 1.0


def test_async_503_three_times_is_an_api_error(fault: FaultServer) -> None:
    fault.script(error(503))

    async def body(client: AsyncStripeClient) -> None:
        with pytest.raises(APIError) as raised:
            await client.customers.create(email="j@example.com")
        assert raised.value.http_status == 503

    _, sleeps = run_async(fault, body)
    assert fault.attempts() == 3 and len(sleeps) == 2
    one_key(fault.requests)


def test_async_read_timeout_is_a_connection_error(fault: FaultServer) -> None:
    fault.script(Stall(5.0))

    async def body(client: AsyncStripeClient) -> None:
        with pytest.raises(APIConnectionError, match="timed out after 2 attempt"):
            await client.balance.retrieve(timeout=0.1, max_retries=1)

    _, sleeps = run_async(fault, body)
    assert fault.attempts() == 2 and sleeps == [INITIAL_DELAY]


def test_async_lost_response_is_applied_once(fault: FaultServer) -> None:
    fault.script(Reset(Reply(200, CUSTOMER), after=50, applies=True), Reply(200, {**CUSTOMER, "id": "cus_2"}))
    customer, _ = run_async(fault, lambda c: c.customers.create(email="j@example.com"))
    assert customer.id == "cus_1"
    assert fault.applications == 1 and fault.replays == 1
    one_key(fault.requests)
