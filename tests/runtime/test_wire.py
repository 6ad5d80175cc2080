"""What goes on the wire: headers, the connected account at client and call level, paths and params."""

from __future__ import annotations

import enum
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx
import pytest

from stripe_connect import API_VERSION, AuthenticationError, StripeClient
from stripe_connect.services import ChargeService
from tests.support.objects import CHARGE


class Recorder:
    def __init__(self, reply: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.reply = reply or (lambda _request: httpx.Response(200, json=CHARGE))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.reply(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def make_client(recorder: Recorder, **options: object) -> StripeClient:
    return StripeClient("sk_test_123", http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **options)  # type: ignore[arg-type]


def test_authorization_version_and_user_agent(recorder: Recorder) -> None:
    make_client(recorder).charges.retrieve("ch_1")
    headers = recorder.last.headers
    assert headers["authorization"] == "Bearer sk_test_123"
    assert headers["stripe-version"] == API_VERSION == "2023-08-16"
    assert headers["user-agent"].startswith("stripe-connect/")
    assert "stripe-account" not in headers
    assert "idempotency-key" not in headers


def test_account_from_client_then_overridden_per_call(recorder: Recorder) -> None:
    client = make_client(recorder, stripe_account="acct_client")
    client.charges.retrieve("ch_1")
    assert recorder.last.headers["stripe-account"] == "acct_client"
    client.charges.retrieve("ch_1", stripe_account="acct_call")
    assert recorder.last.headers["stripe-account"] == "acct_call"
    client.charges.retrieve("ch_1", stripe_account=None)  # explicitly the platform
    assert "stripe-account" not in recorder.last.headers
    client.charges.retrieve("ch_1")
    assert recorder.last.headers["stripe-account"] == "acct_client"


def test_with_options_derives_and_clears_the_account(recorder: Recorder) -> None:
    platform = make_client(recorder)
    tenant = platform.with_options(stripe_account="acct_tenant")
    tenant.charges.retrieve("ch_1")
    assert recorder.last.headers["stripe-account"] == "acct_tenant"
    platform.charges.retrieve("ch_1")
    assert "stripe-account" not in recorder.last.headers
    tenant.with_options(stripe_account=None).charges.retrieve("ch_1")
    assert "stripe-account" not in recorder.last.headers
    assert tenant._pool is platform._pool  # one connection pool for every derived client


def test_seed_style_service_uses_the_client_and_its_account(recorder: Recorder) -> None:
    client = make_client(recorder, stripe_account="acct_1")
    charge = ChargeService(client).retrieve("ch_1", stripe_account="acct_2")
    assert recorder.last.headers["stripe-account"] == "acct_2"
    assert charge.id == "ch_1"


def test_version_and_key_per_call(recorder: Recorder) -> None:
    client = make_client(recorder, stripe_version="2020-08-27")
    client.charges.retrieve("ch_1")
    assert recorder.last.headers["stripe-version"] == "2020-08-27"
    client.charges.retrieve("ch_1", stripe_version="2023-10-16", api_key="rk_test_other")
    assert recorder.last.headers["stripe-version"] == "2023-10-16"
    assert recorder.last.headers["authorization"] == "Bearer rk_test_other"


def test_post_body_is_bracket_encoded_and_carries_an_idempotency_key(recorder: Recorder) -> None:
    make_client(recorder).charges.create(
        amount=100,
        currency="usd",
        capture=False,
        metadata={"a": "1", "b": ""},
        shipping={"name": "J", "address": {"line1": "x"}},
    )
    request = recorder.last
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["idempotency-key"]
    pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
    assert pairs == [
        ("amount", "100"),
        ("capture", "false"),
        ("currency", "usd"),
        ("metadata[a]", "1"),
        ("metadata[b]", ""),
        ("shipping[name]", "J"),
        ("shipping[address][line1]", "x"),
    ]


def test_user_idempotency_key_wins(recorder: Recorder) -> None:
    make_client(recorder).charges.capture("ch_1", idempotency_key="order-42")
    assert recorder.last.headers["idempotency-key"] == "order-42"


def test_get_params_go_to_the_query(recorder: Recorder) -> None:
    recorder.reply = lambda _r: httpx.Response(
        200, json={"object": "list", "data": [], "has_more": False, "url": "/v1/charges"}
    )
    make_client(recorder).charges.list(limit=3, created={"gte": 10}, expand=["data.customer"])
    assert recorder.last.method == "GET"
    assert recorder.last.url.query.decode() == "created[gte]=10&expand[]=data.customer&limit=3"
    assert recorder.last.content == b""


def test_path_ids_are_percent_encoded(recorder: Recorder) -> None:
    make_client(recorder).charges.retrieve("ch_1/../../v1/balance?x=1")
    assert recorder.last.url.raw_path == b"/v1/charges/ch_1%2F..%2F..%2Fv1%2Fbalance%3Fx%3D1"


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_id_fails_before_any_request(recorder: Recorder, bad: str) -> None:
    with pytest.raises(ValueError, match="charge must be a non-empty id"):
        make_client(recorder).charges.retrieve(bad)
    assert recorder.requests == []


def test_non_string_id_is_a_type_error(recorder: Recorder) -> None:
    with pytest.raises(TypeError, match="charge must be a string id"):
        make_client(recorder).charges.retrieve(123)  # type: ignore[arg-type]
    assert recorder.requests == []


def test_unknown_request_option_is_rejected(recorder: Recorder) -> None:
    with pytest.raises(TypeError, match="unknown request option"):
        make_client(recorder).charges.retrieve("ch_1", stripe_acount="acct_1")  # type: ignore[call-arg]
    assert recorder.requests == []


def test_missing_api_key_is_an_authentication_error(recorder: Recorder) -> None:
    client = StripeClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    with pytest.raises(AuthenticationError, match="No API key provided"):
        client.charges.retrieve("ch_1")
    assert recorder.requests == []


def test_files_go_to_the_files_host(recorder: Recorder) -> None:
    recorder.reply = lambda _r: httpx.Response(
        200, json={"id": "file_1", "object": "file", "created": 1, "purpose": "dispute_evidence", "size": 3}
    )
    client = make_client(recorder, files_base="https://files.example.test")
    client.files.create(file=b"abc", purpose="dispute_evidence")
    assert recorder.last.url.host == "files.example.test"
    assert recorder.last.headers["content-type"].startswith("multipart/form-data; boundary=")


def test_client_repr_hides_the_key() -> None:
    client = StripeClient("sk_live_SECRETSECRET", stripe_account="acct_1")
    assert "SECRET" not in repr(client) and "SECRET" not in repr(client.options)
    assert "sk_live_***" in repr(client.options)


class Interval(str, enum.Enum):  # a plain str mixin: str() of a member is "Interval.MONTH", not its value
    MONTH = "month"


class Behavior(enum.Enum):
    PRORATE = "create_prorations"


class Count(enum.IntEnum):
    THREE = 3


def test_enum_valued_params_are_sent_as_their_values(recorder: Recorder) -> None:
    client = make_client(recorder)
    client.raw_request(
        "post",
        "/v1/prices",
        {"recurring": {"interval": Interval.MONTH, "interval_count": Count.THREE}, "behavior": [Behavior.PRORATE]},
    )
    assert parse_qsl(recorder.last.content.decode()) == [
        ("recurring[interval]", "month"),
        ("recurring[interval_count]", "3"),
        ("behavior[0]", "create_prorations"),
    ]
    client.raw_request("get", "/v1/prices", {"type": Interval.MONTH, "expand": [Behavior.PRORATE]})
    assert recorder.last.url.query.decode() == "type=month&expand[]=create_prorations"
