"""Stripe's v1 parameter encoding: `application/x-www-form-urlencoded` with bracket nesting.

    {"a": {"b": 1}}                   a[b]=1
    {"items": [{"price": "p"}]}       items[0][price]=p
    {"tags": ["x", "y"]}              tags[0]=x&tags[1]=y          (bodies)
                                      tags[]=x&tags[]=y            (query strings, see below)
    {"on": True}                      on=true        (at every depth)
    {"note": ""}                      note=          (the empty string unsets a field)
    {"note": None}, {"tags": []}      nothing        (None and empty containers are omitted)
    {"n": 2.5, "d": Decimal("1E+2")}  n=2.5&d=100    (numbers as plain decimal text, never exponents)
    {"at": datetime(2024, 1, 1)}      at=1704067200  (unix seconds; a naive datetime is taken as UTC)

Query strings spell lists of scalars `a[]=x`, the form Stripe's API reference uses for GET requests
(`expand[]=customer`); lists of objects stay indexed (`items[0][price]=`), which their grouping needs.

`None` means "not sent": a key whose value is None is omitted, at any depth. Inside a list it is a
TypeError, as is an empty dict or list there: an item cannot be left out without renumbering the
items after it, which would send something else than what was asked. Keys must be non-empty and free
of square brackets (Stripe's rule for metadata keys too), else the nesting would be ambiguous: a
ValueError. NaN and infinities are a ValueError; any other type is a TypeError naming the parameter.
"""

from __future__ import annotations

import calendar
import datetime
import decimal
import enum
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast
from urllib.parse import quote_plus

Pairs = list[tuple[str, str]]


def _scalar(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value, key)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"parameter {key!r}: {value!r} cannot be sent to Stripe")
        text = repr(value)
        return text if "e" not in text else format(decimal.Decimal(text), "f")
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"parameter {key!r}: {value!r} cannot be sent to Stripe")
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        # Whole seconds, rounded down (also before 1970); utctimetuple() keeps a naive value as it is (UTC).
        return str(calendar.timegm(value.utctimetuple()))
    raise TypeError(f"parameter {key!r}: cannot encode a value of type {type(value).__name__}")


def _is_scalar_list(values: Sequence[Any]) -> bool:
    return not any(isinstance(v, Mapping | list | tuple) for v in values)


def _name(key: object, parent: str | None) -> str:
    name = str(key)
    if not name or "[" in name or "]" in name:
        where = f"parameter {parent!r}: key" if parent is not None else "parameter name"
        raise ValueError(f"{where} {name!r} cannot be sent (names must be non-empty, without [ or ])")
    return name if parent is None else f"{parent}[{name}]"


def _walk(key: str, value: Any, query: bool) -> Iterator[tuple[str, str]]:
    if value is None:
        return
    if isinstance(value, Mapping):
        for sub_key, sub_value in cast("Mapping[object, Any]", value).items():
            yield from _walk(_name(sub_key, key), sub_value, query)
    elif isinstance(value, list | tuple):
        items = cast("Sequence[Any]", value)
        bare = query and _is_scalar_list(items)
        for index, item in enumerate(items):
            if item is None:
                raise TypeError(f"parameter {key!r}: None at index {index}; lists cannot skip elements")
            item_key = f"{key}[]" if bare else f"{key}[{index}]"
            pairs = list(_walk(item_key, item, query))
            if not pairs:
                raise TypeError(f"parameter {key!r}: the item at index {index} is empty; lists cannot skip elements")
            yield from pairs
    else:
        yield key, _scalar(value, key)


def flatten(params: Mapping[str, Any], *, query: bool = False) -> Pairs:
    """The (key, value) pairs of `params` with bracketed keys, in insertion order."""
    pairs: Pairs = []
    for key, value in params.items():
        pairs.extend(_walk(_name(key, None), value, query))
    return pairs


def _quote_key(key: str) -> str:
    # Brackets stay literal, as Stripe's own SDKs send them.
    return quote_plus(key, safe="[]")


def urlencode(pairs: Pairs) -> str:
    return "&".join(f"{_quote_key(k)}={quote_plus(v)}" for k, v in pairs)


def encode_body(params: Mapping[str, Any]) -> str:
    return urlencode(flatten(params))


def encode_query(params: Mapping[str, Any]) -> str:
    return urlencode(flatten(params, query=True))
