"""The pages of an `AsyncStripeClient`: `async for ... in page.auto_paging_iter_async()` walks every item
(what a page is, and the sync pages, are in `stripe_connect._pagination`).

Apart from the sync pages because only an async client's list and search calls return these: objects nest
sync pages (a charge's `refunds` is a `ListObject`), and a sync client, or a fresh process parsing its first
webhook, does not define these models (~2.5 ms).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from stripe_connect._pagination import Cursors, ListPage, Page, PageSource, SearchPage

T = TypeVar("T")


class _AsyncPage(Page[T]):
    """A page from an `AsyncStripeClient`: `async for` walks it."""

    def auto_paging_iter_async(self) -> AsyncIterator[T]:
        """Every item of this page and the pages after it, fetching them as needed."""
        source = self._attached_source()
        fetch = source.async_fetch()  # fails before the first item, not after a page
        return _walk_async(source, fetch, self)


class AsyncListObject(ListPage[T], _AsyncPage[T]):
    """A page of a list from an `AsyncStripeClient`: `async for item in page.auto_paging_iter_async()`."""


class AsyncSearchResult(SearchPage[T], _AsyncPage[T]):
    """A page of search results from an `AsyncStripeClient`: `async for item in page.auto_paging_iter_async()`."""


async def _walk_async(
    source: PageSource, fetch: Callable[[Mapping[str, Any]], Awaitable[Any]], page: Page[T]
) -> AsyncIterator[T]:
    seen = Cursors(source)
    while True:
        for item in page._items():  # pyright: ignore[reportPrivateUsage]
            yield item
        cursor = seen.next_of(page)
        if cursor is None:
            return
        del page
        page = await fetch(cursor)
