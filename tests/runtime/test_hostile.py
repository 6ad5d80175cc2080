"""Hostile input: ids that would re-route a call, credentials that would leak, bodies and servers that would
break or hang it. Each is refused early with a typed error naming the problem, never a secret."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from stripe_connect import (
    APIConnectionError,
    APIError,
    AsyncStripeClient,
    StripeClient,
    StripeError,
)
from tests.conftest import API_KEY
from tests.runtime.test_async import walk
from tests.support.fault_server import Drip, FaultServer, Reply, Stall

CUSTOMER = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False}


def recording_client(**options: Any) -> tuple[StripeClient, list[httpx.Request]]:
    """A client whose every request is recorded (and answered 404): proves what was, or was not, sent."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404, json={"error": {"type": "invalid_request_error", "message": "no"}})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return StripeClient(API_KEY, http_client=http, **{"max_retries": 0, **options}), sent


# -- path parameters ----------------------------------------------------------------------------------


def id_methods() -> Iterator[tuple[str, Callable[..., Any], list[str]]]:
    """Every generated method taking ids in its route: (its name, the bound method, its id parameters)."""
    client = StripeClient(API_KEY)
    for where, service in walk(client):
        for name, method in inspect.getmembers(service, inspect.ismethod):
            if name.startswith("_") or where == "client":
                continue
            params = list(inspect.signature(method).parameters.values())
            ids = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
            if ids:
                yield f"{where}.{name}", method, ids


def call_with(method: Callable[..., Any], ids: list[str], position: int, value: str) -> None:
    required = {
        p.name: "x"
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    }
    method(*[value if i == position else f"id_{i}" for i in range(len(ids))], **required)


@pytest.mark.parametrize("segment", [".", ".."])
def test_every_id_of_every_method_refuses_dot_segments(segment: str) -> None:
    methods = list(id_methods())
    assert len(methods) > 250  # the whole tree was walked
    checked = 0
    for where, method, ids in methods:
        for position, name in enumerate(ids):
            with pytest.raises(ValueError, match=f"{name} must be an id, not the path segment") as raised:
                call_with(method, ids, position, segment)
            assert raised.value is not None, where
            checked += 1
    assert checked > 350


def test_the_issue_examples_send_nothing() -> None:
    client, sent = recording_client()
    with pytest.raises(ValueError):
        client.accounts.external_accounts.delete("acct_1", "..")
    with pytest.raises(ValueError):
        client.customers.update(".", description="x")
    with pytest.raises(ValueError):
        client.raw_request("get", "/v1/customers/../accounts")
    assert sent == []


@pytest.mark.parametrize(
    "hostile",
    ["%2e%2e", "%2E", "a/b", "../x", "./", "ü_1", "a\nb", "a\x00b", "%2F", "a?b=c", "a#b", " cus_1 ", "...", "a\\b"],
)
def test_other_ids_arrive_as_one_percent_encoded_segment(fault: FaultServer, hostile: str) -> None:
    fault.script(Reply(200, {"id": "ba_1", "object": "bank_account", "deleted": True}))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        client.accounts.external_accounts.delete("acct_1", hostile)
    (request,) = fault.requests
    assert request.method == "DELETE"
    assert request.path == f"/v1/accounts/acct_1/external_accounts/{quote(hostile, safe='')}"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers/../accounts",
        "/v1/customers/%2e%2e/accounts",
        "/v1/customers/%2E%2e",
        "/v1/./customers",
        "/v1/customers/%2e",
        "/..",
    ],
)
def test_raw_request_refuses_dot_segments(path: str) -> None:
    client, sent = recording_client()
    with pytest.raises(ValueError, match="dot segments"):
        client.raw_request("get", path)
    assert sent == []


def test_raw_request_keeps_dots_inside_a_segment(fault: FaultServer) -> None:
    fault.script(Reply(200, {}))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        client.raw_request("get", "/v1/files/file_1.pdf..x")
    assert fault.requests[0].path == "/v1/files/file_1.pdf..x"


# -- credentials and header-bound options --------------------------------------------------------------

SECRET_KEY = "sk_test_hostileSECRET0123456789"
BAD_FORMS = {
    "trailing newline": SECRET_KEY + "\n",
    "carriage return": SECRET_KEY + "\r\n",
    "header injection": SECRET_KEY + "\r\nX-Evil: 1",
    "leading space": " " + SECRET_KEY,
    "inner space": SECRET_KEY[:10] + " " + SECRET_KEY[10:],
    "tab": SECRET_KEY + "\t",
    "nul": SECRET_KEY + "\x00",
    "non-ascii": SECRET_KEY + "é",
    "non-ascii space": SECRET_KEY + "\u00a0",
}
HEADER_OPTIONS = ["api_key", "stripe_account", "stripe_version", "idempotency_key"]


def assert_names_not_reveals(error: BaseException, option: str, value: str) -> None:
    text = "".join(traceback.format_exception(error)) + repr(error)
    assert option in str(error)
    for leak in (value, value.strip(), SECRET_KEY):
        assert leak not in text, (option, text)


@pytest.mark.parametrize("form", list(BAD_FORMS))
@pytest.mark.parametrize("option", [*HEADER_OPTIONS[:3], "client_id"])
def test_a_bad_credential_is_refused_when_the_client_is_built(option: str, form: str) -> None:
    value = BAD_FORMS[form]
    options: dict[str, Any] = {"api_key": API_KEY, option: value}
    with pytest.raises(ValueError) as built:
        StripeClient(**options)
    assert_names_not_reveals(built.value, option, value)
    with pytest.raises(ValueError) as derived:
        StripeClient(API_KEY).with_options(**{option: value})  # type: ignore[misc]
    assert str(derived.value) == str(built.value)
    with pytest.raises(ValueError) as built_async:
        AsyncStripeClient(**options)
    assert str(built_async.value) == str(built.value)


@pytest.mark.parametrize("form", list(BAD_FORMS))
@pytest.mark.parametrize("option", HEADER_OPTIONS)
def test_a_bad_credential_is_refused_when_a_call_receives_it(option: str, form: str) -> None:
    value = BAD_FORMS[form]
    client, sent = recording_client()
    options: dict[str, Any] = {option: value}
    with pytest.raises(ValueError) as raised:
        client.customers.create(email="a@example.com", **options)
    assert_names_not_reveals(raised.value, option, value)
    assert sent == []


def test_bad_extra_header_values_are_refused_without_their_value() -> None:
    client, sent = recording_client()
    for form, value in BAD_FORMS.items():
        if form == "inner space":
            continue  # a header value may hold spaces (the test below sends one)
        with pytest.raises(ValueError) as raised:
            client.customers.retrieve("cus_1", extra_headers={"Stripe-Context": value})
        assert_names_not_reveals(raised.value, "extra_headers", value)
    assert sent == []


def test_a_transport_error_quoting_the_key_leaves_no_trace_of_it_in_the_chain() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        try:
            raise ValueError(f"bad header: Authorization: Bearer {API_KEY}")  # what h11 does on a bad value
        except ValueError as inner:
            raise httpx.LocalProtocolError(f"refused {request.headers['authorization']}", request=request) from inner

    client = StripeClient(API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(fail)), max_retries=0)
    with pytest.raises(APIConnectionError) as raised:
        client.balance.retrieve()
    chain: list[BaseException] = []
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert [type(e) for e in chain] == [APIConnectionError, httpx.LocalProtocolError]
    assert raised.value.__context__ is None  # raised outside the `except`: the original is not its context
    said = "".join(traceback.format_exception(raised.value)) + "".join(repr(vars(e)) for e in chain)
    assert "refused Bearer [REDACTED]" in said
    assert API_KEY not in said and API_KEY[8:40] not in said


# -- every logger, at DEBUG -----------------------------------------------------------------------------

IBAN = "DE89370400440532013000"
CLIENT_SECRET = "pi_3Nx1_secret_Zk81Hq0wLmN4pRsT7uVyB2"
ACCESS_TOKEN = "sk_test_connectedAccountToken123456"
OAUTH_CODE = "ac_Zx81Hq0wLmN4pRsT7uVyB2Qe"
REFRESH_TOKEN = "rt_Zx81Hq0wLmN4pRsT7uVyB2Qe"
SECRETS = {
    "platform key": API_KEY,
    "access token": ACCESS_TOKEN,
    "client secret": CLIENT_SECRET,
    "card number": "4242424242424242",
    "account number": "000123456789",
    "iban": IBAN,
    "grouped iban": "DE89 3704 0044 0532 0130 00",
    "oauth code": OAUTH_CODE,
    "refresh token": REFRESH_TOKEN,
}


def test_no_secret_reaches_any_log_record(fault: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    payment_intent = {"id": "pi_3Nx1", "object": "payment_intent", "client_secret": "[hidden]"}
    fault.script(Reply(200, payment_intent))
    with (
        caplog.at_level(logging.DEBUG),  # the root logger: ours, httpx's, httpcore's and anyone's
        StripeClient(API_KEY, api_base=fault.url, connect_base=fault.url, max_retries=0) as client,
    ):
        with contextlib.suppress(StripeError):  # not a full PaymentIntent: what matters is what was logged
            client.payment_intents.retrieve("pi_3Nx1", client_secret=CLIENT_SECRET)
        client.raw_request("get", "/v1/things", {"client_secret": CLIENT_SECRET, "card": {"cvc": "314"}})
        client.raw_request(
            "post",
            "/v1/payment_methods",
            {
                "type": "sepa_debit",
                "sepa_debit": {"iban": IBAN},
                "card": {"number": "4242424242424242", "cvc": "314"},
                "metadata": {"note": "DE89 3704 0044 0532 0130 00"},
            },
            api_key=ACCESS_TOKEN,
        )
        client.raw_request("post", "/v1/tokens", {"bank_account": {"account_number": "000123456789"}})
        fault.script(Reply(200, {"stripe_user_id": "acct_1", "access_token": "sk_test_x"}))
        client.oauth.token(grant_type="authorization_code", code=OAUTH_CODE)
        client.oauth.token(grant_type="refresh_token", refresh_token=REFRESH_TOKEN)
    # The secrets really went out, and httpx really logged each request.
    assert CLIENT_SECRET in fault.requests[0].query and IBAN in fault.requests[2].body.decode().replace("%20", " ")
    http_lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert len(http_lines) == 6 and "client_secret=[REDACTED]" in http_lines[0], http_lines
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    said = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for what, secret in SECRETS.items():
        assert secret not in said, what
    # A CVC is too short to look for alone (a port or an address may hold its digits): look at its field.
    assert re.search(r"cvc(\]|%5D)=", said) and not re.search(r"cvc(\]|%5D)=(?!\[REDACTED\])", said)


# -- bodies that break parsers -------------------------------------------------------------------------

NESTED = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("status", [200, 400, 500])
def test_a_deeply_nested_body_is_a_stripe_error(fault: FaultServer, status: int) -> None:
    fault.script(Reply(status, NESTED))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        with pytest.raises(StripeError) as typed:
            client.customers.retrieve("cus_1")
        with pytest.raises(StripeError) as raw:
            client.raw_request("get", "/v1/customers/cus_1")
    assert typed.value.http_status == raw.value.http_status == status
    assert typed.value.body is None


def test_a_body_past_max_response_bytes_is_an_error_never_a_partial_object(fault: FaultServer) -> None:
    big = {**CUSTOMER, "description": "x" * 5000}
    fault.script(Reply(200, big), Reply(200, big, chunked=True), Reply(200, CUSTOMER, chunked=True))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=2, max_response_bytes=4096) as client:
        with pytest.raises(APIError, match="larger than max_response_bytes=4096") as declared:
            client.customers.retrieve("cus_1")
        with pytest.raises(APIError, match="larger than max_response_bytes=4096"):
            client.customers.retrieve("cus_1")  # no Content-Length: counted while read
        assert client.customers.retrieve("cus_1").id == "cus_1"
        assert client.customers.retrieve("cus_1", max_response_bytes=10_000).id == "cus_1"
    assert declared.value.http_status == 200
    assert len(fault.requests) == 4  # a body too large is not retried: it would be as large again


# -- servers that never finish ---------------------------------------------------------------------------


@pytest.mark.parametrize("body_only", [False, True], ids=["dripping-head", "dripping-body"])
def test_timeout_bounds_each_attempt_from_connect_to_last_byte(fault: FaultServer, body_only: bool) -> None:
    fault.script(Drip(Reply(200, {**CUSTOMER, "description": "x" * 100}), every=0.05, body_only=body_only))
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(APIConnectionError, match="timed out after 1 attempt"):
            client.customers.retrieve("cus_1", timeout=0.6)
        elapsed = time.monotonic() - started
    assert 0.6 <= elapsed < 1.2, elapsed  # each byte came in 50 ms: httpx's read timeout alone never fires


def test_async_timeout_bounds_each_attempt(fault: FaultServer) -> None:
    fault.script(Drip(Reply(200, {**CUSTOMER, "description": "x" * 100}), every=0.05))

    async def main() -> float:
        async with AsyncStripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
            started = time.monotonic()
            with pytest.raises(APIConnectionError, match="timed out"):
                await client.customers.retrieve("cus_1", timeout=0.6)
            return time.monotonic() - started

    elapsed = asyncio.run(main())
    assert 0.6 <= elapsed < 1.2, elapsed


def test_your_own_http_client_is_bounded_between_reads(fault: FaultServer) -> None:
    fault.script(Drip(Reply(200, {**CUSTOMER, "description": "x" * 100}), every=0.05, body_only=True))
    with httpx.Client() as http, StripeClient(API_KEY, api_base=fault.url, max_retries=0, http_client=http) as client:
        started = time.monotonic()
        with pytest.raises(APIConnectionError, match="timed out"):
            client.customers.retrieve("cus_1", timeout=0.6)
        assert time.monotonic() - started < 1.2


def test_the_deadline_bounds_the_whole_call_retries_included(fault: FaultServer) -> None:
    fault.script(Stall(3.0))
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    with StripeClient(API_KEY, api_base=fault.url, max_retries=10, timeout=0.4, sleep=sleep) as client:
        started = time.monotonic()
        with pytest.raises(APIConnectionError, match="timed out"):
            client.customers.retrieve("cus_1", deadline=1.5)
        elapsed = time.monotonic() - started
    assert elapsed < 1.9, elapsed
    assert 1 <= len(waits) < 10  # it did retry, then stopped for the deadline rather than for max_retries


def test_no_retry_waits_past_the_deadline(fault: FaultServer) -> None:
    fault.script(Reply(503, {"error": {"type": "api_error", "message": "busy"}}, {"Retry-After": "30"}))
    waits: list[float] = []
    with StripeClient(API_KEY, api_base=fault.url, max_retries=3, sleep=waits.append, deadline=5.0) as client:
        with pytest.raises(APIError, match="busy"):
            client.customers.retrieve("cus_1")
        assert waits == [] and len(fault.requests) == 1
        with pytest.raises(APIError, match="busy"):
            client.customers.retrieve("cus_1", deadline=None)  # without one, Retry-After is honoured
    assert waits == [30.0, 30.0, 30.0]


# -- pages that never advance -----------------------------------------------------------------------------


def stuck_page(fault: FaultServer) -> None:
    page = {"object": "list", "url": "/v1/customers", "has_more": True, "data": [CUSTOMER]}
    fault.script(Reply(200, page))


def test_a_page_that_does_not_advance_stops_with_an_error(fault: FaultServer) -> None:
    stuck_page(fault)
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        seen: list[str] = []
        with pytest.raises(APIError, match=r"GET /v1/customers: the list does not advance .*starting_after='cus_1'"):
            for customer in client.customers.list(limit=1).auto_paging_iter():
                seen.append(customer.id)
                assert len(seen) < 10, "the walk loops"
    assert seen == ["cus_1", "cus_1"] and len(fault.requests) == 2


def test_an_async_page_that_does_not_advance_stops_with_an_error(fault: FaultServer) -> None:
    stuck_page(fault)

    async def main() -> list[str]:
        seen: list[str] = []
        async with AsyncStripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
            with pytest.raises(APIError, match="the list does not advance"):
                async for customer in client.customers.list(limit=1).auto_paging_iter():
                    seen.append(customer.id)
                    assert len(seen) < 10, "the walk loops"
        return seen

    assert asyncio.run(main()) == ["cus_1", "cus_1"]
    assert len(fault.requests) == 2


# -- use after close ------------------------------------------------------------------------------------


def test_a_closed_client_and_its_tenants_refuse_to_send(fault: FaultServer) -> None:
    fault.script(Reply(200, CUSTOMER))
    client = StripeClient(API_KEY, api_base=fault.url, max_retries=0)
    before = client.for_account("acct_1")
    assert before.customers.retrieve("cus_1").id == "cus_1"
    client.close()
    after = client.for_account("acct_2")
    for closed in (client, before, after):
        with pytest.raises(RuntimeError, match="this Stripe client was closed"):
            closed.customers.retrieve("cus_1")
    assert len(fault.requests) == 1


def test_a_closed_client_with_your_http_client_refuses_too() -> None:
    client, sent = recording_client()
    with client:
        pass
    with pytest.raises(RuntimeError, match="was closed"):
        client.balance.retrieve()
    assert sent == []


def test_a_closed_async_client_refuses_to_send() -> None:
    async def main() -> None:
        async with AsyncStripeClient(API_KEY, api_base="http://127.0.0.1:9") as client:
            tenant = client.for_account("acct_1")
        with pytest.raises(RuntimeError, match="was closed"):
            await tenant.balance.retrieve()

    asyncio.run(main())


# -- headers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Host", "the HTTP transport sets it"),
        ("content-length", "the HTTP transport sets it"),
        ("Transfer-Encoding", "the HTTP transport sets it"),
        ("Connection", "the HTTP transport sets it"),
        ("Keep-Alive", "the HTTP transport sets it"),
        ("Upgrade", "the HTTP transport sets it"),
        ("TE", "the HTTP transport sets it"),
        ("Expect", "the HTTP transport sets it"),
        ("Authorization", "use the api_key option"),
        ("Stripe-Account", "use the stripe_account option"),
        ("STRIPE-VERSION", "use the stripe_version option"),
        ("Idempotency-Key", "use the idempotency_key option"),
        ("Content-Type", "the SDK sets it"),
        ("Content-Encoding", "the SDK sets it"),
        ("User-Agent", "the SDK sets it"),
    ],
)
def test_extra_headers_cannot_set_what_the_sdk_or_the_transport_owns(header: str, reason: str) -> None:
    client, sent = recording_client()
    with pytest.raises(ValueError, match=f"extra_headers cannot set {header!r}.*{reason}"):
        client.customers.create(email="a@example.com", extra_headers={header: "x"})
    with pytest.raises(ValueError, match="extra_headers cannot set"):
        client.raw_request("get", "/v1/balance", extra_headers={"X-Ok": "1", header: "x"})
    assert sent == []


@pytest.mark.parametrize("name", ["Bad Header", "X-Bad:", "", "X-Ü"])
def test_extra_header_names_must_be_tokens(name: str) -> None:
    client, sent = recording_client()
    with pytest.raises(ValueError, match="a header name must be an HTTP token"):
        client.balance.retrieve(extra_headers={name: "x"})
    assert sent == []


def test_other_extra_headers_are_sent() -> None:
    client, sent = recording_client()
    with pytest.raises(StripeError):
        client.balance.retrieve(extra_headers={"Stripe-Context": "ctx_1", "X-Trace": "a b"})
    assert sent[0].headers["stripe-context"] == "ctx_1" and sent[0].headers["x-trace"] == "a b"


# -- option values: one validator for the client, with_options and each call --------------------------------

BAD_OPTIONS = [
    ("timeout", 0, "timeout must be a positive number of seconds"),
    ("timeout", -1, "timeout must be a positive number of seconds"),
    ("timeout", float("inf"), "timeout must be a positive number of seconds"),
    ("timeout", float("nan"), "timeout must be a positive number of seconds"),
    ("timeout", True, "timeout must be a positive number of seconds"),
    ("timeout", "5", "timeout must be a positive number of seconds"),
    ("timeout", httpx.Timeout(5, read=-1), "each limit of an httpx.Timeout must be positive and finite"),
    ("timeout", httpx.Timeout(None), "each limit of an httpx.Timeout must be positive and finite"),
    ("max_retries", True, "max_retries must be a non-negative integer"),
    ("max_retries", -1, "max_retries must be a non-negative integer"),
    ("max_retries", 1.5, "max_retries must be a non-negative integer"),
    ("deadline", 0, "deadline must be None or a positive, finite number of seconds"),
    ("deadline", float("inf"), "deadline must be None or a positive, finite number of seconds"),
    ("deadline", False, "deadline must be None or a positive, finite number of seconds"),
    ("max_response_bytes", 0, "max_response_bytes must be None or a positive integer"),
    ("max_response_bytes", 1.0, "max_response_bytes must be None or a positive integer"),
    ("max_response_bytes", True, "max_response_bytes must be None or a positive integer"),
]


@pytest.mark.parametrize(("option", "value", "message"), BAD_OPTIONS, ids=lambda v: repr(v)[:30])
def test_an_option_is_refused_alike_by_the_client_with_options_and_a_call(
    option: str, value: object, message: str
) -> None:
    options: dict[str, Any] = {option: value}
    with pytest.raises(ValueError, match=message) as built:
        StripeClient(API_KEY, **options)
    with pytest.raises(ValueError, match=message) as built_async:
        AsyncStripeClient(API_KEY, **options)
    with pytest.raises(ValueError, match=message) as derived:
        StripeClient(API_KEY).with_options(**options)
    client, sent = recording_client()
    with pytest.raises(ValueError, match=message) as called:
        client.balance.retrieve(**options)
    assert str(built.value) == str(built_async.value) == str(derived.value) == str(called.value)
    assert sent == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0.5),
        ("timeout", 3),
        ("timeout", httpx.Timeout(5, connect=1)),
        ("max_retries", 0),
        ("deadline", 2.5),
        ("deadline", None),
        ("max_response_bytes", 1),
        ("max_response_bytes", None),
    ],
)
def test_good_option_values_pass_everywhere(option: str, value: object) -> None:
    options: dict[str, Any] = {option: value}
    client, sent = recording_client(**options)
    assert getattr(client.with_options(**options).options, option) == value
    with pytest.raises(StripeError):  # the recording transport answers 404: the call was sent
        client.balance.retrieve(**options)
    assert len(sent) == 1
