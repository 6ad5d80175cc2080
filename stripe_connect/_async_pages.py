"""What an async list or search method returns: awaitable for one page, iterable for every item.

page = await client.customers.list(limit=10)
async for customer in client.customers.list(limit=100).auto_paging_iter(): ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # named in quoted base classes below (importing them would load pydantic with the services)
    from stripe_connect._async_pagination import (  # noqa: F401
        AsyncListObject,
        AsyncSearchResult,
        _AsyncPage,  # pyright: ignore[reportPrivateUsage]
    )

T = TypeVar("T")
P = TypeVar("P", bound="_AsyncPage[Any]")


class _AsyncPageRequest(Generic[P, T]):
    __slots__ = ("_fetch",)

    def __init__(self, fetch: Callable[[], Awaitable[P]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, P]:
        return self._fetch().__await__()

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        async for item in (await self._fetch()).auto_paging_iter_async():  # holds no page itself
            yield item


class AsyncListRequest(_AsyncPageRequest["AsyncListObject[T]", T]):
    """`await` it for an `AsyncListObject`, or iterate every item: `async for x in req.auto_paging_iter()`."""

    __slots__ = ()


class AsyncSearchRequest(_AsyncPageRequest["AsyncSearchResult[T]", T]):
    """`await` it for an `AsyncSearchResult`, or iterate every item: `async for x in req.auto_paging_iter()`."""

    __slots__ = ()
