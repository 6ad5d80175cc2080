"""Client options (fixed at construction) and request options (per call), and how they combine.

Both are checked by one validator (`check_option`), so a value is refused alike wherever it is given:
`StripeClient(timeout=0)`, `with_options(timeout=0)` and `retrieve(..., timeout=0)`. Errors name the
option, never the value of one that may be a secret or end up in a header.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

# httpx is imported where requests are made, not here: verifying and parsing a webhook imports this module
# and needs no HTTP stack (importing httpx costs a cold process ~50 ms).
if TYPE_CHECKING:
    import httpx

    from stripe_connect._identity import App
    from stripe_connect._telemetry import Hook

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_CONNECT_BASE = "https://connect.stripe.com"
DEFAULT_FILES_BASE = "https://files.stripe.com"
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECT_TIMEOUT = 30.0
DEFAULT_READ_TIMEOUT = 80.0

Base = Literal["api", "connect", "files"]
Timeout: TypeAlias = "float | httpx.Timeout"


class PlatformRequestOptions(TypedDict, total=False):
    """The request options of a call that always acts as the platform (OAuth): all but `stripe_account`."""

    idempotency_key: str
    """Your key instead of the generated one (POST requests get one automatically)."""
    stripe_version: str
    """The API version for this call only."""
    api_key: str
    """Another secret key, or a connected account's OAuth access token, for this call only."""
    timeout: Timeout
    """Seconds each attempt may take, connect to last byte (or an `httpx.Timeout`: its largest limit)."""
    deadline: float | None
    """Seconds the whole call may take, retries and their waits included; None: no limit."""
    max_retries: int
    """How many times this call may be retried."""
    max_response_bytes: int | None
    """The largest response body read; a longer one is an `APIError`, never a partial object."""
    extra_headers: Mapping[str, str]
    """Additional HTTP headers (they cannot replace the ones above, nor those the transport owns)."""
    strict: bool
    """Raise when the response departs from the models, instead of keeping what does not fit as sent."""


class RequestOptions(PlatformRequestOptions, total=False):
    """Keyword-only options every API method accepts, next to (never mixed with) the API's params."""

    stripe_account: str | None
    """The connected account to act on (`Stripe-Account`); None targets the platform itself."""


REQUEST_OPTION_NAMES = frozenset(RequestOptions.__annotations__)

# Headers the SDK sets from options, and those the HTTP transport owns (framing, routing, the connection):
# letting `extra_headers` set them would re-route a request, corrupt its framing or bypass an option check.
OPTION_HEADERS = {
    "authorization": "api_key",
    "stripe-account": "stripe_account",
    "stripe-version": "stripe_version",
    "idempotency-key": "idempotency_key",
}
SDK_HEADERS = frozenset({"content-type", "content-encoding", "user-agent", "x-stripe-client-user-agent"})
TRANSPORT_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
        "te",
        "trailer",
        "upgrade",
        "expect",
    }
)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token


def default_timeout() -> httpx.Timeout:
    """30 s to connect, 80 s to read."""
    import httpx

    return httpx.Timeout(DEFAULT_READ_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)


def mask_secret(secret: str | None) -> str | None:
    """`sk_test_abc...` -> `sk_test_***`: the kind of key, never any of its secret part."""
    if secret is None:
        return None
    prefix = secret.rsplit("_", 1)[0] + "_" if "_" in secret else ""
    return f"{prefix}***"


@dataclasses.dataclass(frozen=True, slots=True)
class ClientOptions:
    """Everything a client is configured with; immutable, copied by `with_options`."""

    api_key: str | None = dataclasses.field(default=None, repr=False)
    stripe_account: str | None = None
    stripe_version: str | None = None
    client_id: str | None = None
    max_retries: int = DEFAULT_MAX_RETRIES
    timeout: Timeout = dataclasses.field(default_factory=default_timeout)
    deadline: float | None = None
    max_response_bytes: int | None = None
    api_base: str = DEFAULT_API_BASE
    connect_base: str = DEFAULT_CONNECT_BASE
    files_base: str = DEFAULT_FILES_BASE
    strict: bool = False
    """Raise when a response departs from the models, instead of keeping what does not fit as sent."""
    app_info: App | None = None
    """Who is calling (`User-Agent`, `X-Stripe-Client-User-Agent`), shared by derived clients."""
    hooks: tuple[Hook, ...] = ()
    """Called with every attempt of every call, by this client and the clients derived from it."""
    tracer_provider: Any = None
    """The OpenTelemetry `TracerProvider` spans go to; None: the global one (if any is configured)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            check_option(f.name, getattr(self, f.name))
        for name in ("api_base", "connect_base", "files_base"):
            object.__setattr__(self, name, getattr(self, name).rstrip("/"))

    def base_url(self, base: Base) -> str:
        return {"api": self.api_base, "connect": self.connect_base, "files": self.files_base}[base]

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.name != "api_key"
        )
        return f"ClientOptions(api_key={mask_secret(self.api_key)!r}, {fields})"


@dataclasses.dataclass(frozen=True, slots=True)
class CallOptions:
    """The effective options of one call: the client's, with the call's request options over them.

    Made by `merge`, the only place the two are combined: once per call with request options, once per
    client and base without (the client keeps those).
    """

    api_key: str | None = dataclasses.field(repr=False)
    stripe_account: str | None
    stripe_version: str | None
    idempotency_key: str | None
    extra_headers: Mapping[str, str]
    max_retries: int
    timeout: Timeout
    deadline: float | None
    max_response_bytes: int | None
    strict: bool
    base_url: str
    app_info: App | None
    hooks: tuple[Hook, ...]
    tracer_provider: Any
    phase_limits: dict[str, float | None] = dataclasses.field(init=False, repr=False, compare=False)
    """httpx's limit of each phase (connect, read, write, pool) of an attempt."""
    attempt_seconds: float = dataclasses.field(init=False, repr=False, compare=False)
    """How long an attempt may take as a whole: a number, or an `httpx.Timeout`'s largest limit."""

    def __post_init__(self) -> None:
        import httpx  # a call's options are made when a request is: httpx is loaded by then

        limits = httpx.Timeout(self.timeout).as_dict()
        object.__setattr__(self, "phase_limits", limits)
        object.__setattr__(self, "attempt_seconds", max(limit for limit in limits.values() if limit is not None))

    @classmethod
    def merge(cls, client_options: ClientOptions, request_options: RequestOptions, base: Base) -> CallOptions:
        """The options of a call to `base`; the request options are checked first (an unknown name is an error)."""
        check_request_options(request_options)
        get = request_options.get
        return cls(
            api_key=get("api_key", client_options.api_key),
            stripe_account=get("stripe_account", client_options.stripe_account),
            stripe_version=get("stripe_version", client_options.stripe_version),
            idempotency_key=get("idempotency_key"),
            extra_headers=get("extra_headers", {}),
            max_retries=get("max_retries", client_options.max_retries),
            timeout=get("timeout", client_options.timeout),
            deadline=get("deadline", client_options.deadline),
            max_response_bytes=get("max_response_bytes", client_options.max_response_bytes),
            strict=get("strict", client_options.strict),
            base_url=client_options.base_url(base),
            app_info=client_options.app_info,
            hooks=client_options.hooks,
            tracer_provider=client_options.tracer_provider,
        )

    @property
    def secret(self) -> str:
        """What to redact from anything logged or raised for this call."""
        return self.api_key or ""


def check_request_options(options: Mapping[str, object]) -> None:
    unknown = set(options) - REQUEST_OPTION_NAMES
    if unknown:
        raise TypeError(f"unknown request option(s) {sorted(unknown)}; expected some of {sorted(REQUEST_OPTION_NAMES)}")
    for name, value in options.items():
        if name == "api_key" and value is None:
            raise ValueError("api_key must be a non-empty string")  # per call, None cannot mean "the client's"
        check_option(name, value)


def check_option(name: str, value: object) -> None:
    """Refuse a value of a client or request option that could not be sent, would misroute or hang a call."""
    if name in _HEADER_BOUND:
        if value is not None:
            _check_header_value(name, value, _HEADER_BOUND[name])
    elif name == "client_id":
        if value is not None:
            _check_header_value(name, value, "Connect client id such as 'ca_123'")
    elif name == "max_retries":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"max_retries must be a non-negative integer, got {value!r}")
    elif name == "timeout":
        _check_timeout(value)
    elif name == "deadline":
        if value is not None and not _is_positive_seconds(value):
            raise ValueError(f"deadline must be None or a positive, finite number of seconds, got {value!r}")
    elif name == "max_response_bytes":
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
            raise ValueError(f"max_response_bytes must be None or a positive integer, got {value!r}")
    elif name in ("api_base", "connect_base", "files_base"):
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ValueError(f"{name} must be an http(s) address, got {value!r}")
    elif name == "extra_headers":
        _check_extra_headers(value)
    elif name == "strict":
        if not isinstance(value, bool):
            raise ValueError(f"strict must be True or False, got {value!r}")
    elif name == "hooks":
        hooks: tuple[object, ...] = value if isinstance(value, tuple) else ()  # pyright: ignore[reportUnknownVariableType]
        for hook in hooks:
            if not callable(hook):
                raise TypeError(f"hooks must be callables taking an Attempt, got {type(hook).__name__}")


# Options sent in a header, and what a valid one looks like (for the error message).
_HEADER_BOUND = {
    "api_key": "secret key such as 'sk_test_...' (or None to pass one per request)",
    "stripe_account": "account id such as 'acct_123' (or None)",
    "stripe_version": "API version such as '2023-08-16'",
    "idempotency_key": "key of printable ASCII characters",
}


def _check_header_value(name: str, value: object, expected: str) -> None:
    # A key read from a file often ends in a newline: sent, it would fail in the transport with an error
    # quoting the header, key and all. Whitespace, control and non-ASCII characters are refused here.
    if not isinstance(value, str) or not value:
        got = "an empty string" if isinstance(value, str) else f"a {type(value).__name__}"
        raise ValueError(f"{name} must be a non-empty {expected}, got {got}")
    if not (value.isascii() and value.isprintable()) or any(c.isspace() for c in value):
        raise ValueError(
            f"{name} must be a non-empty {expected}; the value given has whitespace, a control or a non-ASCII "
            "character (a trailing newline from a file or an environment variable?)"
        )


def _is_positive_seconds(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < math.inf


def _check_timeout(value: object) -> None:
    if _is_positive_seconds(value):
        return
    import httpx  # only for a value that is not plain seconds: this module stays free of the HTTP stack

    if isinstance(value, httpx.Timeout):
        limits = [value.connect, value.read, value.write, value.pool]
        if all(limit is None for limit in limits) or not all(
            limit is None or _is_positive_seconds(limit) for limit in limits
        ):
            raise ValueError(f"timeout: each limit of an httpx.Timeout must be positive and finite, got {value!r}")
    else:
        raise ValueError(f"timeout must be a positive number of seconds (finite) or an httpx.Timeout, got {value!r}")


def _check_extra_headers(value: object) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"extra_headers must be a mapping of header names to values, got {type(value).__name__}")
    for header, header_value in value.items():  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
            raise ValueError("extra_headers: a header name must be an HTTP token (letters, digits, -, ...)")
        lowered = header.lower()
        if lowered in OPTION_HEADERS:
            raise ValueError(f"extra_headers cannot set {header!r}; use the {OPTION_HEADERS[lowered]} option")
        if lowered in SDK_HEADERS:
            raise ValueError(f"extra_headers cannot set {header!r}: the SDK sets it for the body it encodes")
        if lowered in TRANSPORT_HEADERS:
            raise ValueError(f"extra_headers cannot set {header!r}: the HTTP transport sets it")
        if (
            not isinstance(header_value, str)
            or not (header_value.isascii() and header_value.isprintable())
            or header_value != header_value.strip()
        ):
            raise ValueError(
                f"extra_headers[{header!r}] must be printable ASCII text, without control characters or "
                "whitespace at either end"
            )
