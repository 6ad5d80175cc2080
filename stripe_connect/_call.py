"""One logical API call: the request (built once, reused by every retry) and the policy reading outcomes.

The sync and async clients differ only in how they send and sleep; everything else is decided here.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, cast

import httpx

from stripe_connect._encoding import flatten, urlencode
from stripe_connect._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    error_from_response,
    parse_json_body,
)
from stripe_connect._identity import identity_headers
from stripe_connect._options import Base, ClientOptions, RequestOptions, Timeout, check_request_options
from stripe_connect._redact import redact, redact_pairs
from stripe_connect._response_meta import JSONObject, LastResponse
from stripe_connect._retry import retry_delay, should_retry_error, should_retry_status
from stripe_connect._route import Route
from stripe_connect._telemetry import Attempt, CallSpan, run_hooks, tracer

if TYPE_CHECKING:
    from typing_extensions import Self

logger = logging.getLogger("stripe_connect")

_RESERVED_HEADERS = frozenset(
    {
        "authorization",
        "stripe-account",
        "stripe-version",
        "idempotency-key",
        "content-type",
        "user-agent",
        "x-stripe-client-user-agent",
    }
)

FileInput = bytes | IO[bytes] | os.PathLike[str]
"""A file to upload: its bytes, a binary file object (streamed), or a path."""


def _headers(options: ClientOptions, method: str, request_options: RequestOptions) -> dict[str, str]:
    api_key = request_options.get("api_key", options.api_key)
    if not api_key:
        raise AuthenticationError("No API key provided: pass api_key to StripeClient(...) or api_key=... to the call")
    headers = {"Authorization": f"Bearer {api_key}", **identity_headers(options.app_info)}
    version = request_options.get("stripe_version", options.stripe_version)
    if version:
        headers["Stripe-Version"] = version
    account = request_options.get("stripe_account", options.stripe_account)
    if account:
        headers["Stripe-Account"] = account
    idempotency_key = request_options.get("idempotency_key")
    if idempotency_key is not None or method == "POST":
        headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
    for name, value in request_options.get("extra_headers", {}).items():
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(f"extra_headers cannot set {name!r}; use the request option for it")
        headers[name] = value
    return headers


def _upload(name: str, value: Any) -> tuple[tuple[str, Any], IO[bytes] | None]:
    """A multipart file field, and the file we opened for it (to close), if any."""
    if isinstance(value, bytes):
        return (name, value), None
    if isinstance(value, os.PathLike):
        handle = open(os.fspath(value), "rb")  # noqa: SIM115 - closed by Call.close()  # pyright: ignore[reportUnknownArgumentType]
        return (os.path.basename(handle.name), handle), handle
    if hasattr(value, "read"):
        filename = os.path.basename(str(getattr(value, "name", name)))
        seekable = getattr(value, "seekable", None)
        if callable(seekable) and seekable():
            return (filename, value), None  # streamed; httpx rewinds it for every attempt
        # A pipe or a network stream cannot be rewound: read it once, so that a retry sends it whole again.
        content = value.read()
        if not isinstance(content, bytes):
            raise TypeError(f"parameter {name!r}: the file must be opened in binary mode ('rb')")
        return (filename, content), None
    raise TypeError(f"parameter {name!r}: expected bytes, a binary file object or a path, got {type(value).__name__}")


class Call:
    """A request and its retry state. `timeout` and `max_retries` are the effective values for this call.

    The clients' retry loops use it as a context manager and send `call.attempt()` until an outcome is
    final; it reports every attempt to the hooks and the call's span, and the final response as the
    result's `last_response`.
    """

    def __init__(
        self,
        options: ClientOptions,
        method: str,
        path: str | Route,
        params: Mapping[str, Any] | None,
        request_options: RequestOptions,
        response: Any,
        *,
        base: Base = "api",
        multipart: bool = False,
    ) -> None:
        check_request_options(request_options)
        # A plain path is its own route template (no Route made for it: this runs for every call).
        self.path, self.route = (path.path, path.template) if isinstance(path, Route) else (path, path)
        _check_path(self.path)
        self.method = method.upper()
        if self.method not in ("GET", "POST", "DELETE"):
            raise ValueError(f"method must be 'get', 'post' or 'delete', got {method!r}")
        self.target = path
        self.response = response
        self.retries = 0
        self.max_retries: int = request_options.get("max_retries", options.max_retries)
        self.timeout: Timeout = request_options.get("timeout", options.timeout)
        self.strict: bool = request_options.get("strict", options.strict)
        self.api_version: str | None = request_options.get("stripe_version", options.stripe_version)
        self._secret = str(request_options.get("api_key", options.api_key) or "")
        self._opened: list[IO[bytes]] = []
        self._started = self._attempt_started = time.monotonic()
        self._hooks = options.hooks
        self._tracer_provider = options.tracer_provider
        self._span: CallSpan | None = None
        self._pending = False  # an attempt is out and its outcome not yet reported
        self._request_id: str | None = None  # of the latest response
        self._base_url = options.base_url(base)
        try:
            self.request = self._build(options, params or {}, request_options, base, multipart)
        except BaseException:
            self.close()  # a bad param after a file param: nothing is sent, nothing stays open
            raise
        self.request.extensions["timeout"] = httpx.Timeout(self.timeout).as_dict()

    def _build(
        self, options: ClientOptions, params: Mapping[str, Any], ro: RequestOptions, base: Base, multipart: bool
    ) -> httpx.Request:
        headers = _headers(options, self.method, ro)
        self.stripe_account = headers.get("Stripe-Account")
        self.idempotency_key = headers.get("Idempotency-Key")
        self.api_version = headers.get("Stripe-Version")
        url = self._base_url + self.path
        if self.method in ("GET", "DELETE"):
            pairs = flatten(params, query=True)
            self._log_params(pairs)
            query = urlencode(pairs)
            return httpx.Request(self.method, f"{url}?{query}" if query else url, headers=headers)
        if multipart:
            files: dict[str, tuple[str, Any]] = {}
            data: dict[str, str] = {}
            for key, value in params.items():
                if value is None:
                    continue
                if isinstance(value, bytes | os.PathLike) or hasattr(value, "read"):
                    files[key], opened = _upload(key, value)
                    if opened is not None:
                        self._opened.append(opened)
                else:
                    data.update(flatten({key: value}))
            if not files:
                # Multipart exists to upload a file; without one, a wrong-typed file went out as text.
                given = ", ".join(f"{k}: {type(v).__name__}" for k, v in params.items() if v is not None)
                raise TypeError(
                    f"{self.description} uploads a file: pass bytes, a binary file object or a path "
                    f"(pathlib.Path); got {given}"
                )
            self._log_params([*data.items(), *((k, f"<file {name}>") for k, (name, _) in files.items())])
            return httpx.Request(self.method, url, headers=headers, data=data, files=files)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        pairs = flatten(params)
        self._log_params(pairs)
        return httpx.Request(self.method, url, headers=headers, content=urlencode(pairs).encode())

    def _log_params(self, pairs: list[tuple[str, str]]) -> None:
        # Bodies are for debugging only, and even then never with the secrets they may carry.
        if pairs and logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s params: %s", self.description, redact_pairs(pairs, (self._secret,)))

    @property
    def description(self) -> str:
        return f"{self.method} {self.path}"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, _type: object, error: BaseException | None, _tb: object) -> None:
        self.close()  # files opened for an upload, however the call ended
        if error is not None and self._pending:  # an attempt cut short: cancelled, interrupted
            self._report(None, None, error)
        if self._span is not None:
            self._end_span(None, None, error)

    def attempt(self) -> httpx.Request:
        """The request to send now (the same one on every attempt), timing the attempt."""
        self._attempt_started = time.monotonic()
        self._pending = True
        if self.retries == 0 and self._span is None:
            found = tracer(self._tracer_provider)
            if found is not None:
                self._span = CallSpan(
                    found,
                    self.method,
                    self.route,
                    self._base_url,
                    account=self.stripe_account,
                    idempotency_key=self.idempotency_key,
                    api_version=self.api_version,
                )
        return self.request

    def retry_after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying, or None when this response is final (then pass it to `finish`)."""
        # Looked up once per response: httpx scans every header on each lookup.
        self._request_id = response.headers.get("request-id")
        self._log(response)
        if response.is_success or self.retries >= self.max_retries:
            return None
        if not should_retry_status(response.status_code, response.headers):
            return None
        self._report(response.status_code, self._request_id, None)
        return self._next_delay(response.headers)

    def retry_after_error(self, error: httpx.RequestError) -> float:
        """Seconds to wait before retrying a request that failed in transit; raises when it may not be retried."""
        logger.info("%s failed in transit (%s, attempt %d)", self.description, type(error).__name__, self.retries + 1)
        if self.retries >= self.max_retries or not should_retry_error(error):
            self.close()
            kind = "timed out" if isinstance(error, httpx.TimeoutException) else "could not complete"
            detail = redact(str(error), (self._secret,))
            final = APIConnectionError(
                f"{self.description} {kind} after {self.retries + 1} attempt(s): {type(error).__name__}"
                + (f" ({detail})" if detail else "")
            )
            self._report(None, None, final)
            self._end_span(None, None, final)
            raise final from error
        self._report(None, None, error)
        return self._next_delay({})

    def _next_delay(self, headers: Mapping[str, str]) -> float:
        delay = retry_delay(self.retries, headers)
        self.retries += 1
        for handle in self._opened:  # a retried upload streams the file again from its start
            handle.seek(0)
        return delay

    def finish(self, response: httpx.Response) -> Any:
        """The parsed result of a final response (with its `last_response`), or the error it stands for."""
        self.close()
        status, request_id = response.status_code, self._request_id
        try:
            result = self._parse(response)
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
        if self.response is Any and type(result) is dict:
            return JSONObject(cast("dict[str, Any]", result), meta)
        attach = getattr(cast(object, result), "_set_last_response", None)  # a model (pydantic is not imported here)
        if attach is not None:
            attach(meta)
        return result

    def _parse(self, response: httpx.Response) -> Any:
        if not response.is_success:
            raise error_from_response(response, redact=(self._secret,))
        if self.response is bytes:
            return response.content
        # Imported here: parsing needs pydantic, constructing a client and its services does not.
        from pydantic import ValidationError

        from stripe_connect._lenient import type_name
        from stripe_connect._parse import parse_json

        try:
            return parse_json(self.response, response.content, strict=self.strict, api_version=self.api_version)
        except ValidationError as exc:
            problem = exc.errors(include_input=False, include_url=False)[0]
            where = ".".join(str(p) for p in problem["loc"]) or "body"
            expected = "JSON" if self.response is Any else f"a valid {type_name(self.response)}"
            raise APIError(
                f"{self.description} returned a body that is not {expected} "
                f"(HTTP {response.status_code}): {where}: {problem['msg']}",
                http_status=response.status_code,
                request_id=response.headers.get("request-id"),
                body=parse_json_body(response.content),
                headers=dict(response.headers),
            ) from None

    def close(self) -> None:
        for handle in self._opened:
            handle.close()
        self._opened.clear()

    def _report(self, status: int | None, request_id: str | None, exception: BaseException | None) -> None:
        """Tell the hooks and the span how the attempt in flight ended."""
        self._pending = False
        hooks, span = self._hooks, self._span
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
        logger.info(
            "%s -> %d (request %s, attempt %d, %.0f ms)",
            self.description,
            response.status_code,
            self._request_id or "-",
            self.retries + 1,
            (time.monotonic() - self._started) * 1000,
        )


def _check_path(path: str) -> None:
    """A path is relative to the API base (`/v1/...`): no other host, no query (params carry it)."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"path must be relative to the API base, like '/v1/charges', got {path!r}")
    if any(c in path for c in "?# ") or not path.isprintable():
        raise ValueError(f"path must be a plain, percent-encoded path (pass query parameters in params), got {path!r}")
