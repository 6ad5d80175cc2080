"""Logging through `stripe_connect`: one INFO line per attempt, params at DEBUG with secrets masked, and no
secret anywhere: not in any log record (ours, httpx's, httpcore's), not in any exception's str or repr."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from stripe_connect import APIConnectionError, AuthenticationError, CardError, StripeClient, StripeError
from stripe_connect._redact import redact
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply, Reset, Stall

CUSTOMER = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False}
PAYMENT_METHOD = {
    "id": "pm_1",
    "object": "payment_method",
    "created": 1,
    "livemode": False,
    "type": "card",
    "billing_details": {},
}
TOKEN = {"id": "btok_1", "object": "token", "created": 1, "livemode": False, "type": "bank_account", "used": False}
CARD = {"number": "4242 4242 4242 4242", "cvc": "314", "exp_month": 12, "exp_year": 2034}
OAUTH_TOKEN = "ac_tok_Zx81Hq0wLmN4pRsT7uVyB2"  # a per-call secret of no known shape


class Records:
    """Everything every logger said during the test, at every level: httpx and httpcore included."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    @property
    def all(self) -> list[logging.LogRecord]:
        return self.caplog.records

    def ours(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.all if r.name == "stripe_connect" and r.levelno == level]


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> Iterator[Records]:
    with caplog.at_level(logging.DEBUG):
        yield Records(caplog)


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(API_KEY, api_base=fault.url, stripe_account="acct_1", sleep=lambda _s: None) as client:
        yield client


def test_info_line_per_attempt(fault: FaultServer, client: StripeClient, records: Records) -> None:
    fault.script(Reply(500, b"", {"Request-Id": "req_one"}), Reset(), Reply(200, CUSTOMER, {"Request-Id": "req_two"}))
    client.customers.create(email="j@example.com")
    lines = records.ours(logging.INFO)
    assert len(lines) == 3
    assert re.fullmatch(r"POST /v1/customers -> 500 \(request req_one, attempt 1, \d+ ms\)", lines[0])
    assert re.fullmatch(r"POST /v1/customers failed in transit \(ReadError, attempt 2\)", lines[1])
    assert re.fullmatch(r"POST /v1/customers -> 200 \(request req_two, attempt 3, \d+ ms\)", lines[2])


def test_params_only_at_debug_with_secrets_masked(
    fault: FaultServer, client: StripeClient, records: Records, caplog: pytest.LogCaptureFixture
) -> None:
    listed = {"object": "list", "data": [], "has_more": False, "url": "/v1/customers"}
    fault.script(Reply(200, PAYMENT_METHOD), Reply(200, PAYMENT_METHOD), Reply(200, TOKEN), Reply(200, listed))
    caplog.set_level(logging.INFO, logger="stripe_connect")
    client.payment_methods.create(type="card", card=CARD)  # type: ignore[typeddict-item]
    assert records.ours(logging.DEBUG) == []  # bodies never at INFO

    caplog.set_level(logging.DEBUG, logger="stripe_connect")
    client.payment_methods.create(type="card", card=CARD, metadata={"note": "card 4000 0566 5566 5556"})  # type: ignore[typeddict-item]
    client.tokens.create(
        bank_account={"account_number": "000123456789", "routing_number": "110000000", "country": "US"},
        pii={"id_number": "000000000"},
    )
    client.customers.list(email="j@example.com", limit=3)
    debug = records.ours(logging.DEBUG)
    assert debug == [
        "POST /v1/payment_methods params: card[number]=[REDACTED]&card[cvc]=[REDACTED]&card[exp_month]=12"
        "&card[exp_year]=2034&metadata[note]=card [REDACTED]&type=card",
        "POST /v1/tokens params: bank_account[account_number]=[REDACTED]&bank_account[routing_number]=110000000"
        "&bank_account[country]=US&pii[id_number]=[REDACTED]",
        "GET /v1/customers params: email=j@example.com&limit=3",
    ]


def test_oauth_token_exchange_params_are_masked(fault: FaultServer, client: StripeClient, records: Records) -> None:
    fault.script(Reply(200, {}))
    client.raw_request("post", "/v1/things", {"code": OAUTH_TOKEN, "refresh_token": "rt_x", "client_secret": "y"})
    (line,) = records.ours(logging.DEBUG)
    assert line == "POST /v1/things params: code=[REDACTED]&refresh_token=[REDACTED]&client_secret=[REDACTED]"


# The secret never appears


def everything_said(records: list[logging.LogRecord], errors: list[BaseException]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    said = [formatter.format(r) for r in records] + [repr(r.args) for r in records]
    for exc in errors:
        chain: BaseException | None = exc
        while chain is not None:
            said += [str(chain), repr(chain)]
            if isinstance(chain, StripeError):
                said += [repr(chain.body), repr(chain.error), chain.message]
            chain = chain.__cause__ or chain.__context__
        said += traceback.format_exception(exc)
    return "\n".join(said)


def test_a_secret_never_appears_in_logs_or_errors(fault: FaultServer, records: Records) -> None:
    def echo(secret: str) -> dict[str, Any]:
        message = f"Invalid API Key provided: {secret}; did you mean sk_live_{'9' * 24}?"
        return {"error": {"type": "invalid_request_error", "message": message}}

    decline = {"error": {"type": "card_error", "code": "card_declined", "message": "Card 4242424242424242 declined"}}
    fault.script(
        Reply(500, echo(API_KEY)),  # retried, then
        Reply(401, echo(API_KEY)),  # a failing call whose error echoes the key back
        Reply(200, CUSTOMER),  # a succeeding one
        Reply(402, decline),
        Reply(401, echo(OAUTH_TOKEN)),  # a per-call OAuth token echoed back
        Reset(after=0),
        Reset(after=0),  # a connection error
        Stall(5.0),  # a timeout
    )
    errors: list[BaseException] = []
    with StripeClient(API_KEY, api_base=fault.url, sleep=lambda _s: None, max_retries=1) as client:
        with pytest.raises(AuthenticationError) as auth:
            client.customers.create(email="j@example.com", metadata={"k": "v"})
        errors.append(auth.value)
        assert client.customers.retrieve("cus_1").id == "cus_1"
        with pytest.raises(CardError) as card:
            client.payment_methods.create(type="card", card=CARD, max_retries=0)  # type: ignore[typeddict-item]
        errors.append(card.value)
        with pytest.raises(AuthenticationError) as oauth:
            client.balance.retrieve(api_key=OAUTH_TOKEN, max_retries=0)
        errors.append(oauth.value)
        with pytest.raises(APIConnectionError) as connection:
            client.customers.create(email="j@example.com")
        errors.append(connection.value)
        with pytest.raises(APIConnectionError) as timeout:
            client.customers.retrieve("cus_1", timeout=0.05, max_retries=0)
        errors.append(timeout.value)
        said = everything_said(records.all, errors) + repr(client) + repr(client.options)

    # The server really did send the key back, and the calls really went through the logs.
    assert API_KEY in str(fault.requests[0].headers) and len(records.all) > 20
    assert said.count("Invalid API Key provided: [REDACTED]; did you mean [REDACTED]?") > 4
    assert "Card [REDACTED] declined" in said
    for secret in (API_KEY, API_KEY[8:40], API_KEY[-24:], OAUTH_TOKEN, "sk_live_999999999", "4242424242424242"):
        assert secret not in said, secret


def test_redact_catches_secret_shapes() -> None:
    text = (
        "keys sk_live_abcdefgh12345678 rk_test_ABCDEFGH12345678 whsec_abcdefgh12345678 "
        "rt_abcdefghijklmnop1234 card 4000-0566-5566-5556 and 378282246310005 "
        "ids cus_4242424242424242 amount 4242 time 1700000000 masked sk_test_****4242"
    )
    assert redact(text, ("abcdefgh12345678",)) == (
        "keys [REDACTED] [REDACTED] [REDACTED] [REDACTED] card [REDACTED] and [REDACTED] "
        "ids cus_4242424242424242 amount 4242 time 1700000000 masked sk_test_****4242"
    )


def test_a_connection_error_message_keeps_its_detail(records: Records) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"could not reach {request.url.host} with {API_KEY}", request=request)

    client = StripeClient(API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(refuse)), max_retries=0)
    with pytest.raises(APIConnectionError) as raised:
        client.balance.retrieve()
    message: Any = str(raised.value)
    assert "could not reach api.stripe.com with [REDACTED]" in message and API_KEY not in message
