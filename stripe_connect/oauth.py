"""Connect OAuth on the connect host (`connect_base`, https://connect.stripe.com by default).

    client = StripeClient("sk_test_...", client_id="ca_...")
    url = client.oauth.authorize_url(scope="read_write", redirect_uri="https://example.com/cb", state=state)
    token = client.oauth.token(grant_type="authorization_code", code=code)   # -> OAuthToken
    client.oauth.deauthorize(stripe_user_id=token.stripe_user_id)

`AsyncStripeClient.oauth` has the same methods, `token` and `deauthorize` awaitable. The seed style works
too: `OAuth.token(client, grant_type=..., code=...)`.

Token and deauthorize calls go through the client's request pipeline (retries, idempotency keys,
logging, errors) and are always made as the platform: they never carry `Stripe-Account`. OAuth error
bodies raise the classes of `stripe_connect.oauth_errors`; authorization codes and refresh tokens are
redacted from their messages. Pair `authorize_url(state=...)` with `stripe_connect.oauth_state.OAuthState`.
"""

from __future__ import annotations

from collections.abc import Coroutine, Generator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, Literal, TypedDict, TypeVar, overload
from urllib.parse import urlencode

from stripe_connect._encoding import flatten
from stripe_connect._errors import AuthenticationError, StripeError
from stripe_connect._options import PlatformRequestOptions, RequestOptions
from stripe_connect.oauth_errors import oauth_error_body, oauth_error_from

if TYPE_CHECKING:
    from typing_extensions import Required, Unpack

    from stripe_connect._client import BaseAsyncStripeClient, BaseStripeClient
    from stripe_connect._oauth_models import OAuthDeauthorization, OAuthToken

__all__ = [
    "AsyncOAuthService",
    "AuthorizeUrlParams",
    "OAuth",
    "OAuthDeauthorization",
    "OAuthRequestOptions",
    "OAuthService",
    "OAuthToken",
    "StripeUserParams",
]


class StripeUserParams(TypedDict, total=False):
    """`stripe_user[...]`: details Stripe prefills in the account form for a new user (invalid ones are ignored)."""

    email: str
    url: str
    country: str
    phone_number: str
    business_name: str
    business_type: str
    first_name: str
    last_name: str
    dob_day: str
    dob_month: str
    dob_year: str
    street_address: str
    city: str
    state: str
    zip: str
    physical_product: str
    product_description: str
    currency: str
    first_name_kana: str
    first_name_kanji: str
    last_name_kana: str
    last_name_kanji: str
    gender: str
    block_kana: str
    block_kanji: str
    building_kana: str
    building_kanji: str


class AuthorizeUrlParams(TypedDict, total=False):
    """The parameters of `authorize_url`; all optional (`client_id` defaults to the client's)."""

    scope: Literal["read_write", "read_only"]
    """The access you ask for (Stripe's default: `read_only`)."""
    redirect_uri: str
    """One of the redirect URIs in your platform settings (default: the first of them)."""
    state: str
    """Echoed back to your redirect URI: use `OAuthState.create(...)` to protect the callback from CSRF."""
    stripe_landing: Literal["login", "register"]
    """Which screen a user sees first."""
    always_prompt: bool
    """Ask the user to connect even when they already are."""
    suggested_capabilities: Sequence[str]
    """Express only: capabilities to request for the account (`suggested_capabilities[0]=transfers`)."""
    stripe_user: StripeUserParams
    """Prefill the account form (`stripe_user[email]=...`)."""
    client_id: str
    """Your platform's `ca_...` id, when the client was not given one."""
    express: bool
    """Send the user to the Express flow (`/express/oauth/authorize`)."""


OAuthRequestOptions = PlatformRequestOptions
"""The request options OAuth calls take: those of every call but `stripe_account` (they are the platform's)."""


class AuthorizationCodeGrant(OAuthRequestOptions, total=False):
    grant_type: Required[Literal["authorization_code"]]
    code: Required[str]
    """The `code` Stripe appended to your redirect URI."""
    assert_capabilities: Sequence[str]
    """Express only: check that the suggested capabilities were applied."""


class RefreshTokenGrant(OAuthRequestOptions, total=False):
    grant_type: Required[Literal["refresh_token"]]
    refresh_token: Required[str]
    scope: Literal["read_write", "read_only"]
    """A scope equal to or narrower than the refresh token's (default: the same)."""


_AUTHORIZE_KEYS = frozenset(AuthorizeUrlParams.__annotations__)
_TOKEN_KEYS = frozenset({"grant_type", "code", "refresh_token", "scope", "assert_capabilities"})
_OPTION_KEYS = frozenset(OAuthRequestOptions.__annotations__)


def _client_id(given: object, default: str | None, what: str) -> str:
    client_id = given if given is not None else default
    if client_id is None:
        raise AuthenticationError(
            f"No client_id provided for {what}: pass client_id=... to the call or "
            "StripeClient(..., client_id='ca_...') (your platform's id, from the Connect settings)"
        )
    if not isinstance(client_id, str) or not client_id.strip():
        raise ValueError(f"client_id must be a non-empty string such as 'ca_123', got {client_id!r}")
    return client_id


def _split(kwargs: Mapping[str, Any], param_keys: frozenset[str], what: str) -> tuple[dict[str, Any], RequestOptions]:
    """The call's params and its request options; unknown names and `stripe_account` are errors."""
    if "stripe_account" in kwargs:
        raise TypeError(f"{what} is made by the platform: stripe_account does not apply to it")
    unknown = set(kwargs) - param_keys - _OPTION_KEYS
    if unknown:
        raise TypeError(f"{what} got unexpected argument(s) {sorted(unknown)}")
    params = {k: v for k, v in kwargs.items() if k in param_keys}
    options: dict[str, Any] = {k: v for k, v in kwargs.items() if k in _OPTION_KEYS}
    options["stripe_account"] = None  # never the client's default account
    return params, options  # pyright: ignore[reportReturnType]


def _require_str(params: Mapping[str, Any], name: str, grant_type: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"grant_type={grant_type!r} needs a non-empty {name}")
    return value


def _token_params(kwargs: Mapping[str, Any]) -> tuple[dict[str, Any], RequestOptions, tuple[str, ...]]:
    """The body of a token request, its options, and the secrets to keep out of error messages."""
    params, options = _split(kwargs, _TOKEN_KEYS, "oauth.token()")
    grant_type = params.get("grant_type")
    if grant_type == "authorization_code":
        secret = _require_str(params, "code", grant_type)
        if "refresh_token" in params:
            raise ValueError("grant_type='authorization_code' takes a code, not a refresh_token")
    elif grant_type == "refresh_token":
        secret = _require_str(params, "refresh_token", grant_type)
        if "code" in params:
            raise ValueError("grant_type='refresh_token' takes a refresh_token, not a code")
    else:
        raise ValueError(f"grant_type must be 'authorization_code' or 'refresh_token', got {grant_type!r}")
    return params, options, (secret,)


C = TypeVar("C", bound="BaseStripeClient | BaseAsyncStripeClient")


class _OAuthBase(Generic[C]):
    """What the sync and async services share: the client they call through, the URL and the params."""

    def __init__(self, client: C) -> None:
        self._client = client

    def authorize_url(self, **params: Unpack[AuthorizeUrlParams]) -> str:
        """The address to send a user to so they connect their Stripe account to your platform.

        Parameters keep the order you pass them in; `client_id` (when it comes from the client) and
        `response_type=code` follow them, as in Stripe's own SDKs. Nothing is sent; `params` is not modified.
        """
        unknown = set(params) - _AUTHORIZE_KEYS
        if unknown:
            raise TypeError(f"authorize_url() got unexpected argument(s) {sorted(unknown)}")
        query = {k: v for k, v in params.items() if k != "express"}
        query["client_id"] = _client_id(query.get("client_id"), self._client.options.client_id, "authorize_url()")
        path = "/express/oauth/authorize" if params.get("express") else "/oauth/authorize"
        pairs = [*flatten(query), ("response_type", "code")]
        return f"{self._client.options.connect_base}{path}?{urlencode(pairs)}"

    def _deauthorize_params(
        self, stripe_user_id: str, client_id: str | None, options: Mapping[str, Any]
    ) -> tuple[dict[str, Any], RequestOptions]:
        if not isinstance(stripe_user_id, str) or not stripe_user_id.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(
                f"stripe_user_id must be a connected account id such as 'acct_123', got {stripe_user_id!r}"
            )
        _, request_options = _split(options, frozenset(), "oauth.deauthorize()")
        params = {
            "client_id": _client_id(client_id, self._client.options.client_id, "deauthorize()"),
            "stripe_user_id": stripe_user_id,
        }
        return params, request_options


@contextmanager
def _oauth_errors(secrets: tuple[str, ...]) -> Generator[None, None, None]:
    """Re-raise an error whose body is an OAuth error (`{"error": "invalid_grant", ...}`) as its OAuthError."""
    try:
        yield
    except StripeError as exc:
        body = oauth_error_body(exc.body)
        if body is None:
            raise
        raise oauth_error_from(body, http_status=exc.http_status, headers=exc.headers, redact=secrets) from None


class OAuthService(_OAuthBase["BaseStripeClient"]):
    """`client.oauth`: Connect OAuth for a `StripeClient` (also `OAuthService(client)`)."""

    @overload
    def token(self, **params: Unpack[AuthorizationCodeGrant]) -> OAuthToken: ...
    @overload
    def token(self, **params: Unpack[RefreshTokenGrant]) -> OAuthToken: ...
    def token(self, **params: Any) -> OAuthToken:
        """Exchange an authorization code (or a refresh token) for the connected account's id and keys.

        `POST /oauth/token` on the connect host, authenticated with the platform's secret key.
        """
        from stripe_connect._oauth_models import OAuthToken

        body, options, secrets = _token_params(params)
        with _oauth_errors(secrets):
            return self._client.request("post", "/oauth/token", body, OAuthToken, options, base="connect")

    def deauthorize(
        self, *, stripe_user_id: str, client_id: str | None = None, **request_options: Unpack[OAuthRequestOptions]
    ) -> OAuthDeauthorization:
        """Disconnect an account from your platform (`POST /oauth/deauthorize`); client_id defaults to the client's."""
        from stripe_connect._oauth_models import OAuthDeauthorization

        body, options = self._deauthorize_params(stripe_user_id, client_id, request_options)
        with _oauth_errors(()):
            return self._client.request(
                "post", "/oauth/deauthorize", body, OAuthDeauthorization, options, base="connect"
            )


class AsyncOAuthService(_OAuthBase["BaseAsyncStripeClient"]):
    """`client.oauth` of an `AsyncStripeClient`: `token` and `deauthorize` are awaitable."""

    @overload
    async def token(self, **params: Unpack[AuthorizationCodeGrant]) -> OAuthToken: ...
    @overload
    async def token(self, **params: Unpack[RefreshTokenGrant]) -> OAuthToken: ...
    async def token(self, **params: Any) -> OAuthToken:
        """Exchange an authorization code (or a refresh token) for the connected account's id and keys.

        `POST /oauth/token` on the connect host, authenticated with the platform's secret key.
        """
        from stripe_connect._oauth_models import OAuthToken

        body, options, secrets = _token_params(params)
        with _oauth_errors(secrets):
            return await self._client.request("post", "/oauth/token", body, OAuthToken, options, base="connect")

    async def deauthorize(
        self, *, stripe_user_id: str, client_id: str | None = None, **request_options: Unpack[OAuthRequestOptions]
    ) -> OAuthDeauthorization:
        """Disconnect an account from your platform (`POST /oauth/deauthorize`); client_id defaults to the client's."""
        from stripe_connect._oauth_models import OAuthDeauthorization

        body, options = self._deauthorize_params(stripe_user_id, client_id, request_options)
        with _oauth_errors(()):
            return await self._client.request(
                "post", "/oauth/deauthorize", body, OAuthDeauthorization, options, base="connect"
            )


class OAuth:
    """The seed style: functions taking a client. `OAuth.token(async_client, ...)` returns an awaitable."""

    @staticmethod
    def authorize_url(client: BaseStripeClient | BaseAsyncStripeClient, **params: Unpack[AuthorizeUrlParams]) -> str:
        return _service(client).authorize_url(**params)

    @overload
    @staticmethod
    def token(client: BaseStripeClient, **params: Unpack[AuthorizationCodeGrant]) -> OAuthToken: ...
    @overload
    @staticmethod
    def token(client: BaseStripeClient, **params: Unpack[RefreshTokenGrant]) -> OAuthToken: ...
    @overload
    @staticmethod
    def token(
        client: BaseAsyncStripeClient, **params: Unpack[AuthorizationCodeGrant]
    ) -> Coroutine[Any, Any, OAuthToken]: ...
    @overload
    @staticmethod
    def token(
        client: BaseAsyncStripeClient, **params: Unpack[RefreshTokenGrant]
    ) -> Coroutine[Any, Any, OAuthToken]: ...
    @staticmethod
    def token(client: BaseStripeClient | BaseAsyncStripeClient, **params: Any) -> Any:
        return _service(client).token(**params)

    @overload
    @staticmethod
    def deauthorize(
        client: BaseStripeClient,
        *,
        stripe_user_id: str,
        client_id: str | None = None,
        **request_options: Unpack[OAuthRequestOptions],
    ) -> OAuthDeauthorization: ...
    @overload
    @staticmethod
    def deauthorize(
        client: BaseAsyncStripeClient,
        *,
        stripe_user_id: str,
        client_id: str | None = None,
        **request_options: Unpack[OAuthRequestOptions],
    ) -> Coroutine[Any, Any, OAuthDeauthorization]: ...
    @staticmethod
    def deauthorize(
        client: BaseStripeClient | BaseAsyncStripeClient,
        *,
        stripe_user_id: str,
        client_id: str | None = None,
        **request_options: Unpack[OAuthRequestOptions],
    ) -> Any:
        return _service(client).deauthorize(stripe_user_id=stripe_user_id, client_id=client_id, **request_options)


def _service(client: BaseStripeClient | BaseAsyncStripeClient) -> OAuthService | AsyncOAuthService:
    from stripe_connect._client import BaseAsyncStripeClient

    return AsyncOAuthService(client) if isinstance(client, BaseAsyncStripeClient) else OAuthService(client)


def __getattr__(name: str) -> Any:
    # The models need pydantic; they load when first named, not when `client.oauth` is built.
    if name in ("OAuthToken", "OAuthDeauthorization"):
        from stripe_connect import _oauth_models

        return getattr(_oauth_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
