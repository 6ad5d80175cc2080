"""List and search pages, and walking through all of their items.

A sync client's pages (`ListObject`, `SearchResult`) walk with `for ... in page.auto_paging_iter()`, an
async client's (`AsyncListObject`, `AsyncSearchResult`) with `async for ... in page.auto_paging_iter_async()`:
each type has only the walk its client can serve, so the type checker rejects the other. What a page is
(its fields, its cursor) and how it walks are separate bases that the four classes combine. The async pages
live in `stripe_connect._async_pagination`.

Every page request repeats the first request's params (filters, `limit`, `expand`) and request options
(the connected account above all), changing only the cursor. Errors propagate from any page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from stripe_connect._errors import APIError
from stripe_connect._models import StripeModel

if TYPE_CHECKING:
    from typing_extensions import Self

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageSource:
    """How a page was fetched, so that the next one is fetched the same way: the first call's params, and
    the client's way of repeating that call with other params (a sync client's or an async client's)."""

    path: str
    params: Mapping[str, Any]
    fetch: Callable[[Mapping[str, Any]], Any] | None = None
    fetch_async: Callable[[Mapping[str, Any]], Awaitable[Any]] | None = None

    def sync_fetch(self) -> Callable[[Mapping[str, Any]], Any]:
        if self.fetch is None:
            raise TypeError(
                "this page came from an AsyncStripeClient: parse it into an AsyncListObject or AsyncSearchResult "
                "and use `async for` with auto_paging_iter_async()"
            )
        return self.fetch

    def async_fetch(self) -> Callable[[Mapping[str, Any]], Awaitable[Any]]:
        if self.fetch_async is None:
            raise TypeError(
                "this page came from a StripeClient: parse it into a ListObject or SearchResult "
                "and iterate it with auto_paging_iter()"
            )
        return self.fetch_async


class Page(StripeModel, Generic[T]):
    # How the page was fetched, set by the client that fetched it. A slot, not a pydantic private
    # attribute: those cost a call back into Python for every page parsed, and lists nest in objects
    # (every charge carries its `refunds`), so a page of 100 charges would pay it 101 times.
    __slots__ = ("_source",)
    if TYPE_CHECKING:
        _source: PageSource

    data: list[T]
    has_more: bool

    def _fetched_by(self) -> PageSource | None:
        return getattr(self, "_source", None)

    def __copy__(self) -> Self:
        copied = super().__copy__()
        if (source := self._fetched_by()) is not None:
            copied._source = source
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        if (source := self._fetched_by()) is not None:
            copied._source = source  # the same client and request, not copies of them
        return copied

    def __reduce__(self) -> Any:
        # `ListObject[Refund]` is made on demand, not a module attribute pickle could look up: rebuild it from
        # its origin and arguments. The fetch source stays behind (it holds the client and its connections).
        meta = self.__pydantic_generic_metadata__
        if meta["origin"] is None:
            return super().__reduce__()
        return (_parametrized_instance, (meta["origin"], meta["args"]), self.__getstate__())

    def _attached_source(self) -> PageSource:
        source = self._fetched_by()
        if source is None:
            raise TypeError(
                "this page has no client to fetch the next one: it was not returned by a list or search call "
                "(it is nested in another object, or was unpickled); call the matching list method to page through it"
            )
        return source

    def _next_cursor(self) -> dict[str, Any] | None:
        raise NotImplementedError

    def _items(self) -> list[T]:
        return self.data


class _SyncPage(Page[T]):
    """A page from a `StripeClient`: `for` walks it."""

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this page and the pages after it, fetching them as needed."""
        source = self._attached_source()
        fetch = source.sync_fetch()  # fails before the first item, not after a page
        return _walk(source, fetch, self)


# The walks hold one page at a time, the first one included: a walked page goes before the next one
# arrives (unless the caller keeps it), so memory stays at one page however many there are.


def _walk(source: PageSource, fetch: Callable[[Mapping[str, Any]], Any], page: Page[T]) -> Iterator[T]:
    seen = Cursors(source)
    while True:
        yield from page._items()  # pyright: ignore[reportPrivateUsage]
        cursor = seen.next_of(page)
        if cursor is None:
            return
        del page
        page = fetch(cursor)


class Cursors:
    """The cursors a walk has followed: a page pointing back to one of them would loop forever."""

    __slots__ = ("_seen", "_source")

    def __init__(self, source: PageSource) -> None:
        self._source = source
        self._seen: set[tuple[tuple[str, Any], ...]] = set()

    def next_of(self, page: Page[Any]) -> dict[str, Any] | None:
        cursor = page._next_cursor()  # pyright: ignore[reportPrivateUsage]
        if cursor is None:
            return None
        key = tuple(sorted(cursor.items()))
        if key in self._seen:
            where = ", ".join(f"{k}={_shortened(v)!r}" for k, v in key)
            raise APIError(
                f"GET {self._source.path}: the list does not advance (has_more is true, yet the next page "
                f"starts from {where} again); stopped instead of looping forever"
            )
        self._seen.add(key)
        return cursor


def _shortened(value: Any) -> Any:
    return value[:40] + "..." if isinstance(value, str) and len(value) > 43 else value


def _parametrized_instance(origin: Any, args: tuple[Any, ...]) -> Any:
    """An empty instance of `origin[args]` (`ListObject[Refund]`), for pickle to restore the state into."""
    cls = origin[args[0] if len(args) == 1 else args]
    return cls.__new__(cls)


def _item_id(item: Any) -> str:
    item_id = getattr(item, "id", None)
    if not isinstance(item_id, str):
        raise TypeError(f"cannot page past an item without an id: {item!r}")
    return item_id


class ListPage(Page[T]):
    """A page of a list (`object: "list"`). Walking backwards applies when the first call used `ending_before`."""

    object: str = "list"
    url: str | None = None

    def _backward(self) -> bool:
        # Generated methods pass every param, unset ones as None.
        source = self._fetched_by()
        params: Mapping[str, Any] = source.params if source is not None else {}
        return params.get("ending_before") is not None and params.get("starting_after") is None

    def _items(self) -> list[T]:
        return self.data[::-1] if self._backward() else self.data

    def _next_cursor(self) -> dict[str, Any] | None:
        if not self.has_more or not self.data:
            return None
        if self._backward():
            return {"ending_before": _item_id(self.data[0])}
        return {"starting_after": _item_id(self.data[-1])}


class SearchPage(Page[T]):
    """A page of search results (`object: "search_result"`), followed through `next_page`."""

    object: str = "search_result"
    url: str | None = None
    next_page: str | None = None
    total_count: int | None = None

    def _next_cursor(self) -> dict[str, Any] | None:
        if not self.has_more or not self.next_page or not self.data:
            return None
        return {"page": self.next_page}


class ListObject(ListPage[T], _SyncPage[T]):
    """A page of a list from a `StripeClient`: `for item in page.auto_paging_iter()` walks every item."""


class SearchResult(SearchPage[T], _SyncPage[T]):
    """A page of search results from a `StripeClient`: `for item in page.auto_paging_iter()` walks every item."""
