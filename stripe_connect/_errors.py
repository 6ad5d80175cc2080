"""One exception hierarchy for everything a call can raise, built from Stripe's error bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import httpx  # only typed here: the webhook path imports these errors and no HTTP stack

from stripe_connect._redact import redact as redact_text


class StripeError(Exception):
    """Base of every error this library raises for a Stripe call.

    `http_status`, `code`, `param`, `decline_code`, `doc_url` and `request_id` come from the response; `body`
    is the parsed JSON error body (or None) and `headers` the response headers.
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        doc_url: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.doc_url = doc_url
        self.request_id = request_id
        self.body = body
        self.headers: Mapping[str, str] = headers if headers is not None else {}

    @property
    def error(self) -> Mapping[str, Any]:
        """The `error` object of the body (empty when the body had none)."""
        return _as_dict(_as_dict(self.body).get("error"))

    def __str__(self) -> str:
        parts = [self.message]
        if self.http_status is not None:
            parts.append(f"(status {self.http_status}")
            parts[-1] += f", request {self.request_id})" if self.request_id else ")"
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, request_id={self.request_id!r})"
        )


class APIError(StripeError):
    """Stripe failed (5xx), or answered with something that is not a valid response."""


class APIConnectionError(StripeError):
    """The request could not reach Stripe or the response did not arrive (network error, timeout)."""


class AuthenticationError(StripeError):
    """No API key, or an invalid one (401)."""


class PermissionError(StripeError):  # noqa: A001 - Stripe's name; import it qualified if it shadows
    """The key may not access this resource (403)."""


class CardError(StripeError):
    """The card was declined (402); see `code` and `decline_code`."""


class IdempotencyError(StripeError):
    """An idempotency key was reused with different parameters."""


class InvalidRequestError(StripeError):
    """Invalid parameters (400) or an unknown object (404); `param` names the culprit."""


class RateLimitError(StripeError):
    """Too many requests (429)."""


class SignatureVerificationError(StripeError):
    """A webhook payload's `Stripe-Signature` does not verify."""

    def __init__(self, message: str, sig_header: str | None = None) -> None:
        super().__init__(message)
        self.sig_header = sig_header


def _error_class(status: int, error: Mapping[str, Any]) -> type[StripeError]:
    """The class for an error body, as Stripe's SDKs choose it: by status, refined by `type` and `code`."""
    error_type = error.get("type")
    if error_type == "idempotency_error":
        return IdempotencyError
    if status == 429 or (status == 400 and error.get("code") == "rate_limit"):
        return RateLimitError
    if status in (400, 404):
        return InvalidRequestError
    if status == 402 or error_type == "card_error":
        return CardError
    return {401: AuthenticationError, 403: PermissionError}.get(status, APIError)


def _as_dict(value: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def parse_json_body(content: bytes | str) -> Any:
    """The JSON value of a body, or None when it is not JSON (or nested too deeply to parse)."""
    try:
        return json.loads(content) if content else None
    except (ValueError, RecursionError):
        return None


def error_from_response(response: httpx.Response, redact: tuple[str, ...] = ()) -> StripeError:
    """The exception for an error response, whatever its body holds (JSON error, HTML page, nothing).

    The secrets the call used, and anything shaped like a secret, are masked in the message and the
    parsed body: a server may echo a key back ("Invalid API Key provided: sk_live_...").
    """
    text = redact_text(response.content.decode("utf-8", errors="replace"), redact)
    body = parse_json_body(text)
    error = _as_dict(_as_dict(body).get("error"))
    request_id = response.headers.get("request-id")
    status = response.status_code
    if error:
        message = str(error.get("message") or f"Stripe returned an error of type {error.get('type')!r}")
        cls = _error_class(status, error)
    elif body is None:
        kind = "an empty body" if not response.content else "a body that is not JSON"
        message = f"Stripe returned HTTP {status} with {kind}"
        cls = APIError
    else:
        message = f"Stripe returned HTTP {status} without an error object"
        cls = APIError if status >= 500 else _error_class(status, {})
    return cls(
        message,
        http_status=status,
        code=_text(error.get("code")),
        param=_text(error.get("param")),
        decline_code=_text(error.get("decline_code")),
        doc_url=_text(error.get("doc_url")),
        request_id=request_id,
        body=body,
        headers=dict(response.headers),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
