"""The errors Connect OAuth answers with, one class per OAuth `error` code, all under `OAuthError`.

connect.stripe.com reports OAuth failures as `{"error": "invalid_grant", "error_description": "..."}`
(RFC 6749's shape), not as the API's `{"error": {...}}` object, so they get their own branch of the
hierarchy: `StripeError -> OAuthError -> InvalidGrantError, ...`. An unknown code raises `OAuthError`.

This module's `InvalidRequestError` is OAuth's `invalid_request` (a missing `code`, `refresh_token` or
`grant_type`). It is deliberately *not* `stripe_connect.InvalidRequestError` (the API's 400/404) and does
not inherit from it: import it qualified (`oauth_errors.InvalidRequestError`) or as `OAuthInvalidRequestError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from stripe_connect._errors import StripeError


class OAuthError(StripeError):
    """connect.stripe.com refused an OAuth request. `code` is the OAuth `error` code (`"invalid_grant"`),
    `description` its `error_description`; the message is the description, with secrets redacted."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        description: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, code=code, request_id=request_id, body=body, headers=headers)
        self.description = description


class InvalidGrantError(OAuthError):
    """The authorization code or refresh token does not exist, expired, was used already, belongs to another
    platform, or its mode (live/test) differs from the key's."""


class InvalidClientError(OAuthError):
    """The platform could not be authenticated (no or bad secret key, unknown `client_id`), or the account
    is not connected to this platform (deauthorize)."""


class InvalidRequestError(OAuthError):
    """OAuth's `invalid_request`: a required `code`, `refresh_token` or `grant_type` was not provided.

    Not the API's `stripe_connect.InvalidRequestError`; also importable as `OAuthInvalidRequestError`."""


OAuthInvalidRequestError = InvalidRequestError


class InvalidScopeError(OAuthError):
    """The requested `scope` is invalid, or wider than the refresh token's."""


class UnsupportedGrantTypeError(OAuthError):
    """`grant_type` is neither `authorization_code` nor `refresh_token`."""


class UnsupportedResponseTypeError(OAuthError):
    """`response_type` is not `code`."""


ERROR_CLASSES: Mapping[str, type[OAuthError]] = {
    "invalid_grant": InvalidGrantError,
    "invalid_client": InvalidClientError,
    "invalid_request": InvalidRequestError,
    "invalid_scope": InvalidScopeError,
    "unsupported_grant_type": UnsupportedGrantTypeError,
    "unsupported_response_type": UnsupportedResponseTypeError,
}


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return text


def oauth_error_body(body: Any) -> dict[str, Any] | None:
    """The body as a dict when it is an OAuth error (`error` is a string), else None."""
    if not isinstance(body, dict):
        return None
    fields = cast("dict[str, Any]", body)
    return fields if isinstance(fields.get("error"), str) else None


def oauth_error_from(
    body: Mapping[str, Any],
    *,
    http_status: int | None,
    headers: Mapping[str, str] | None = None,
    redact: tuple[str, ...] = (),
) -> OAuthError:
    """The exception for an OAuth error body. Each value in `redact` (an authorization code, a refresh
    token, a key: Stripe's descriptions quote the code they reject) is replaced wherever it appears."""
    code = str(body["error"])
    raw_description = body.get("error_description")
    description = _redact(str(raw_description), redact) if raw_description is not None else None
    clean_body = {k: _redact(v, redact) if isinstance(v, str) else v for k, v in body.items()}
    cls = ERROR_CLASSES.get(code, OAuthError)
    return cls(
        description or f"Stripe's OAuth endpoint returned error {code!r}",
        code=code,
        description=description,
        http_status=http_status,
        request_id=(headers or {}).get("request-id"),
        body=clean_body,
        headers=dict(headers or {}),
    )
