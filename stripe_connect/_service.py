"""What generated services build on: a handle on the client and the one way to make a call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from stripe_connect._async_pages import AsyncListRequest, AsyncSearchRequest
from stripe_connect._options import Base, RequestOptions
from stripe_connect._route import Route

if TYPE_CHECKING:
    from stripe_connect._client import BaseAsyncStripeClient, BaseStripeClient

Method = Literal["get", "post", "delete"]

_ID = re.compile(r"\{([^{}]*)\}")


def path(template: str, /, **ids: str) -> Route:
    """`path("/v1/charges/{charge}", charge=charge_id)`: the path, each id checked and percent-encoded, with
    the template it came from (which names the operation in hooks and spans).

    An empty or non-string id is an error here, before anything is sent (an empty id would silently turn a
    retrieve into a list call), and so is `.` or `..`: percent-encoding keeps dots, and the dot segment would be
    resolved into another endpoint (`delete(account, "..")` deleting the account). Ids are named as in the spec,
    whatever the name: the template is positional-only (an id may be called `template`), and `{a.b}` is the id
    `a.b`, not an attribute.
    """
    for name, value in ids.items():
        if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"{name} must be a string id, got {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"{name} must be a non-empty id, got {value!r}")
        if value in (".", ".."):
            raise ValueError(f"{name} must be an id, not the path segment {value!r}")
    return Route(template, _ID.sub(lambda m: quote(ids[m.group(1)], safe=""), template))


class StripeService:
    """A group of API methods (`client.charges`); also usable on its own: `ChargeService(client)`."""

    def __init__(self, client: BaseStripeClient) -> None:
        self._client = client

    def _request(
        self,
        method: Method,
        url: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        request_options: RequestOptions,
        *,
        base: Base = "api",
        multipart: bool = False,
    ) -> Any:
        return self._client.request(method, url, params, cast_to, request_options, base=base, multipart=multipart)


class AsyncStripeService:
    """The asyncio twin of `StripeService`."""

    def __init__(self, client: BaseAsyncStripeClient) -> None:
        self._client = client

    async def _request(
        self,
        method: Method,
        url: str | Route,
        params: Mapping[str, Any] | None,
        cast_to: Any,
        request_options: RequestOptions,
        *,
        base: Base = "api",
        multipart: bool = False,
    ) -> Any:
        return await self._client.request(method, url, params, cast_to, request_options, base=base, multipart=multipart)

    def _list(
        self, url: str | Route, params: Mapping[str, Any], cast_to: Any, request_options: RequestOptions
    ) -> AsyncListRequest[Any]:
        return AsyncListRequest(lambda: self._client.request("get", url, params, cast_to, request_options))

    def _search(
        self, url: str | Route, params: Mapping[str, Any], cast_to: Any, request_options: RequestOptions
    ) -> AsyncSearchRequest[Any]:
        return AsyncSearchRequest(lambda: self._client.request("get", url, params, cast_to, request_options))
