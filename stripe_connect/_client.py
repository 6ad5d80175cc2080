"""The clients' shared machinery: options, the connection pool, and running a call with retries.

`StripeClient` and `AsyncStripeClient` (generated) add the service tree on top of these classes.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypedDict, TypeVar, cast, overload

import httpx

from stripe_connect._call import ATTEMPT_END, Call
from stripe_connect._identity import App, AppInfo
from stripe_connect._options import (
    DEFAULT_API_BASE,
    DEFAULT_CONNECT_BASE,
    DEFAULT_FILES_BASE,
    DEFAULT_MAX_RETRIES,
    Base,
    CallOptions,
    ClientOptions,
    RequestOptions,
    Timeout,
    default_timeout,
)
from stripe_connect._route import Route
from stripe_connect._telemetry import Hook

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from stripe_connect._models import StripeModel
    from stripe_connect._pagination import PageSource

DEFAULT_TIMEOUT = default_timeout()

H = TypeVar("H", httpx.Client, httpx.AsyncClient)
M = TypeVar("M")

_DEFAULT: Any = object()


class ClientOptionChanges(TypedDict, total=False):
    """What `with_options` can change; None clears an optional setting (e.g. `stripe_account=None`)."""

    api_key: str | None
    stripe_account: str | None
    stripe_version: str | None
    client_id: str | None
    max_retries: int
    timeout: Timeout
    deadline: float | None
    max_response_bytes: int | None
    api_base: str
    connect_base: str
    files_base: str
    strict: bool


class _Pool(Generic[H]):
    """The httpx client a client and all the clients derived from it share, created on first use.

    Once closed it stays closed, as an httpx client does: a call after `close()` is an error rather
    than a new pool nobody will close.
    """

    def __init__(self, factory: Callable[[], H], shared: H | None) -> None:
        self._factory = factory
        self._http = shared
        self.owned = shared is None
        self._closed = False
        self._lock = threading.Lock()

    def get(self) -> H:
        http = self._http
        if http is None or self._closed:
            with self._lock:
                if self._closed:
                    raise RuntimeError(
                        "this Stripe client was closed (and with it the clients derived from it): "
                        "make a new StripeClient to send more requests"
                    )
                if self._http is None:
                    self._http = self._factory()
                http = self._http
        return http

    def take_for_close(self) -> H | None:
        """Mark the pool closed; the httpx client to close, if this SDK made it."""
        with self._lock:
            self._closed = True
            http, self._http = (self._http, None) if self.owned else (None, self._http)
        return http


class _ClientBase(Generic[H]):
    api_version: ClassVar[str | None] = None
    """The API version requests carry unless told otherwise: the version of the spec this SDK is built from."""

    _options: ClientOptions
    _pool: _Pool[H]
    _owns_pool: bool

    def __init__(
        self,
        api_key: str | None = None,
        *,
        stripe_account: str | None = None,
        stripe_version: str | None = _DEFAULT,
        client_id: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        api_base: str = DEFAULT_API_BASE,
        connect_base: str = DEFAULT_CONNECT_BASE,
        files_base: str = DEFAULT_FILES_BASE,
        strict: bool = False,
        http_client: H | None = None,
        app_info: AppInfo | None = None,
        hooks: Iterable[Hook] = (),
        tracer_provider: Any = None,
    ) -> None:
        self._options = ClientOptions(
            api_key=api_key,
            stripe_account=stripe_account,
            stripe_version=type(self).api_version if stripe_version is _DEFAULT else stripe_version,
            client_id=client_id,
            max_retries=max_retries,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            api_base=api_base,
            connect_base=connect_base,
            files_base=files_base,
            strict=strict,
            app_info=App.of(app_info) if app_info is not None else None,
            hooks=tuple(hooks),
            tracer_provider=tracer_provider,
        )
        self._defaults: dict[Base, CallOptions] = {}  # the options of a call without request options, per base
        self._pool = _Pool(self._new_http_client, http_client)
        # Only the client constructed closes the pool: a tenant client leaving `with` must not cut off the rest.
        self._owns_pool = True

    def _new_http_client(self) -> H:
        raise NotImplementedError

    @property
    def options(self) -> ClientOptions:
        return self._options

    def with_options(self, **changes: Unpack[ClientOptionChanges]) -> Self:
        """A copy with some options changed, sharing this client's connection pool.

        `client.with_options(stripe_account="acct_123")` is the client of one connected account;
        `with_options(stripe_account=None)` goes back to the platform.
        """
        unknown = set(changes) - set(ClientOptionChanges.__annotations__)
        if unknown:
            raise TypeError(f"with_options() got unknown option(s) {sorted(unknown)}")
        clone = object.__new__(type(self))
        clone.__dict__.update(self._shared_state())
        clone._options = dataclasses.replace(self._options, **changes)
        clone._defaults = {}
        clone._owns_pool = False
        return clone

    def for_account(self, account_id: str) -> Self:
        """The client of one connected account: every call carries `Stripe-Account: account_id`."""
        return self.with_options(stripe_account=account_id)

    def _shared_state(self) -> dict[str, Any]:
        # Everything but the lazily created services, which belong to one client. Copy first: another thread
        # may be creating a service (a cached_property writes to __dict__) while this one derives a client.
        return {k: v for k, v in self.__dict__.copy().items() if k.startswith("_")}

    def __reduce__(self) -> Any:
        # A client holds a connection pool (sockets, locks) that cannot travel to another process.
        name = type(self).__name__
        raise TypeError(
            f"{name} objects cannot be pickled or copied: they hold a connection pool. Send `client.options` "
            f"(a ClientOptions, which pickles) and rebuild the client where it is needed: "
            f"{name}(**dataclasses.asdict(options)); use with_options() for a variant in the same process"
        )

    def __repr__(self) -> str:
        o = self._options
        return f"{type(self).__name__}(stripe_account={o.stripe_account!r}, stripe_version={o.stripe_version!r})"

    def deserialize(self, data: Mapping[str, Any] | str | bytes) -> StripeModel:
        """A Stripe object kept as a dict (or its JSON) -> the typed model its `object` field names.

        `{"object": "charge", ...}` becomes a `Charge`, a list a `ListObject`, an unknown type a
        `StripeObject`; parsed as leniently as any response (strictly on a `strict=True` client). It has no
        `last_response` and, being made by no call, a list cannot fetch its next pages.
        """
        from stripe_connect._deserialize import deserialize

        return deserialize(data, strict=self._options.strict, api_version=self._options.stripe_version)

    def _call(
        self,
        method: str,
        path: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        request_options: RequestOptions,
        base: Base,
        multipart: bool,
    ) -> Call:
        options = self._defaults.get(base) if not request_options else None
        if options is None:  # with request options; or the first call to `base` without (most calls have none)
            options = CallOptions.merge(self._options, request_options, base)
            if not request_options:
                self._defaults[base] = options
        return Call(method, path, params, cast_to, options, multipart=multipart)

    def _attach(
        self, result: object, call: Call, params: Mapping[str, Any] | None, request_options: RequestOptions
    ) -> None:
        """Let a list or search page fetch the pages after it the way it was fetched."""
        from stripe_connect._pagination import Page

        if isinstance(result, Page):
            page = cast("Page[Any]", result)
            page._source = self._page_source(call.target, dict(params or {}), call.cast_to, request_options)  # pyright: ignore[reportPrivateUsage]

    def _page_source(
        self, path: str | Route, params: dict[str, Any], cast_to: Any, request_options: RequestOptions
    ) -> PageSource:
        raise NotImplementedError


def _path_of(path: str | Route) -> str:
    return path.path if isinstance(path, Route) else path


class BaseStripeClient(_ClientBase[httpx.Client]):
    """A synchronous client. Safe to share between threads; derive per-account clients with `with_options`."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        stripe_account: str | None = None,
        stripe_version: str | None = _DEFAULT,
        client_id: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        api_base: str = DEFAULT_API_BASE,
        connect_base: str = DEFAULT_CONNECT_BASE,
        files_base: str = DEFAULT_FILES_BASE,
        strict: bool = False,
        http_client: httpx.Client | None = None,
        app_info: AppInfo | None = None,
        hooks: Iterable[Hook] = (),
        tracer_provider: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Args:
        api_key: the platform's secret key (`sk_...`), sent as `Authorization: Bearer`.
        stripe_account: the connected account every call targets unless a call says otherwise.
        stripe_version: the API version (default: the version this SDK was generated from).
        client_id: the platform's Connect client id (`ca_...`), for OAuth.
        max_retries, timeout: defaults for every call (each call may override them); `timeout` bounds each
            attempt, connect to last byte.
        deadline: seconds a whole call may take, retries and their waits included (default: no limit).
        max_response_bytes: the largest response body read (default: no limit); a longer one is an APIError.
        api_base, connect_base, files_base: where the API, Connect OAuth and file uploads live.
        strict: raise (`APIError`) when a response departs from the models, instead of keeping what does not
            fit as sent (the default; each call may say otherwise with `strict=`).
        http_client: an `httpx.Client` to send with (you close it); by default one is made on first use.
        sleep: how to wait between retries (tests pass a fake).
        app_info: `{"name": ..., "version": ..., "url": ..., "partner_id": ...}` (name required): the platform
            or plugin calling, sent in `User-Agent` and `X-Stripe-Client-User-Agent` as Stripe's SDKs send it.
        hooks: callables called with an `Attempt` record after every attempt (also by derived clients).
        tracer_provider: the OpenTelemetry provider for call spans (default: the global one, if configured).
        """
        super().__init__(
            api_key,
            stripe_account=stripe_account,
            stripe_version=stripe_version,
            client_id=client_id,
            max_retries=max_retries,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            api_base=api_base,
            connect_base=connect_base,
            files_base=files_base,
            strict=strict,
            http_client=http_client,
            app_info=app_info,
            hooks=hooks,
            tracer_provider=tracer_provider,
        )
        self._sleep = sleep

    def _new_http_client(self) -> httpx.Client:
        from stripe_connect._http import new_client

        return new_client()

    def _page_source(
        self, path: str | Route, params: dict[str, Any], cast_to: Any, request_options: RequestOptions
    ) -> PageSource:
        from stripe_connect._pagination import PageSource

        return PageSource(
            _path_of(path),
            params,
            fetch=lambda cursor: self.request("get", path, {**params, **cursor}, cast_to, request_options),
        )

    def request(
        self,
        method: Literal["get", "post", "delete"],
        path: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        request_options: RequestOptions,
        *,
        base: Base = "api",
        multipart: bool = False,
    ) -> Any:
        """Send one API call (retrying as the policy allows) and parse its response into `cast_to`."""
        with self._call(method, path, params, cast_to, request_options, base, multipart) as call:
            http = self._pool.get()
            while True:
                response = self._attempt(http, call)
                if isinstance(response, httpx.RequestError):
                    self._sleep(call.retry_after_error(response))
                    continue
                delay = call.retry_after_response(response)
                if delay is None:
                    result = call.finish(response)
                    self._attach(result, call, params, request_options)
                    return result
                self._sleep(delay)

    @staticmethod
    def _attempt(http: httpx.Client, call: Call) -> httpx.Response | httpx.RequestError:
        """Send the call's request once and read its body, all within the attempt's end.

        A transport failure is returned, not raised: handled outside its `except`, the error the call
        may raise for it does not carry it as its context (it quotes the request).
        """
        request = call.attempt()
        token = ATTEMPT_END.set(call.attempt_end)
        try:
            response = http.send(request, stream=True)
            try:
                body = call.begin_body(response)
                for chunk in response.iter_bytes():
                    body.take(chunk)
                body.finish()
            finally:
                response.close()
        except httpx.RequestError as exc:
            return exc
        finally:
            ATTEMPT_END.reset(token)
        return response

    @overload
    def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: type[M],
        **request_options: Unpack[RequestOptions],
    ) -> M: ...

    @overload
    def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: None = None,
        **request_options: Unpack[RequestOptions],
    ) -> Any: ...

    def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: type[M] | None = None,
        **request_options: Unpack[RequestOptions],
    ) -> Any:
        """Call an endpoint the spec lacks, with the same auth, retries and errors.

        Returns the parsed JSON (an object as a dict with `last_response`), or with `cast_to=Model` the
        model, validated as leniently as any response: `raw_request("get", "/v1/charges/ch_1", cast_to=Charge)`.
        The path has no route template, so hooks see `route=None` and spans are named by the method alone.
        """
        return self.request(method, Route(None, path), params, Any if cast_to is None else cast_to, request_options)

    def close(self) -> None:
        """Close the connection pool this client created (and its derived clients share).

        On a client made by `with_options` / `for_account` this does nothing: the pool is its parent's.
        """
        if not self._owns_pool:
            return
        http = self._pool.take_for_close()
        if http is not None:
            http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class BaseAsyncStripeClient(_ClientBase[httpx.AsyncClient]):
    """An asyncio client: the same services, awaitable. Share one per event loop."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        stripe_account: str | None = None,
        stripe_version: str | None = _DEFAULT,
        client_id: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        api_base: str = DEFAULT_API_BASE,
        connect_base: str = DEFAULT_CONNECT_BASE,
        files_base: str = DEFAULT_FILES_BASE,
        strict: bool = False,
        http_client: httpx.AsyncClient | None = None,
        app_info: AppInfo | None = None,
        hooks: Iterable[Hook] = (),
        tracer_provider: Any = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """Args: as `StripeClient`, with an `httpx.AsyncClient` and an async `sleep` (default asyncio's)."""
        super().__init__(
            api_key,
            stripe_account=stripe_account,
            stripe_version=stripe_version,
            client_id=client_id,
            max_retries=max_retries,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            api_base=api_base,
            connect_base=connect_base,
            files_base=files_base,
            strict=strict,
            http_client=http_client,
            app_info=app_info,
            hooks=hooks,
            tracer_provider=tracer_provider,
        )
        self._sleep = sleep

    def _new_http_client(self) -> httpx.AsyncClient:
        from stripe_connect._http import new_async_client

        return new_async_client()

    def _page_source(
        self, path: str | Route, params: dict[str, Any], cast_to: Any, request_options: RequestOptions
    ) -> PageSource:
        from stripe_connect._pagination import PageSource

        return PageSource(
            _path_of(path),
            params,
            fetch_async=lambda cursor: self.request("get", path, {**params, **cursor}, cast_to, request_options),
        )

    async def request(
        self,
        method: Literal["get", "post", "delete"],
        path: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        request_options: RequestOptions,
        *,
        base: Base = "api",
        multipart: bool = False,
    ) -> Any:
        """Send one API call (retrying as the policy allows) and parse its response into `cast_to`."""
        with self._call(method, path, params, cast_to, request_options, base, multipart) as call:
            http = self._pool.get()
            while True:
                response = await self._attempt(http, call)
                if isinstance(response, httpx.RequestError):
                    await self._wait(call.retry_after_error(response))
                    continue
                delay = call.retry_after_response(response)
                if delay is None:
                    result = call.finish(response)
                    self._attach(result, call, params, request_options)
                    return result
                await self._wait(delay)

    @staticmethod
    async def _attempt(http: httpx.AsyncClient, call: Call) -> httpx.Response | httpx.RequestError:
        """Send the call's request once and read its body, all within the attempt's end (see the sync one)."""
        request = call.attempt()
        token = ATTEMPT_END.set(call.attempt_end)
        try:
            response = await http.send(request, stream=True)
            try:
                body = call.begin_body(response)
                async for chunk in response.aiter_bytes():
                    body.take(chunk)
                body.finish()
            finally:
                await response.aclose()
        except httpx.RequestError as exc:
            return exc
        finally:
            ATTEMPT_END.reset(token)
        return response

    async def _wait(self, seconds: float) -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
        else:
            import asyncio  # only async clients need it; keeps it out of `import stripe_connect`

            await asyncio.sleep(seconds)

    @overload
    async def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: type[M],
        **request_options: Unpack[RequestOptions],
    ) -> M: ...

    @overload
    async def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: None = None,
        **request_options: Unpack[RequestOptions],
    ) -> Any: ...

    async def raw_request(
        self,
        method: Literal["get", "post", "delete"],
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cast_to: type[M] | None = None,
        **request_options: Unpack[RequestOptions],
    ) -> Any:
        """Call an endpoint the spec lacks, with the same auth, retries and errors.

        Returns the parsed JSON (an object as a dict with `last_response`), or with `cast_to=Model` the
        model, validated as leniently as any response: `raw_request("get", "/v1/charges/ch_1", cast_to=Charge)`.
        The path has no route template, so hooks see `route=None` and spans are named by the method alone.
        """
        return await self.request(
            method, Route(None, path), params, Any if cast_to is None else cast_to, request_options
        )

    async def aclose(self) -> None:
        """Close the connection pool this client created; nothing on a derived client (the pool is its parent's)."""
        if not self._owns_pool:
            return
        http = self._pool.take_for_close()
        if http is not None:
            await http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()
