"""The form encoder against an independent decoder: whatever nested params go in, a Rack-style parser (written
here, sharing nothing with stripe_connect._encoding) reads back the same structure under Stripe's conventions:
booleans as true/false, numbers as plain decimal text, datetimes as unix seconds, None and empty containers
left out, lists indexed in bodies and `a[]=` for lists of scalars in query strings."""

from __future__ import annotations

import datetime
import decimal
import math
import re
from typing import Any
from urllib.parse import unquote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_connect._encoding import encode_body, encode_query

# An independent decoder


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def split_key(key: str) -> list[str]:
    """`a[b][0][]` -> ["a", "b", "0", ""] (Rack's reading of bracketed names)."""
    match = _KEY.match(key)
    assert match, f"malformed key {key!r}"
    return [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]


def decode(encoded: str) -> dict[str, Any]:
    """Rack's `parse_nested_query`, then indexed hashes read as arrays (as Stripe reads `a[0]=`)."""
    root: dict[str, Any] = {}
    for part in encoded.split("&") if encoded else []:
        raw_key, sep, raw_value = part.partition("=")
        assert sep, f"pair without '=': {part!r}"
        segments = split_key(unquote_plus(raw_key))
        node: Any = root
        for position, segment in enumerate(segments):
            last = position == len(segments) - 1
            if segment == "":  # `[]`: push onto an array; only ever the last segment
                assert last and isinstance(node, list), f"'[]' in the middle of {raw_key!r}"
                node.append(unquote_plus(raw_value))
                break
            if last:
                assert segment not in node, f"{raw_key!r} sent twice"
                node[segment] = unquote_plus(raw_value)
            else:
                push = segments[position + 1] == ""
                child = node.setdefault(segment, [] if push else {})
                assert isinstance(child, list) == push, f"{raw_key!r} mixes a list and an object"
                node = child
    return _arrays(root)


def _arrays(node: Any) -> Any:
    if isinstance(node, list):
        return [_arrays(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _arrays(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        indices = sorted(converted, key=int)
        assert [int(i) for i in indices] == list(range(len(indices))), f"gaps in list indices {indices}"
        return [converted[i] for i in indices]
    return converted


# What the decoder should give back: the input under Stripe's conventions


class Skipped(Exception):
    """The input has a list item that cannot be left out without renumbering: the encoder must refuse it."""


OMIT = object()
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def expected(value: Any) -> Any:
    if value is None:
        return OMIT
    if isinstance(value, dict):
        kept = {str(k): expected(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not OMIT}
        return kept or OMIT
    if isinstance(value, list):
        items = [expected(item) for item in value]
        if any(item is OMIT for item in items):
            raise Skipped
        return items or OMIT
    return value


def same(decoded: Any, want: Any) -> bool:
    """Does a decoded string (or structure) stand for `want`?"""
    if isinstance(want, dict):
        return (
            isinstance(decoded, dict) and decoded.keys() == want.keys() and all(same(decoded[k], want[k]) for k in want)
        )
    if isinstance(want, list):
        return isinstance(decoded, list) and len(decoded) == len(want) and all(map(same, decoded, want))
    if not isinstance(decoded, str):
        return False
    if isinstance(want, bool):
        return decoded == ("true" if want else "false")
    if isinstance(want, int):
        return decoded == str(want)
    if isinstance(want, float):
        return bool(PLAIN_NUMBER.match(decoded)) and float(decoded) == want
    if isinstance(want, decimal.Decimal):
        return bool(PLAIN_NUMBER.match(decoded)) and decimal.Decimal(decoded) == want
    if isinstance(want, datetime.datetime):
        aware = want if want.tzinfo is not None else want.replace(tzinfo=datetime.timezone.utc)
        return decoded == str(math.floor((aware - EPOCH).total_seconds()))
    return decoded == want


# Arbitrary params

# Keys are anything but brackets; all-digit keys are left out because the wire format cannot tell
# `metadata[0]=x` from a list (Stripe tells them apart with the schema, this decoder has none).
keys = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="[]"), min_size=1, max_size=8).filter(
    lambda k: not k.isdigit()
)
_LOW, _HIGH = datetime.datetime(1900, 1, 1), datetime.datetime(2200, 1, 1)
_zones: st.SearchStrategy[datetime.tzinfo] = st.one_of(
    st.timezones(), st.sampled_from([datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=-7))])
)
datetimes = st.one_of(
    st.datetimes(min_value=_LOW, max_value=_HIGH),  # naive: taken as UTC
    st.datetimes(min_value=_LOW, max_value=_HIGH, timezones=_zones),
)
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(""),
    st.text(st.characters(blacklist_categories=("Cs",))),
    st.decimals(allow_nan=False, allow_infinity=False),
    datetimes,
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.dictionaries(keys, st.one_of(children, st.none()), max_size=4),
        st.lists(children, max_size=4),  # lists of dicts, of lists, of scalars
    ),
    max_leaves=25,
)
params = st.dictionaries(keys, st.one_of(values, st.none()), min_size=1, max_size=5)


def check_round_trip(encode: Any, value: dict[str, Any]) -> str | None:
    try:
        want = expected(value)
    except Skipped:
        with pytest.raises(TypeError, match="lists cannot skip elements"):
            encode(value)
        return None
    encoded = encode(value)
    decoded = decode(encoded)
    assert same(decoded, {} if want is OMIT else want), (encoded, decoded)
    return encoded


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params)
def test_body_encoding_round_trips(value: dict[str, Any]) -> None:
    encoded = check_round_trip(encode_body, value)
    if encoded:  # bodies index every list
        assert not [pair for pair in encoded.split("&") if "[]" in unquote_plus(pair.partition("=")[0])]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params)
def test_query_encoding_round_trips(value: dict[str, Any]) -> None:
    check_round_trip(encode_query, value)


# The conventions, spelled out


def test_conventions_in_a_body() -> None:
    encoded = encode_body(
        {
            "on": True,
            "off": False,
            "n": 10,
            "f": 1e16,
            "tiny": 1e-7,
            "d": decimal.Decimal("1E+2"),
            "at": datetime.datetime(2024, 1, 1),
            "before": datetime.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=datetime.timezone.utc),
            "unset": "",
            "skip": None,
            "empty": [],
            "nested": {"deep": {"x": None}},
            "items": [{"price": "p", "tags": ["a", "b"]}, [1, 2]],
            "name": "Zoë & co=1",
        }
    )
    assert [unquote_plus(pair) for pair in encoded.split("&")] == [
        "on=true",
        "off=false",
        "n=10",
        "f=10000000000000000",
        "tiny=0.0000001",
        "d=100",
        "at=1704067200",
        "before=-1",  # rounded down, not towards zero
        "unset=",
        "items[0][price]=p",
        "items[0][tags][0]=a",
        "items[0][tags][1]=b",
        "items[1][0]=1",
        "items[1][1]=2",
        "name=Zoë & co=1",
    ]
    assert "name=Zo%C3%AB+%26+co%3D1" in encoded and "items[0][price]=p" in encoded  # brackets stay literal


def test_conventions_in_a_query() -> None:
    encoded = encode_query({"expand": ["data.customer", "data.invoice"], "items": [{"tax_rates": ["txr_1"]}]})
    assert unquote_plus(encoded) == "expand[]=data.customer&expand[]=data.invoice&items[0][tax_rates][]=txr_1"


def test_aware_datetimes_are_converted_to_utc() -> None:
    seven_west = datetime.timezone(datetime.timedelta(hours=-7))
    assert encode_body({"at": datetime.datetime(2024, 1, 1, tzinfo=seven_west)}) == "at=1704092400"


def test_none_in_a_dict_is_omitted_at_any_depth() -> None:
    assert encode_body({"a": None, "b": {"c": None, "d": 1}, "e": {"f": None}}) == "b[d]=1"


def test_none_in_a_list_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"parameter 'tags': None at index 1; lists cannot skip elements"):
        encode_body({"tags": ["a", None, "c"]})
    with pytest.raises(TypeError, match=r"parameter 'items\[0\]\[tax_rates\]': None at index 0"):
        encode_query({"items": [{"tax_rates": [None]}]})


def test_an_empty_item_in_a_list_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"parameter 'items': the item at index 0 is empty"):
        encode_body({"items": [{"price": None}, {"price": "p"}]})
    with pytest.raises(TypeError, match=r"the item at index 1 is empty"):
        encode_body({"grid": [["a"], []]})


@pytest.mark.parametrize("bad", [{"metadata": {"a[b]": "x"}}, {"metadata": {"": "x"}}, {"a]": 1}])
def test_keys_that_would_nest_ambiguously_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"cannot be sent \(names must be non-empty, without \[ or \]\)"):
        encode_body(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, decimal.Decimal("NaN"), decimal.Decimal("-Infinity")])
def test_non_finite_numbers_are_rejected(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"parameter 'amount\[x\]'.*cannot be sent to Stripe"):
        encode_body({"amount": {"x": bad}})


@pytest.mark.parametrize("bad", [{1, 2}, b"bytes", object(), datetime.date(2024, 1, 1)])
def test_other_types_are_a_type_error_naming_the_param(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"parameter 'a\[b\]': cannot encode a value of type"):
        encode_body({"a": {"b": bad}})
