"""One exception hierarchy for everything a call can raise (`stripe_connect._response` builds them from
Stripe's error bodies).

Nothing else is imported here: verifying a webhook raises these errors, and a fresh process's first webhook
should pay for nothing it does not use (JSON decoding, redaction, the HTTP stack).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast


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
        return json_object(json_object(self.body).get("error"))

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


def json_object(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object (a dict), else an empty one: error bodies are whatever a server sent."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}
