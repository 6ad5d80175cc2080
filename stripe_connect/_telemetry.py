"""Watching calls from outside: hooks called with every attempt, and OpenTelemetry spans.

Hooks get an `Attempt`: a small immutable record without the api key, params or body. With
OpenTelemetry (the `otel` extra) and a tracer provider, every call is one CLIENT span named
`"{METHOD} {route template}"`; each attempt is an event on it (`stripe.attempt`), so a retried call stays
one span whose events tell the retries apart. Nothing is injected into the requests: Stripe never sees
trace headers.

Neither costs anything unless used: no hooks means no records, and tracing is looked for only when the
application has imported `opentelemetry.trace` and a provider other than the no-op one is in place.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

logger = logging.getLogger("stripe_connect")


@dataclasses.dataclass(frozen=True, slots=True)
class Attempt:
    """One request of a call, as hooks see it: `StripeClient(hooks=[fn])` calls `fn(attempt)` after each."""

    method: str
    """`GET`, `POST` or `DELETE`."""
    route: str | None
    """The route template (`/v1/charges/{charge}`); None for `raw_request`, whose path has no template."""
    path: str
    """The path requested (`/v1/charges/ch_123`), without the query."""
    stripe_account: str | None
    """The connected account (`Stripe-Account`), None for the platform."""
    idempotency_key: str | None
    attempt: int
    """1 for the first request of a call, 2 for its first retry, and so on."""
    status: int | None
    """The HTTP status, None when no response arrived."""
    request_id: str | None
    elapsed: float
    """Seconds this attempt took (the wait before it not included)."""
    exception: BaseException | None
    """What the call raised when this attempt ended it (a `StripeError`), or the transport error an attempt
    failed with (`httpx.ConnectError`, ...); None for a response that was retried or succeeded."""

    @property
    def retried(self) -> bool:
        return self.attempt > 1


Hook = Callable[[Attempt], None]


def run_hooks(hooks: tuple[Hook, ...], attempt: Attempt) -> None:
    """Call each hook; one that raises is logged and skipped: watching a call must never break it."""
    for hook in hooks:
        try:
            hook(attempt)
        except Exception as exc:
            logger.warning(
                "hook %s raised %s on %s %s (attempt %d); the call goes on",
                getattr(hook, "__qualname__", repr(hook)),
                type(exc).__name__,
                attempt.method,
                attempt.route or attempt.path,
                attempt.attempt,
            )


def error_type(exc: BaseException) -> str:
    """`error.type` of a span: the exception's qualified name, ours under their public package name."""
    cls = type(exc)
    module = "stripe_connect" if cls.__module__.startswith("stripe_connect") else cls.__module__
    return f"{module}.{cls.__qualname__}"


_tracers: tuple[Any, Any] | None = None  # (provider, tracer) of the last lookup; a tuple swap is atomic


def tracer(provider: Any) -> Any | None:
    """The tracer that records calls, or None when nothing would record them.

    `provider` is the client's `tracer_provider` (None: OpenTelemetry's global one). An application that
    configured tracing has imported `opentelemetry.trace`; one that did not pays a dictionary lookup.
    """
    global _tracers
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    if provider is None:
        provider = trace.get_tracer_provider()
        if isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
            return None
    cached = _tracers
    if cached is not None and cached[0] is provider:
        return cached[1]
    from stripe_connect._version import VERSION

    found = provider.get_tracer("stripe_connect", VERSION)
    _tracers = (provider, found)
    return found


class CallSpan:
    """The span of one call: opened at its first attempt, an event per attempt, closed with its outcome."""

    __slots__ = ("_span",)

    def __init__(
        self,
        tracer: Any,
        method: str,
        route: str | None,
        base_url: str,
        *,
        account: str | None,
        idempotency_key: str | None,
        api_version: str | None,
    ) -> None:
        from opentelemetry.trace import SpanKind

        url = urlsplit(base_url)
        attributes: dict[str, str | int] = {"http.request.method": method, "server.address": url.hostname or ""}
        if url.port is not None:
            attributes["server.port"] = url.port
        if route is not None:
            attributes["url.template"] = route
        for name, value in (
            ("stripe.account", account),
            ("stripe.idempotency_key", idempotency_key),
            ("stripe.api_version", api_version),
        ):
            if value is not None:
                attributes[name] = value
        # The HTTP semantic conventions' name: low-cardinality, so the method alone when there is no template.
        name = f"{method} {route}" if route is not None else method
        self._span = tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)

    def attempt(self, attempt: Attempt) -> None:
        attributes: dict[str, str | int | float] = {
            "http.request.resend_count": attempt.attempt - 1,
            "stripe.attempt.elapsed": attempt.elapsed,
        }
        if attempt.status is not None:
            attributes["http.response.status_code"] = attempt.status
        if attempt.request_id:
            attributes["stripe.request_id"] = attempt.request_id
        if attempt.exception is not None:
            attributes["error.type"] = error_type(attempt.exception)
        self._span.add_event("stripe.attempt", attributes)

    def end(self, *, status: int | None, request_id: str | None, retries: int, error: BaseException | None) -> None:
        from opentelemetry.trace import Status, StatusCode

        span = self._span
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if request_id:
            span.set_attribute("stripe.request_id", request_id)
        if retries:
            span.set_attribute("http.request.resend_count", retries)
        if error is not None:
            # The HTTP status for an error response (the semantic conventions' choice), else the exception.
            span.set_attribute("error.type", str(status) if status is not None and status >= 400 else error_type(error))
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        span.end()
