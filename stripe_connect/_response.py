"""Reading a call's HTTP response: its body within the attempt's limits, the error it stands for, or the
result it parses into (with its `last_response`)."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any, cast

import httpx

from stripe_connect._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError,  # noqa: A004 - Stripe's name for a 403
    RateLimitError,
    StripeError,
    json_object,
)
from stripe_connect._redact import redact
from stripe_connect._response_meta import JSONObject, LastResponse


class BodyReader:
    """Collects a streamed response body, chunk by chunk, within the attempt's time and the size cap.

    A body over the cap is an error before its bytes are kept: never a partial object.
    """

    __slots__ = ("_cap", "_chunks", "_description", "_end", "_response", "_size")

    def __init__(self, description: str, response: httpx.Response, end: float, cap: int | None) -> None:
        self._description, self._response, self._end, self._cap = description, response, end, cap
        self._chunks: list[bytes] = []
        self._size = 0
        if cap is not None:  # httpx scans every header per lookup: only when there is a cap to check against
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise self._too_large()

    def take(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._cap is not None and self._size > self._cap:
            raise self._too_large()
        if time.monotonic() > self._end:
            raise httpx.ReadTimeout("the response did not arrive within the attempt's timeout")
        self._chunks.append(chunk)

    def finish(self) -> None:
        # What httpx.Response.read() does with the chunks it iterates, once they all passed the checks above.
        self._response._content = b"".join(self._chunks)  # pyright: ignore[reportPrivateUsage]

    def _too_large(self) -> APIError:
        return unreadable(
            self._response,
            f"{self._description} returned a body larger than max_response_bytes={self._cap} "
            f"(HTTP {self._response.status_code}); nothing of it was parsed",
        )


def unreadable(response: httpx.Response, message: str, body: Any = None) -> APIError:
    """The `APIError` of a successful response whose body cannot be read as the call's result."""
    return APIError(
        message,
        http_status=response.status_code,
        request_id=response.headers.get("request-id"),
        body=body,
        headers=dict(response.headers),
    )


def parse(
    description: str, response: httpx.Response, cast_to: Any, *, strict: bool, api_version: str | None, secret: str
) -> Any:
    """The result a final response parses into as `cast_to`, or the error (an `APIError`) it stands for."""
    if not response.is_success:
        raise error_from_response(response, secrets=(secret,))
    if cast_to is bytes:
        return response.content
    # Imported here: parsing needs pydantic, constructing a client and its services does not.
    from pydantic import ValidationError

    from stripe_connect._parse import parse_json

    try:
        return parse_json(cast_to, response.content, strict=strict, api_version=api_version)
    except ValidationError as exc:
        from stripe_connect._lenient import type_name

        problem = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in problem["loc"]) or "body"
        expected = "JSON" if cast_to is Any else f"a valid {type_name(cast_to)}"
        message = f"{description} returned a body that is not {expected} (HTTP {response.status_code}): {where}: "
        raise unreadable(response, message + problem["msg"], parse_json_body(response.content)) from None


def with_last_response(result: Any, cast_to: Any, meta: LastResponse) -> Any:
    """The result carrying the response it came from: a JSON object as a `JSONObject`, a model by attribute."""
    if cast_to is Any and type(result) is dict:
        return JSONObject(cast("dict[str, Any]", result), meta)
    attach = getattr(cast(object, result), "_set_last_response", None)  # a model (pydantic is not imported here)
    if attach is not None:
        attach(meta)
    return result


def connection_error(
    description: str, error: httpx.RequestError, attempts: int, secret: str
) -> tuple[APIConnectionError, httpx.RequestError]:
    """The error a call raises when its request failed in transit for good, and the transport error to chain."""
    kind = "timed out" if isinstance(error, httpx.TimeoutException) else "could not complete"
    detail = redact(str(error), (secret,))
    final = APIConnectionError(
        f"{description} {kind} after {attempts} attempt(s): {type(error).__name__}" + (f" ({detail})" if detail else "")
    )
    return final, _sanitized(error, detail)


def _sanitized(error: httpx.RequestError, detail: str) -> httpx.RequestError:
    """The transport error to chain: its type and redacted message, without what could hold a secret.

    The original carries the request (its Authorization header) and, below it, httpcore's and h11's
    errors, which quote the offending bytes. A traceback or error tracker prints the whole chain.
    """
    try:
        clean = type(error)(detail)
    except TypeError:  # a transport's own error type with another signature
        clean = httpx.TransportError(detail)
    return clean.with_traceback(error.__traceback__)


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


def parse_json_body(content: bytes | str) -> Any:
    """The JSON value of a body, or None when it is not JSON (or nested too deeply to parse)."""
    try:
        return json.loads(content) if content else None
    except (ValueError, RecursionError):
        return None


def error_from_response(response: httpx.Response, secrets: tuple[str, ...] = ()) -> StripeError:
    """The exception for an error response, whatever its body holds (JSON error, HTML page, nothing).

    The secrets the call used, and anything shaped like a secret, are masked in the message and the
    parsed body: a server may echo a key back ("Invalid API Key provided: sk_live_...").
    """
    text = redact(response.content.decode("utf-8", errors="replace"), secrets)
    body = parse_json_body(text)
    error = json_object(json_object(body).get("error"))
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
