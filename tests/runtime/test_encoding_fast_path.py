"""The encoder's fast paths (no generators, cached keys, unquoted plain text) change nothing on the wire:
for any params, the output (or the error) equals the plain recursive encoding with `quote_plus` everywhere.
(tests/runtime/test_encoding.py checks what that encoding means; this checks the fast one is the same.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

from hypothesis import given
from hypothesis import strategies as st

from stripe_connect._encoding import _scalar, encode_body, encode_query  # pyright: ignore[reportPrivateUsage]


def reference(params: Mapping[str, Any], *, query: bool) -> str:
    """The encoder as plainly as it can be written: recursion, and quote_plus on every key and value."""
    pairs: list[tuple[str, str]] = []

    def name(key: object, parent: str | None) -> str:
        if not str(key) or "[" in str(key) or "]" in str(key):
            raise ValueError(key)
        return str(key) if parent is None else f"{parent}[{key}]"

    def walk(key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                walk(name(sub_key, key), sub_value)
        elif isinstance(value, list | tuple):
            bare = query and not any(isinstance(v, Mapping | list | tuple) for v in value)
            for index, item in enumerate(value):
                before = len(pairs)
                if item is None:
                    raise TypeError(index)
                walk(f"{key}[]" if bare else f"{key}[{index}]", item)
                if len(pairs) == before:
                    raise TypeError(index)
        else:
            pairs.append((key, _scalar(value, key)))

    for key, value in params.items():
        walk(name(key, None), value)
    return "&".join(f"{quote_plus(k, safe='[]')}={quote_plus(v)}" for k, v in pairs)


def outcome(encode: Callable[[], str]) -> str | type[Exception]:
    try:
        return encode()
    except (TypeError, ValueError) as exc:
        return type(exc)


keys = st.one_of(st.sampled_from(["amount", "metadata", "expand", "line1", "a b", "x[y]", "é", "&=+"]), st.text())
scalars = st.one_of(
    st.text(),
    st.sampled_from(["cus_123", "usd", "1.5", "a-b_c.d~e", "with space", "100%", "ünï"]),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    st.one_of(scalars, st.none()),
    lambda inner: st.one_of(
        st.dictionaries(keys, inner, max_size=4),
        st.lists(inner.filter(lambda v: v is not None), max_size=4),
    ),
    max_leaves=12,
)
params = st.dictionaries(keys, values, max_size=5)


@given(params)
def test_bodies_equal_the_plain_encoding(p: dict[str, Any]) -> None:
    assert outcome(lambda: encode_body(p)) == outcome(lambda: reference(p, query=False))


@given(params)
def test_queries_equal_the_plain_encoding(p: dict[str, Any]) -> None:
    assert outcome(lambda: encode_query(p)) == outcome(lambda: reference(p, query=True))


def test_a_key_encodes_the_same_every_time() -> None:
    p = {"metadata": {"order id": "a&b", "plain": "x"}}
    first = encode_body(p)
    assert first == encode_body(p) == "metadata[order+id]=a%26b&metadata[plain]=x"
