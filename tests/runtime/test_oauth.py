"""Connect OAuth: the authorize URL, the token and deauthorize calls on the connect host, and their errors."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

import stripe_connect
from stripe_connect import (
    AsyncStripeClient,
    AuthenticationError,
    OAuth,
    OAuthDeauthorization,
    OAuthToken,
    StripeClient,
)
from stripe_connect import oauth_errors as oe
from stripe_connect.testing import ConnectOAuthServer

PLATFORM_KEY = "sk_test_platformSECRETkey"
CLIENT_ID = "ca_platform123"


@pytest.fixture
def connect() -> Iterator[ConnectOAuthServer]:
    with ConnectOAuthServer(client_id=CLIENT_ID, platform_key=PLATFORM_KEY) as server:
        yield server


@pytest.fixture
def client(connect: ConnectOAuthServer) -> Iterator[StripeClient]:
    with StripeClient(PLATFORM_KEY, client_id=CLIENT_ID, connect_base=connect.url, max_retries=0) as c:
        yield c


def offline_client(**options: object) -> tuple[StripeClient, list[httpx.Request]]:
    """A client whose every request is recorded (and answered with a 500): proves what was, or was not, sent."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return StripeClient(PLATFORM_KEY, http_client=http, max_retries=0, **options), sent  # type: ignore[arg-type]


# -- authorize_url -----------------------------------------------------------------------------------


def test_authorize_url_standard_exact() -> None:
    client, sent = offline_client(client_id=CLIENT_ID)
    url = client.oauth.authorize_url(scope="read_write", redirect_uri="https://example.com/cb?x=1", state="s-1")
    assert url == (
        "https://connect.stripe.com/oauth/authorize?scope=read_write"
        "&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1&state=s-1&client_id=ca_platform123&response_type=code"
    )
    assert sent == []


def test_authorize_url_express_with_prefill_and_capabilities_exact() -> None:
    client, sent = offline_client(client_id=CLIENT_ID, connect_base="http://connect.test/")
    url = client.oauth.authorize_url(
        express=True,
        stripe_user={"email": "jenny@example.com", "country": "US", "business_type": "llc"},
        suggested_capabilities=["card_payments", "transfers"],
        always_prompt=True,
        stripe_landing="register",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "connect.test", "/express/oauth/authorize")
    assert parse_qsl(parts.query) == [
        ("stripe_user[email]", "jenny@example.com"),
        ("stripe_user[country]", "US"),
        ("stripe_user[business_type]", "llc"),
        ("suggested_capabilities[0]", "card_payments"),
        ("suggested_capabilities[1]", "transfers"),
        ("always_prompt", "true"),
        ("stripe_landing", "register"),
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
    ]
    assert "stripe_user%5Bemail%5D=jenny%40example.com" in parts.query  # brackets percent-encoded, as Stripe's SDK
    assert sent == []


def test_authorize_url_client_id_from_the_call_wins_and_keeps_its_place() -> None:
    client, _ = offline_client(client_id=CLIENT_ID)
    url = client.oauth.authorize_url(client_id="ca_other", scope="read_only")
    assert parse_qsl(urlsplit(url).query) == [
        ("client_id", "ca_other"),
        ("scope", "read_only"),
        ("response_type", "code"),
    ]
    without_default, _ = offline_client()
    assert "client_id=ca_call" in without_default.oauth.authorize_url(client_id="ca_call")


def test_authorize_url_without_client_id_is_a_clear_error() -> None:
    client, sent = offline_client()
    with pytest.raises(AuthenticationError, match="No client_id provided for authorize_url"):
        client.oauth.authorize_url(scope="read_write")
    with pytest.raises(ValueError, match="client_id must be a non-empty string"):
        client.oauth.authorize_url(client_id="  ")
    assert sent == []


def test_authorize_url_never_mutates_its_inputs() -> None:
    client, _ = offline_client(client_id=CLIENT_ID)
    stripe_user = {"email": "a@example.com"}
    capabilities = ["transfers"]
    params = {"scope": "read_write", "stripe_user": stripe_user, "suggested_capabilities": capabilities}
    snapshot = repr(params)
    first = client.oauth.authorize_url(**params)  # type: ignore[arg-type]
    assert repr(params) == snapshot and "client_id" not in params and "response_type" not in params
    assert client.oauth.authorize_url(**params) == first  # type: ignore[arg-type]


def test_authorize_url_rejects_unknown_parameters() -> None:
    client, _ = offline_client(client_id=CLIENT_ID)
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) \['scopes'\]"):
        client.oauth.authorize_url(scopes="read_write")  # type: ignore[call-arg]


def test_seed_style_and_async_authorize_url_match() -> None:
    client, _ = offline_client(client_id=CLIENT_ID)
    aclient = AsyncStripeClient(PLATFORM_KEY, client_id=CLIENT_ID)
    expected = client.oauth.authorize_url(scope="read_write", state="x")
    assert OAuth.authorize_url(client, scope="read_write", state="x") == expected
    assert aclient.oauth.authorize_url(scope="read_write", state="x") == expected
    assert OAuth.authorize_url(aclient, scope="read_write", state="x") == expected


def test_authorize_url_leads_to_the_documented_redirect(connect: ConnectOAuthServer, client: StripeClient) -> None:
    url = client.oauth.authorize_url(scope="read_write", state="st4te", redirect_uri=connect.redirect_uris[0])
    location = httpx.get(url).headers["location"]
    assert location.startswith(connect.redirect_uris[0] + "?")
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["scope"] == "read_write" and query["state"] == "st4te" and query["code"].startswith("ac_")
    connect.user_action = "deny"
    denied = dict(parse_qsl(urlsplit(httpx.get(url).headers["location"]).query))
    assert denied == {"error": "access_denied", "error_description": "The user denied your request", "state": "st4te"}


# -- token and deauthorize against the stand-in ---------------------------------------------------------


def test_token_request_path_body_and_auth(connect: ConnectOAuthServer) -> None:
    code, account = connect.authorize(scope="read_write")
    # A tenant-scoped client still exchanges as the platform: no Stripe-Account on OAuth calls.
    tenant = StripeClient(PLATFORM_KEY, connect_base=connect.url, stripe_account="acct_tenant", max_retries=0)
    token = tenant.oauth.token(grant_type="authorization_code", code=code)

    assert isinstance(token, OAuthToken)
    assert token.stripe_user_id == account
    assert token.scope == "read_write" and token.token_type == "bearer" and token.livemode is False
    assert token.access_token and token.access_token.startswith("sk_test_")
    assert token.refresh_token and token.refresh_token.startswith("rt_")
    assert token.stripe_publishable_key and token.stripe_publishable_key.startswith("pk_test_")
    assert connect.access_tokens_of(account) == {token.access_token}

    request = connect.requests[-1]
    assert (request.method, request.path) == ("POST", "/oauth/token")
    assert request.form == {"code": code, "grant_type": "authorization_code"}
    assert request.headers["authorization"] == f"Bearer {PLATFORM_KEY}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "stripe-account" not in request.headers
    assert request.headers["idempotency-key"]


def test_refresh_grant_and_scope_downgrade(connect: ConnectOAuthServer, client: StripeClient) -> None:
    code, account = connect.authorize(scope="read_write")
    first = client.oauth.token(grant_type="authorization_code", code=code)
    assert first.refresh_token is not None
    refreshed = client.oauth.token(grant_type="refresh_token", refresh_token=first.refresh_token, scope="read_only")
    assert connect.requests[-1].form == {
        "grant_type": "refresh_token",
        "refresh_token": first.refresh_token,
        "scope": "read_only",
    }
    assert refreshed.stripe_user_id == account and refreshed.scope == "read_only"
    assert refreshed.access_token != first.access_token


def test_refresh_cannot_widen_the_scope(connect: ConnectOAuthServer, client: StripeClient) -> None:
    code, _ = connect.authorize(scope="read_only")
    token = client.oauth.token(grant_type="authorization_code", code=code)
    assert token.refresh_token is not None
    with pytest.raises(oe.InvalidScopeError) as info:
        client.oauth.token(grant_type="refresh_token", refresh_token=token.refresh_token, scope="read_write")
    assert info.value.code == "invalid_scope" and info.value.http_status == 400


def test_deauthorize_body_and_result(connect: ConnectOAuthServer, client: StripeClient) -> None:
    code, account = connect.authorize()
    token = client.oauth.token(grant_type="authorization_code", code=code)
    result = client.oauth.deauthorize(stripe_user_id=account)
    assert isinstance(result, OAuthDeauthorization) and result.stripe_user_id == account
    request = connect.requests[-1]
    assert (request.method, request.path) == ("POST", "/oauth/deauthorize")
    assert request.form == {"client_id": CLIENT_ID, "stripe_user_id": account}
    assert request.headers["authorization"] == f"Bearer {PLATFORM_KEY}"
    assert account not in connect.connected_accounts
    assert token.refresh_token is not None
    with pytest.raises(oe.InvalidGrantError):  # the account's tokens went with the connection
        client.oauth.token(grant_type="refresh_token", refresh_token=token.refresh_token)
    with pytest.raises(oe.InvalidClientError, match="not connected to stripe account"):
        client.oauth.deauthorize(stripe_user_id=account)


def test_deauthorize_client_id_from_the_call(connect: ConnectOAuthServer) -> None:
    client = StripeClient(PLATFORM_KEY, connect_base=connect.url, max_retries=0)  # no client_id of its own
    with pytest.raises(AuthenticationError, match="No client_id provided for deauthorize"):
        client.oauth.deauthorize(stripe_user_id="acct_1")
    code, account = connect.authorize()
    client.oauth.token(grant_type="authorization_code", code=code)
    with pytest.raises(oe.InvalidClientError, match="No such application"):
        client.oauth.deauthorize(stripe_user_id=account, client_id="ca_wrong")
    assert client.oauth.deauthorize(stripe_user_id=account, client_id=CLIENT_ID).stripe_user_id == account
    assert connect.requests[-1].form["client_id"] == CLIENT_ID


def test_realistic_failures_from_the_stand_in(connect: ConnectOAuthServer, client: StripeClient) -> None:
    code, _ = connect.authorize()
    client.oauth.token(grant_type="authorization_code", code=code)
    with pytest.raises(oe.InvalidGrantError, match="already been used"):
        client.oauth.token(grant_type="authorization_code", code=code)
    with pytest.raises(oe.InvalidGrantError, match="does not exist"):
        client.oauth.token(grant_type="authorization_code", code="ac_made_up")
    wrong_key = client.with_options(api_key="sk_test_notThePlatform")
    with pytest.raises(oe.InvalidClientError, match="Invalid API key provided: sk_test_\\*\\*\\*") as info:
        wrong_key.oauth.token(grant_type="authorization_code", code=connect.authorize()[0])
    assert info.value.http_status == 401 and "notThePlatform" not in str(info.value)


def test_codes_expire(client: StripeClient) -> None:
    now = [1_000_000.0]
    with ConnectOAuthServer(client_id=CLIENT_ID, code_ttl=300, clock=lambda: now[0]) as connect:
        aged = client.with_options(connect_base=connect.url)
        code, _ = connect.authorize()
        now[0] += 301
        with pytest.raises(oe.InvalidGrantError, match="expired"):
            aged.oauth.token(grant_type="authorization_code", code=code)


# -- errors --------------------------------------------------------------------------------------------


def replying(status: int, body: object, sleep: Callable[[float], None] | None = None) -> StripeClient:
    transport = httpx.MockTransport(lambda _r: httpx.Response(status, json=body))
    return StripeClient(
        PLATFORM_KEY,
        client_id=CLIENT_ID,
        http_client=httpx.Client(transport=transport),
        max_retries=0,
        **({"sleep": sleep} if sleep else {}),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("code", "cls", "status"),
    [
        ("invalid_grant", oe.InvalidGrantError, 400),
        ("invalid_client", oe.InvalidClientError, 401),
        ("invalid_request", oe.InvalidRequestError, 400),
        ("invalid_scope", oe.InvalidScopeError, 400),
        ("unsupported_grant_type", oe.UnsupportedGrantTypeError, 400),
        ("unsupported_response_type", oe.UnsupportedResponseTypeError, 400),
        ("brand_new_code", oe.OAuthError, 400),
    ],
)
def test_each_oauth_error_code_maps_to_its_class(code: str, cls: type[oe.OAuthError], status: int) -> None:
    client = replying(status, {"error": code, "error_description": f"about {code}"})
    for call in (
        lambda: client.oauth.token(grant_type="authorization_code", code="ac_1"),
        lambda: client.oauth.deauthorize(stripe_user_id="acct_1"),
    ):
        with pytest.raises(oe.OAuthError) as info:
            call()
        error = info.value
        assert type(error) is cls
        assert isinstance(error, stripe_connect.StripeError)
        assert (error.code, error.description, error.http_status) == (code, f"about {code}", status)
        assert str(error).startswith(f"about {code} (status {status}")
        assert error.body == {"error": code, "error_description": f"about {code}"}


def test_oauth_invalid_request_is_not_the_apis() -> None:
    assert oe.InvalidRequestError is oe.OAuthInvalidRequestError is stripe_connect.OAuthInvalidRequestError
    assert not issubclass(oe.InvalidRequestError, stripe_connect.InvalidRequestError)
    assert not issubclass(stripe_connect.InvalidRequestError, oe.OAuthError)


def test_api_style_errors_keep_their_api_classes() -> None:
    api_error = {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: sk_test_***"}}
    with pytest.raises(stripe_connect.AuthenticationError):
        replying(401, api_error).oauth.token(grant_type="authorization_code", code="ac_1")
    with pytest.raises(stripe_connect.APIError):
        replying(502, None).oauth.token(grant_type="authorization_code", code="ac_1")


def test_secrets_stay_out_of_messages_reprs_and_logs(
    connect: ConnectOAuthServer, client: StripeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code, _ = connect.authorize()
    token = client.oauth.token(grant_type="authorization_code", code=code)
    assert token.access_token and token.refresh_token
    secrets = [code, token.access_token, token.refresh_token, PLATFORM_KEY]
    with pytest.raises(oe.InvalidGrantError) as used:
        client.oauth.token(grant_type="authorization_code", code=code)
    client.oauth.deauthorize(stripe_user_id=token.stripe_user_id)
    with pytest.raises(oe.InvalidGrantError) as revoked:
        client.oauth.token(grant_type="refresh_token", refresh_token=token.refresh_token)

    shown = [repr(token), str(token), repr(client), repr(client.options)]
    for error in (used.value, revoked.value):
        shown += [str(error), repr(error), str(error.body), str(error.description)]
    shown.append(caplog.text)
    assert "[REDACTED]" in str(used.value) and "[REDACTED]" in str(revoked.value)
    for secret in secrets:
        assert all(secret not in text for text in shown), secret
    assert "access_token='sk_test_***'" in repr(token) and "refresh_token='rt_***'" in repr(token)
    assert "POST /oauth/token -> 200" in caplog.text  # the pipeline's logging did run
    assert token.model_dump()["access_token"] == token.access_token  # stored values stay whole


def test_token_keeps_unknown_fields() -> None:
    body = {"stripe_user_id": "acct_1", "access_token": "sk_test_x", "token_type": "bearer", "new_field": {"a": 1}}
    token = replying(200, body).oauth.token(grant_type="authorization_code", code="ac_1")
    assert token.model_extra == {"new_field": {"a": 1}}


def test_retries_reuse_the_idempotency_key() -> None:
    # Each attempt's URL and headers as they were sent: the request object itself is the same on every attempt.
    attempts: list[tuple[str, dict[str, str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append((str(request.url), dict(request.headers)))
        if len(attempts) == 1:
            return httpx.Response(503, json={"error": {"type": "api_error", "message": "try again"}})
        return httpx.Response(200, json={"stripe_user_id": "acct_1", "access_token": "sk_test_x"})

    waits: list[float] = []
    client = StripeClient(
        PLATFORM_KEY, http_client=httpx.Client(transport=httpx.MockTransport(handler)), sleep=waits.append
    )
    assert client.oauth.token(grant_type="authorization_code", code="ac_1").stripe_user_id == "acct_1"
    assert len(attempts) == 2 and len(waits) == 1
    (first_url, first), (second_url, second) = attempts
    assert first["idempotency-key"] == second["idempotency-key"] and len(first["idempotency-key"]) == 36
    assert first_url == second_url == "https://connect.stripe.com/oauth/token"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"grant_type": "authorization_code"}, ValueError, "needs a non-empty code"),
        ({"grant_type": "authorization_code", "code": ""}, ValueError, "needs a non-empty code"),
        ({"grant_type": "refresh_token", "code": "ac_1"}, ValueError, "needs a non-empty refresh_token"),
        ({"grant_type": "refresh_token", "refresh_token": "rt", "code": "ac"}, ValueError, "not a code"),
        ({"grant_type": "authorization_code", "code": "ac", "refresh_token": "rt"}, ValueError, "not a refresh"),
        ({"grant_type": "client_credentials"}, ValueError, "grant_type must be"),
        ({"code": "ac_1"}, ValueError, "grant_type must be"),
        ({"grant_type": "authorization_code", "code": "ac", "stripe_account": "acct_1"}, TypeError, "platform"),
        ({"grant_type": "authorization_code", "code": "ac", "cod": "x"}, TypeError, r"\['cod'\]"),
    ],
)
def test_bad_token_input_fails_before_sending(kwargs: dict, error: type[Exception], message: str) -> None:
    client, sent = offline_client()
    with pytest.raises(error, match=message):
        client.oauth.token(**kwargs)
    assert sent == []


def test_bad_deauthorize_input_fails_before_sending() -> None:
    client, sent = offline_client(client_id=CLIENT_ID)
    with pytest.raises(ValueError, match="stripe_user_id must be a connected account id"):
        client.oauth.deauthorize(stripe_user_id="")
    with pytest.raises(TypeError, match="platform"):
        client.oauth.deauthorize(stripe_user_id="acct_1", stripe_account="acct_1")  # type: ignore[call-arg]
    assert sent == []


# -- async and the seed style ----------------------------------------------------------------------------


def test_async_oauth_round_trip(connect: ConnectOAuthServer) -> None:
    async def main() -> None:
        async with AsyncStripeClient(PLATFORM_KEY, client_id=CLIENT_ID, connect_base=connect.url) as client:
            code, account = connect.authorize(scope="read_write")
            token = await client.oauth.token(grant_type="authorization_code", code=code)
            assert token.stripe_user_id == account
            assert token.refresh_token is not None
            again = await OAuth.token(client, grant_type="refresh_token", refresh_token=token.refresh_token)
            assert again.stripe_user_id == account
            with pytest.raises(oe.InvalidGrantError):
                await client.oauth.token(grant_type="authorization_code", code=code)
            gone = await OAuth.deauthorize(client, stripe_user_id=account)
            assert gone.stripe_user_id == account

    asyncio.run(main())
    assert [r.path for r in connect.requests] == ["/oauth/token"] * 3 + ["/oauth/deauthorize"]


def test_seed_style_functions_take_a_client(connect: ConnectOAuthServer, client: StripeClient) -> None:
    code, account = connect.authorize()
    token = OAuth.token(client, grant_type="authorization_code", code=code)
    assert token.stripe_user_id == account
    assert OAuth.deauthorize(client, stripe_user_id=account).stripe_user_id == account


def test_derived_clients_get_their_own_oauth_service() -> None:
    platform = StripeClient(PLATFORM_KEY, client_id=CLIENT_ID)
    other = platform.with_options(client_id="ca_other", connect_base="http://connect.test")
    assert platform.oauth is platform.oauth and other.oauth is not platform.oauth
    assert other.oauth.authorize_url().startswith("http://connect.test/oauth/authorize?client_id=ca_other")
    assert "ca_platform123" in platform.oauth.authorize_url()


def test_oauth_does_not_import_pydantic_until_a_response_is_parsed() -> None:
    code = (
        "import sys, stripe_connect as s\n"
        "c = s.StripeClient('sk_test_1', client_id='ca_1')\n"
        "c.oauth.authorize_url(scope='read_write', state='x')\n"
        "s.AsyncStripeClient('sk_test_1').oauth\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
        "s.OAuthToken\n"
        "assert 'pydantic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
