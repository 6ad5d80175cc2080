"""A local stand-in for connect.stripe.com's OAuth endpoints, to test OAuth callbacks without Stripe.

This is NOT Stripe: it is a small server that follows the behaviour Stripe documents for Connect OAuth
(https://docs.stripe.com/connect/oauth-reference), so that code using `client.oauth` can be exercised
end to end. Steady cannot play this part: the OAuth endpoints are not in Stripe's OpenAPI document.

- `GET /oauth/authorize` and `/express/oauth/authorize` stand for the user's visit to Stripe: they check
  `client_id`, `response_type` and `redirect_uri`, then answer with the redirect Stripe would send the
  browser: `redirect_uri?scope=...&code=ac_...&state=...`, or `?error=access_denied&...` when
  `user_action` is `"deny"`.
- `POST /oauth/token` (form body, the platform's secret key as `Authorization: Bearer`): the
  `authorization_code` grant (codes are single use and expire after `code_ttl` seconds) and the
  `refresh_token` grant (a scope equal to or narrower than the token's).
- `POST /oauth/deauthorize`: `client_id` and `stripe_user_id`; revokes the account's tokens.
- Failures answer as Stripe does, `{"error": "<code>", "error_description": "..."}` with 400 or 401.

Exact description texts are this stand-in's own; the error codes and statuses are the documented ones.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

SCOPES = ("read_only", "read_write")  # narrowest first


@dataclass(frozen=True)
class RecordedOAuthRequest:
    """One request the stand-in received: what a test asserts on. Its repr leaves out the headers and the
    form, which carry keys, codes and tokens."""

    method: str
    path: str
    headers: Mapping[str, str] = field(repr=False)
    query: Mapping[str, str] = field(repr=False)
    form: Mapping[str, str] = field(repr=False)


@dataclass
class _Grant:
    account: str
    scope: str
    livemode: bool
    expires_at: float = 0.0
    used: bool = False


@dataclass
class _Connection:
    scope: str
    livemode: bool
    refresh_tokens: set[str] = field(default_factory=lambda: set[str]())
    access_tokens: set[str] = field(default_factory=lambda: set[str]())


class _OAuthError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def _token(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


class ConnectOAuthServer:
    """connect.stripe.com's OAuth endpoints, on 127.0.0.1 in a background thread (see the module docs).

        with ConnectOAuthServer(client_id="ca_test") as connect:
            client = StripeClient("sk_test_...", client_id="ca_test", connect_base=connect.url)

    Args:
        client_id: the platform's Connect id the server accepts.
        redirect_uris: the platform's registered redirect URIs (the first is the default).
        platform_key: the only secret key accepted; by default any `sk_test_`/`sk_live_` key.
        code_ttl: seconds an authorization code stays valid.
        clock: Unix time now (tests pass a fake).
    """

    def __init__(
        self,
        *,
        client_id: str = "ca_test_stand_in",
        redirect_uris: Sequence[str] = ("http://127.0.0.1/oauth/callback",),
        platform_key: str | None = None,
        code_ttl: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not redirect_uris:
            raise ValueError("redirect_uris needs at least one address")
        self.client_id = client_id
        self.redirect_uris = tuple(redirect_uris)
        self.platform_key = platform_key
        self.code_ttl = code_ttl
        self.user_action: Literal["approve", "deny"] = "approve"
        """What the next user does on Stripe's authorize page."""
        self.requests: list[RecordedOAuthRequest] = []
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, _Grant] = {}
        self._refresh: dict[str, str] = {}  # refresh token -> account
        self._connections: dict[str, _Connection] = {}
        self._http: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the platform's view -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._http is None:
            raise RuntimeError("the server is not running: use `with ConnectOAuthServer() as server:` or start()")
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def connected_accounts(self) -> frozenset[str]:
        """The accounts currently connected to the platform."""
        with self._lock:
            return frozenset(self._connections)

    def access_tokens_of(self, account: str) -> frozenset[str]:
        """The live (not revoked) access tokens issued for `account`."""
        with self._lock:
            connection = self._connections.get(account)
            return frozenset(connection.access_tokens) if connection else frozenset()

    def authorize(
        self, *, scope: str = "read_only", account: str | None = None, livemode: bool = False
    ) -> tuple[str, str]:
        """What a user's approval on Stripe produces, without the browser: `(code, account id)`."""
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
        account = account or "acct_" + secrets.token_hex(8)
        code = _token("ac_")
        with self._lock:
            self._codes[code] = _Grant(account, scope, livemode, expires_at=self._clock() + self.code_ttl)
        return code, account

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> ConnectOAuthServer:
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="connect-oauth-stand-in", daemon=True
        )  # a short poll interval: stop() returns within 50 ms
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> ConnectOAuthServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- the endpoints --------------------------------------------------------------------------------

    def _authenticate(self, headers: Mapping[str, str], form: Mapping[str, str]) -> bool:
        """The platform key's mode (True for live); raises invalid_client when there is no acceptable key."""
        authorization = headers.get("authorization", "")
        key = authorization[7:] if authorization.lower().startswith("bearer ") else form.get("client_secret", "")
        if not key:
            raise _OAuthError(
                401,
                "invalid_client",
                "No authentication was provided. Send your secret API key using the Authorization header, "
                "or as a client_secret POST parameter.",
            )
        acceptable = key == self.platform_key if self.platform_key else key.startswith(("sk_test_", "sk_live_"))
        if not acceptable:
            shown = key.rsplit("_", 1)[0] + "_***" if "_" in key else "***"
            raise _OAuthError(401, "invalid_client", f"Invalid API key provided: {shown}")
        return key.startswith("sk_live_")

    def authorize_redirect(self, query: Mapping[str, str]) -> tuple[int, str]:
        """`(status, Location or error text)` for a visit to the authorize page."""
        if query.get("client_id") != self.client_id:
            return 400, f"No such application: {query.get('client_id')!r}"
        redirect_uri = query.get("redirect_uri", self.redirect_uris[0])
        if redirect_uri not in self.redirect_uris:
            return 400, f"Invalid redirect URI {redirect_uri!r}: it is not one of the platform's redirect URIs"
        state = {"state": query["state"]} if "state" in query else {}
        scope = query.get("scope", "read_only")
        if query.get("response_type") != "code":
            error = {"error": "unsupported_response_type", "error_description": "response_type must be 'code'"}
        elif scope not in SCOPES:
            error = {"error": "invalid_scope", "error_description": f"Invalid scope: {scope}"}
        elif self.user_action == "deny":
            error = {"error": "access_denied", "error_description": "The user denied your request"}
        else:
            code, _ = self.authorize(scope=scope)
            separator = "&" if "?" in redirect_uri else "?"
            return 302, f"{redirect_uri}{separator}{urlencode({'scope': scope, 'code': code, **state})}"
        separator = "&" if "?" in redirect_uri else "?"
        return 302, f"{redirect_uri}{separator}{urlencode({**error, **state})}"

    def token(self, headers: Mapping[str, str], form: Mapping[str, str]) -> dict[str, Any]:
        livemode = self._authenticate(headers, form)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise _OAuthError(400, "invalid_request", "No grant type specified")
        if grant_type == "authorization_code":
            return self._exchange_code(form.get("code"), livemode)
        if grant_type == "refresh_token":
            return self._refresh_token(form.get("refresh_token"), form.get("scope"), livemode)
        raise _OAuthError(400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}")

    def _issue(self, account: str, scope: str, livemode: bool, refresh_token: str | None) -> dict[str, Any]:
        mode = "live" if livemode else "test"
        access_token = _token(f"sk_{mode}_")
        connection = self._connections.setdefault(account, _Connection(scope, livemode))
        connection.access_tokens.add(access_token)
        if refresh_token is None:
            refresh_token = _token("rt_")
            connection.refresh_tokens.add(refresh_token)
            self._refresh[refresh_token] = account
        return {
            "access_token": access_token,
            "livemode": livemode,
            "refresh_token": refresh_token,
            "token_type": "bearer",
            "stripe_publishable_key": _token(f"pk_{mode}_"),
            "stripe_user_id": account,
            "scope": scope,
        }

    def _exchange_code(self, code: str | None, livemode: bool) -> dict[str, Any]:
        if not code:
            raise _OAuthError(400, "invalid_request", "No authorization code provided")
        with self._lock:
            grant = self._codes.get(code)
            if grant is None:
                raise _OAuthError(400, "invalid_grant", f"Authorization code does not exist: {code}")
            if grant.used:
                raise _OAuthError(400, "invalid_grant", f"Authorization code has already been used: {code}")
            if self._clock() > grant.expires_at:
                raise _OAuthError(400, "invalid_grant", f"Authorization code expired: {code}")
            if grant.livemode != livemode:
                raise _OAuthError(400, "invalid_grant", "The authorization code's mode does not match the API key's")
            grant.used = True
            return self._issue(grant.account, grant.scope, livemode, None)

    def _refresh_token(self, refresh_token: str | None, scope: str | None, livemode: bool) -> dict[str, Any]:
        if not refresh_token:
            raise _OAuthError(400, "invalid_request", "No refresh token provided")
        with self._lock:
            account = self._refresh.get(refresh_token)
            connection = self._connections.get(account) if account else None
            if account is None or connection is None:
                raise _OAuthError(400, "invalid_grant", f"Refresh token does not exist: {refresh_token}")
            wanted = scope or connection.scope
            if wanted not in SCOPES or SCOPES.index(wanted) > SCOPES.index(connection.scope):
                raise _OAuthError(400, "invalid_scope", f"Invalid scope: {wanted}")
            return self._issue(account, wanted, livemode, refresh_token)

    def deauthorize(self, headers: Mapping[str, str], form: Mapping[str, str]) -> dict[str, Any]:
        self._authenticate(headers, form)
        client_id, account = form.get("client_id"), form.get("stripe_user_id")
        if not client_id:
            raise _OAuthError(400, "invalid_request", "No client_id provided")
        if not account:
            raise _OAuthError(400, "invalid_request", "No stripe_user_id provided")
        if client_id != self.client_id:
            raise _OAuthError(401, "invalid_client", f"No such application: '{client_id}'")
        with self._lock:
            connection = self._connections.pop(account, None)
            if connection is None:
                raise _OAuthError(
                    401,
                    "invalid_client",
                    f"This application is not connected to stripe account {account}, or that account does not exist.",
                )
            for token in connection.refresh_tokens:
                self._refresh.pop(token, None)
        return {"stripe_user_id": account}


def _handler_for(server: ConnectOAuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx's pool expects
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # quiet: tests and the walk-through print what matters

        def _reply(self, status: int, body: bytes, content_type: str, extra: Mapping[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Request-Id", "req_" + secrets.token_hex(7))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Mapping[str, Any]) -> None:
            self._reply(status, json.dumps(payload).encode(), "application/json")

        def _record(self, form: Mapping[str, str]) -> tuple[str, dict[str, str]]:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server._lock:  # pyright: ignore[reportPrivateUsage]
                server.requests.append(RecordedOAuthRequest(self.command, parts.path, headers, query, form))
            return parts.path, query

        def do_GET(self) -> None:
            path, query = self._record({})
            if path in ("/oauth/authorize", "/express/oauth/authorize"):
                status, target = server.authorize_redirect(query)
                if status == 302:
                    self._reply(302, b"", "text/plain", {"Location": target})
                else:
                    self._reply(status, target.encode(), "text/plain; charset=utf-8")
                return
            self._not_found(path)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = dict(parse_qsl(raw, keep_blank_values=True))
            path, _ = self._record(form)
            headers = {k.lower(): v for k, v in self.headers.items()}
            endpoints = {"/oauth/token": server.token, "/oauth/deauthorize": server.deauthorize}
            endpoint = endpoints.get(path)
            if endpoint is None:
                self._not_found(path)
                return
            try:
                self._json(200, endpoint(headers, form))
            except _OAuthError as error:
                self._json(error.status, {"error": error.code, "error_description": error.description})

        def _not_found(self, path: str) -> None:
            message = f"Unrecognized request URL ({self.command}: {path})."
            self._json(404, {"error": {"type": "invalid_request_error", "message": message}})

    return Handler
