"""Every error response becomes the right exception, carrying what Stripe sent; a malformed one becomes an
APIError naming the status, never a KeyError or a JSONDecodeError. Served over real HTTP
(tests/support/fault_server.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import stripe_connect
from stripe_connect import (
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    RateLimitError,
    StripeClient,
    StripeError,
)
from stripe_connect.models import Customer
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply

DOC = "https://stripe.com/docs/error-codes/card-declined"


@pytest.fixture
def client(fault: FaultServer) -> Iterator[StripeClient]:
    # No retries: each case is about the one response.
    with StripeClient(API_KEY, api_base=fault.url, max_retries=0) as client:
        yield client


CASES = [
    pytest.param(
        402,
        {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "param": "payment_method",
            "doc_url": DOC,
            "message": "Your card has insufficient funds.",
        },
        CardError,
        id="402-card",
    ),
    pytest.param(
        400,
        {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same params"},
        IdempotencyError,
        id="400-idempotency",
    ),
    pytest.param(409, {"type": "idempotency_error", "message": "in progress"}, IdempotencyError, id="409-idempotency"),
    pytest.param(
        429, {"type": "invalid_request_error", "code": "rate_limit", "message": "slow down"}, RateLimitError, id="429"
    ),
    pytest.param(
        400,
        {"type": "invalid_request_error", "code": "rate_limit", "message": "slow down"},
        RateLimitError,
        id="400-rate-limit",
    ),
    pytest.param(401, {"type": "invalid_request_error", "message": "Invalid API Key"}, AuthenticationError, id="401"),
    pytest.param(
        403,
        {"type": "invalid_request_error", "message": "The provided key does not have access"},
        stripe_connect.PermissionError,
        id="403",
    ),
    pytest.param(
        400,
        {
            "type": "invalid_request_error",
            "code": "parameter_invalid_integer",
            "param": "amount",
            "message": "Invalid integer: abc",
        },
        InvalidRequestError,
        id="400-invalid",
    ),
    pytest.param(
        404,
        {"type": "invalid_request_error", "code": "resource_missing", "param": "id", "message": "No such customer"},
        InvalidRequestError,
        id="404",
    ),
    pytest.param(500, {"type": "api_error", "message": "Something went wrong"}, APIError, id="500"),
    pytest.param(503, {"type": "api_error", "message": "Unavailable"}, APIError, id="503"),
]


@pytest.mark.parametrize(("status", "error", "cls"), CASES)
def test_error_hierarchy_and_attributes(
    fault: FaultServer, client: StripeClient, status: int, error: dict[str, Any], cls: type[StripeError]
) -> None:
    body = {"error": error}
    fault.script(Reply(status, body, {"Request-Id": "req_abc123", "Stripe-Should-Retry": "false"}))
    with pytest.raises(StripeError) as raised:
        client.customers.create(email="j@example.com")
    exc = raised.value
    assert type(exc) is cls
    assert exc.http_status == status
    assert exc.message == error["message"]
    assert exc.code == error.get("code")
    assert exc.param == error.get("param")
    assert exc.decline_code == error.get("decline_code")
    assert exc.doc_url == error.get("doc_url")
    assert exc.request_id == "req_abc123"
    assert exc.headers["request-id"] == "req_abc123"
    assert exc.body == body and exc.error == error
    assert str(exc) == f"{error['message']} (status {status}, request req_abc123)"
    assert repr(exc).startswith(f"{cls.__name__}(message=")


def test_card_error_from_a_402(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(402, {"error": {"type": "card_error", "code": "expired_card", "message": "expired"}}))
    with pytest.raises(CardError) as raised:
        client.payment_intents.confirm("pi_1")
    assert raised.value.code == "expired_card" and raised.value.decline_code is None


MALFORMED = [
    pytest.param(502, b"<html><h1>502 Bad Gateway</h1></html>", "HTTP 502 with a body that is not JSON", id="html-502"),
    pytest.param(404, b"<!DOCTYPE html><p>Not Found</p>", "HTTP 404 with a body that is not JSON", id="html-404"),
    pytest.param(400, b'{"error": {"type": "invalid_req', "HTTP 400 with a body that is not JSON", id="truncated"),
    pytest.param(500, b"", "HTTP 500 with an empty body", id="empty-500"),
    pytest.param(401, b"", "HTTP 401 with an empty body", id="empty-401"),
    pytest.param(500, b'["not", "an", "object"]', "HTTP 500 without an error object", id="array"),
    pytest.param(500, b'{"error": "boom"}', "HTTP 500 without an error object", id="error-string"),
    pytest.param(500, b'{"error": null}', "HTTP 500 without an error object", id="error-null"),
    pytest.param(500, b"\xff\xfe\x00garbage", "HTTP 500 with a body that is not JSON", id="binary"),
]


@pytest.mark.parametrize(("status", "raw", "message"), MALFORMED)
def test_malformed_error_bodies_are_api_errors_naming_the_status(
    fault: FaultServer, client: StripeClient, status: int, raw: bytes, message: str
) -> None:
    fault.script(Reply(status, raw, {"Content-Type": "text/html"}))
    with pytest.raises(APIError) as raised:
        client.customers.retrieve("cus_1")
    assert type(raised.value) is APIError
    assert message in str(raised.value) and f"status {status}" in str(raised.value)
    assert raised.value.http_status == status


def test_json_without_an_error_object_on_a_4xx_keeps_the_status_class(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(404, {"message": "gone"}))
    with pytest.raises(InvalidRequestError, match="HTTP 404 without an error object") as raised:
        client.customers.retrieve("cus_1")
    assert raised.value.body == {"message": "gone"}


def test_an_error_without_a_message_names_its_type(fault: FaultServer, client: StripeClient) -> None:
    fault.script(Reply(402, {"error": {"type": "card_error", "code": 42, "param": ["x"]}}))
    with pytest.raises(CardError, match="Stripe returned an error of type 'card_error'") as raised:
        client.customers.retrieve("cus_1")
    assert raised.value.code is None and raised.value.param is None  # not strings: not passed off as such


def test_a_200_that_does_not_match_the_model_is_an_api_error_when_strict(
    fault: FaultServer, client: StripeClient
) -> None:
    fault.script(Reply(200, {"id": 42, "object": "customer", "created": "yesterday", "livemode": False}))
    with pytest.raises(APIError) as raised:
        client.customers.create(email="j@example.com", strict=True)
    message = str(raised.value)
    assert "POST /v1/customers returned a body that is not a valid Customer (HTTP 200)" in message
    assert raised.value.http_status == 200
    assert raised.value.body["id"] == 42


@pytest.mark.parametrize("body", [[], "cus_1", 42, None])
def test_a_200_that_is_not_an_object_is_an_api_error_even_lenient(
    fault: FaultServer, client: StripeClient, body: object
) -> None:
    fault.script(Reply(200, json.dumps(body).encode()))
    with pytest.raises(APIError, match=r"POST /v1/customers returned a body that is not a valid Customer \(HTTP 200\)"):
        client.customers.create(email="j@example.com")


@pytest.mark.parametrize("raw", [b"", b"<html>ok</html>", b'{"id": "cus_1", "obj'])
def test_a_200_that_is_not_json_is_an_api_error(fault: FaultServer, client: StripeClient, raw: bytes) -> None:
    fault.script(Reply(200, raw))
    expected = r"not a valid Customer \| DeletedCustomer \(HTTP 200\): body: Invalid JSON"
    with pytest.raises(APIError, match=expected):
        client.customers.retrieve("cus_1")
    with pytest.raises(APIError, match=r"GET /v1/anything returned a body that is not JSON \(HTTP 200\)"):
        client.raw_request("get", "/v1/anything")


def test_unknown_fields_and_enum_values_do_not_fail_a_response(fault: FaultServer, client: StripeClient) -> None:
    # The other side of the previous tests: a valid body Stripe extended later parses.
    body = {"id": "cus_1", "object": "customer", "created": 1, "livemode": False, "tax_exempt": "partially", "new": 1}
    fault.script(Reply(200, body))
    customer = client.customers.retrieve("cus_1")
    assert isinstance(customer, Customer) and customer.tax_exempt == "partially"
    assert customer.model_extra == {"new": 1}
