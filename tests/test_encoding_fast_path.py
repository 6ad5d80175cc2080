"""The encoder's fast paths (no generators, cached keys, unquoted plain text) change nothing on the wire:
for any params, the output equals the plain recursive encoding with `quote_plus` everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

from hypothesis import given
from hypothesis import strategies as st

from stripe_connect._encoding import _scalar, encode_body, encode_query  # pyright: ignore[reportPrivateUsage]


def reference(params: Mapping[str, Any], *, query: bool) -> str:
    pairs: list[tuple[str, str]] = []

    def walk(key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                walk(f"{key}[{sub_key}]", sub_value)
        elif isinstance(value, list | tuple):
            bare = query and not any(isinstance(v, Mapping | list | tuple) for v in value)
            for index, item in enumerate(value):
                walk(f"{key}[]" if bare else f"{key}[{index}]", item)
        else:
            pairs.append((key, _scalar(value, key)))

    for key, value in params.items():
        walk(key, value)
    return "&".join(f"{quote_plus(k, safe='[]')}={quote_plus(v)}" for k, v in pairs)


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
    assert encode_body(p) == reference(p, query=False)


@given(params)
def test_queries_equal_the_plain_encoding(p: dict[str, Any]) -> None:
    assert encode_query(p) == reference(p, query=True)


def test_a_key_encodes_the_same_every_time() -> None:
    p = {"metadata": {"order id": "a&b", "plain": "x"}}
    first = encode_body(p)
    assert first == encode_body(p) == "metadata[order+id]=a%26b&metadata[plain]=x"
