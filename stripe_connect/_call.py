"""One logical API call: its request (built once, reused by every retry), its retry state and decisions.

Building the request lives in `_request`, reading the response in `_response`. The sync and async
clients differ only in how they send and sleep; everything else is decided here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import httpx

from stripe_connect._log_filter import install_log_filter
from stripe_connect._options import CallOptions
from stripe_connect._request import Uploads, build_request, check_path, request_headers
from stripe_connect._response import BodyReader, connection_error, parse, with_last_response
from stripe_connect._response_meta import LastResponse
from stripe_connect._retry import retry_delay, should_retry_error, should_retry_status
from stripe_connect._route import Route
from stripe_connect._telemetry import Attempt, CallSpan, run_hooks, tracer

if TYPE_CHECKING:
    from typing_extensions import Self

logger = logging.getLogger("stripe_connect")
install_log_filter()  # httpx logs each request's URL itself: its query can carry a client secret

ATTEMPT_END: ContextVar[float | None] = ContextVar("stripe_connect_attempt_end", default=None)
"""The `time.monotonic()` by which the current attempt must be over; None outside an SDK call."""


class Call:
    """A request and its retry state; `options` are the effective options of this call.

    The clients' retry loops use it as a context manager and send `call.attempt()` until an outcome is
    final; it reports every attempt to the hooks and the call's span, and the final response as the
    result's `last_response`.
    """

    def __init__(
        self,
        method: str,
        path: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        options: CallOptions,
        *,
        multipart: bool = False,
    ) -> None:
        # A plain path is its own route template (no Route made for it: this runs for every call).
        self.path, self.route = (path.path, path.template) if isinstance(path, Route) else (path, path)
        check_path(self.path)
        self.method = method.upper()
        if self.method not in ("GET", "POST", "DELETE"):
            raise ValueError(f"method must be 'get', 'post' or 'delete', got {method!r}")
        self.description = f"{self.method} {self.path}"
        self.target = path
        self.cast_to = cast_to
        self.options = options
        self.retries = 0
        self.attempt_end = 0.0  # the time.monotonic() the attempt in flight must end by
        self._uploads = Uploads()
        self._started = self._attempt_started = time.monotonic()
        self._span: CallSpan | None = None
        self._pending = False  # an attempt is out and its outcome not yet reported
        self._request_id: str | None = None  # of the latest response
        self._deadline_at = None if options.deadline is None else self._started + options.deadline
        headers = request_headers(self.method, options)
        self.stripe_account = headers.get("Stripe-Account")
        self.idempotency_key = headers.get("Idempotency-Key")
        self.api_version = headers.get("Stripe-Version")
        try:
            self.request = build_request(
                self.method, self.path, params or {}, options, headers, self._uploads, multipart=multipart
            )
        except BaseException:
            self.close()  # a bad param after a file param: nothing is sent, nothing stays open
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, _type: object, error: BaseException | None, _tb: object) -> None:
        self.close()  # files opened for an upload, however the call ended
        if error is not None and self._pending:  # an attempt cut short: cancelled, interrupted
            self._report(None, None, error)
        if self._span is not None:
            self._end_span(None, None, error)

    def attempt(self) -> httpx.Request:
        """The request to send now (the same one on every attempt), timing the attempt.

        The attempt must end by `attempt_end` (its timeout, or the call's deadline): each phase's httpx
        limit is cut to what is left, the body is read through a `BodyReader` (which checks the time
        between chunks), and the SDK's own pools bound every network operation by it (`_attempt`).
        """
        self._attempt_started = now = time.monotonic()
        # A number bounds the attempt; an httpx.Timeout keeps its per-phase limits and bounds it by the largest.
        left = self.options.attempt_seconds
        if self._deadline_at is not None:  # retries wait only when they can end before it: `left` stays > 0
            left = max(min(left, self._deadline_at - now), 0.001)
        self.request.extensions["timeout"] = {
            phase: left if limit is None else min(limit, left) for phase, limit in self.options.phase_limits.items()
        }
        self.attempt_end = now + left
        self._pending = True
        if self.retries == 0 and self._span is None:
            found = tracer(self.options.tracer_provider)
            if found is not None:
                self._span = CallSpan(
                    found,
                    self.method,
                    self.route,
                    self.options.base_url,
                    account=self.stripe_account,
                    idempotency_key=self.idempotency_key,
                    api_version=self.api_version,
                )
        return self.request

    def begin_body(self, response: httpx.Response) -> BodyReader:
        return BodyReader(self.description, response, self.attempt_end, self.options.max_response_bytes)

    def retry_after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying, or None when this response is final (then pass it to `finish`)."""
        # Looked up once per response: httpx scans every header on each lookup.
        self._request_id = response.headers.get("request-id")
        self._log(response)
        if response.is_success or self.retries >= self.options.max_retries:
            return None
        if not should_retry_status(response.status_code, response.headers):
            return None
        delay = self._retry_delay(response.headers)
        if delay is None:
            return None
        self._report(response.status_code, self._request_id, None)
        return self._next(delay)

    def retry_after_error(self, error: httpx.RequestError) -> float:
        """Seconds to wait before retrying a request that failed in transit; raises when it may not be retried."""
        logger.info("%s failed in transit (%s, attempt %d)", self.description, type(error).__name__, self.retries + 1)
        delay = None
        if self.retries < self.options.max_retries and should_retry_error(error):
            delay = self._retry_delay({})
        if delay is None:
            self.close()
            final, cause = connection_error(self.description, error, self.retries + 1, self.options.secret)
            self._report(None, None, final)
            self._end_span(None, None, final)
            raise final from cause
        self._report(None, None, error)
        return self._next(delay)

    def _retry_delay(self, headers: Mapping[str, str]) -> float | None:
        """The wait before the next attempt; None when the call's deadline would pass before it ends."""
        delay = retry_delay(self.retries, headers)
        if self._deadline_at is not None and time.monotonic() + delay >= self._deadline_at:
            logger.info("%s: no retry, the call's deadline would pass first", self.description)
            return None
        return delay

    def _next(self, delay: float) -> float:
        self.retries += 1
        self._uploads.rewind()
        return delay

    def finish(self, response: httpx.Response) -> Any:
        """The parsed result of a final response (with its `last_response`), or the error it stands for."""
        self.close()
        status, request_id = response.status_code, self._request_id
        try:
            result = parse(
                self.description,
                response,
                self.cast_to,
                strict=self.options.strict,
                api_version=self.api_version,
                secret=self.options.secret,
            )
        except Exception as exc:
            self._report(status, request_id, exc)
            self._end_span(status, request_id, exc)
            raise
        self._report(status, request_id, None)
        if self._span is not None:
            self._end_span(status, request_id, None)
        meta = LastResponse(
            request_id=request_id,
            status_code=status,
            headers=response.headers,
            idempotency_key=self.idempotency_key,
            stripe_account=self.stripe_account,
            attempts=self.retries + 1,
            elapsed=time.monotonic() - self._started,
        )
        return with_last_response(result, self.cast_to, meta)

    def close(self) -> None:
        self._uploads.close()

    def _report(self, status: int | None, request_id: str | None, exception: BaseException | None) -> None:
        """Tell the hooks and the span how the attempt in flight ended."""
        self._pending = False
        hooks, span = self.options.hooks, self._span
        if not hooks and span is None:
            return
        attempt = Attempt(
            method=self.method,
            route=self.route,
            path=self.path,
            stripe_account=self.stripe_account,
            idempotency_key=self.idempotency_key,
            attempt=self.retries + 1,
            status=status,
            request_id=request_id,
            elapsed=time.monotonic() - self._attempt_started,
            exception=exception,
        )
        if span is not None:
            span.attempt(attempt)
        if hooks:
            run_hooks(hooks, attempt)

    def _end_span(self, status: int | None, request_id: str | None, error: BaseException | None) -> None:
        span, self._span = self._span, None
        if span is not None:
            span.end(status=status, request_id=request_id, retries=self.retries, error=error)

    def _log(self, response: httpx.Response) -> None:
        if not logger.isEnabledFor(logging.INFO):  # its arguments cost more than the check (one per response)
            return
        logger.info(
            "%s -> %d (request %s, attempt %d, %.0f ms)",
            self.description,
            response.status_code,
            self._request_id or "-",
            self.retries + 1,
            (time.monotonic() - self._started) * 1000,
        )
