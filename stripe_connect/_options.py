"""Client options (fixed at construction) and request options (per call), and how they combine."""

from __future__ import annotations

import dataclasses
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
    """Seconds (or an `httpx.Timeout`) for this call."""
    max_retries: int
    """How many times this call may be retried."""
    extra_headers: Mapping[str, str]
    """Additional HTTP headers (they cannot replace the ones above)."""
    strict: bool
    """Raise when the response departs from the models, instead of keeping what does not fit as sent."""


class RequestOptions(PlatformRequestOptions, total=False):
    """Keyword-only options every API method accepts, next to (never mixed with) the API's params."""

    stripe_account: str | None
    """The connected account to act on (`Stripe-Account`); None targets the platform itself."""


REQUEST_OPTION_NAMES = frozenset(RequestOptions.__annotations__)


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
    timeout: Timeout = dataclasses.field(default_factory=lambda: default_timeout())
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
        if self.api_key is not None and (not isinstance(self.api_key, str) or not self.api_key.strip()):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError("api_key must be a non-empty string (or None to pass one per request)")
        if self.stripe_account is not None and (
            not isinstance(self.stripe_account, str) or not self.stripe_account.strip()  # pyright: ignore[reportUnnecessaryIsInstance]
        ):
            raise ValueError("stripe_account must be a non-empty account id such as 'acct_123', or None")
        if not isinstance(self.max_retries, int) or self.max_retries < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError("max_retries must be a non-negative integer")
        if not isinstance(self.strict, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError("strict must be True or False")
        for name in ("api_base", "connect_base", "files_base"):
            value = getattr(self, name)
            if not value.startswith(("http://", "https://")):
                raise ValueError(f"{name} must be an http(s) address, got {value!r}")
            object.__setattr__(self, name, value.rstrip("/"))
        for hook in self.hooks:
            if not callable(hook):
                raise TypeError(f"hooks must be callables taking an Attempt, got {type(hook).__name__}")

    def base_url(self, base: Base) -> str:
        return {"api": self.api_base, "connect": self.connect_base, "files": self.files_base}[base]

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.name != "api_key"
        )
        return f"ClientOptions(api_key={mask_secret(self.api_key)!r}, {fields})"


def check_request_options(options: Mapping[str, object]) -> None:
    unknown = set(options) - REQUEST_OPTION_NAMES
    if unknown:
        raise TypeError(f"unknown request option(s) {sorted(unknown)}; expected some of {sorted(REQUEST_OPTION_NAMES)}")
    account = options.get("stripe_account")
    if account is not None and (not isinstance(account, str) or not account.strip()):
        raise ValueError("stripe_account must be a non-empty account id such as 'acct_123', or None")
    key = options.get("api_key")
    if "api_key" in options and (not isinstance(key, str) or not key.strip()):
        raise ValueError("api_key must be a non-empty string")
    retries = options.get("max_retries", 0)
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ValueError(f"max_retries must be a non-negative integer, got {retries!r}")
    if not isinstance(options.get("strict", False), bool):
        raise ValueError(f"strict must be True or False, got {options.get('strict')!r}")
    timeout = options.get("timeout", 1.0)
    import httpx  # loaded already: options are checked when a request is made

    if not isinstance(timeout, httpx.Timeout) and (
        not isinstance(timeout, int | float) or isinstance(timeout, bool) or not timeout > 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds or an httpx.Timeout, got {timeout!r}")
