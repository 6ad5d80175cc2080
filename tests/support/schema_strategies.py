"""Hypothesis strategies for JSON values valid against the schemas of Stripe's OpenAPI document.

A small builder of our own rather than hypothesis-jsonschema: Stripe's schemas are OpenAPI 3.0 (`nullable`,
which JSON Schema lacks), reference each other in cycles (charge -> customer -> ... -> charge, which
hypothesis-jsonschema refuses to resolve), and use a small subset of keywords (`$ref`, `anyOf`, `enum`,
`type`, `properties`, `required`, `additionalProperties`, `items`, `maxLength`, `pattern`, `nullable`).
Recursion is bounded by depth: past `max_depth` references, objects carry only their required properties,
nullable values are null, lists are empty and unions take a branch without a reference (an expandable
field's id) when they have one. Objects now and then carry a property their schema does not list
(`added_later`), which OpenAPI allows unless `additionalProperties` is false (Stripe never says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

Schema = Mapping[str, Any]

KNOWN_KEYWORDS = frozenset(
    {
        "$ref",
        "anyOf",
        "additionalProperties",
        "description",
        "enum",
        "format",
        "items",
        "maxLength",
        "nullable",
        "pattern",
        "properties",
        "required",
        "title",
        "type",
    }
)

# Keys of free-form objects: short, and never `object` (which would make a value claim to be an API resource).
_KEYS = st.text(alphabet="abcdfghk_", min_size=1, max_size=6)
_SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8)
_JSON = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_KEYS, inner, max_size=2), max_leaves=4
)
_TEXT = st.characters(exclude_categories=["Cs"])  # no lone surrogates: they are not JSON
UNLISTED = "added_later"


class SchemaStrategies:
    def __init__(self, schemas: Mapping[str, Schema], max_depth: int = 2) -> None:
        self.schemas = schemas
        self.max_depth = max_depth
        self._refs: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def for_schema(self, name: str) -> st.SearchStrategy[Any]:
        """Values of `components/schemas/<name>`."""
        return self._ref(name, 0)

    def _ref(self, name: str, depth: int) -> st.SearchStrategy[Any]:
        key = (name, min(depth, self.max_depth))
        if key not in self._refs:
            # Deferred: schemas refer to themselves through others, and building must not recurse forever.
            self._refs[key] = st.deferred(lambda: self.of(self.schemas[name], key[1]))
        return self._refs[key]

    def of(self, schema: Schema, depth: int) -> st.SearchStrategy[Any]:
        unknown = set(schema) - KNOWN_KEYWORDS - {k for k in schema if k.startswith("x-")}
        if unknown:
            raise ValueError(f"schema keywords this builder does not know: {sorted(unknown)}")
        shallow = depth >= self.max_depth
        if schema.get("nullable") and shallow:
            return st.none()
        value = self._non_null(schema, depth, shallow)
        return st.none() | value if schema.get("nullable") else value

    def _non_null(self, schema: Schema, depth: int, shallow: bool) -> st.SearchStrategy[Any]:
        if "$ref" in schema:
            return self._ref(schema["$ref"].rsplit("/", 1)[-1], depth + 1)
        if "anyOf" in schema:
            members = list(schema["anyOf"])
            if shallow and any("$ref" not in m for m in members):
                members = [m for m in members if "$ref" not in m]
            return st.one_of([self.of(m, depth) for m in members])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind == "string":
            if "pattern" in schema:
                return st.from_regex(schema["pattern"]).filter(lambda s: len(s) <= schema.get("maxLength", 5000))
            return st.text(_TEXT, max_size=min(schema.get("maxLength", 12), 12))
        if kind == "integer":
            return st.integers(-(2**53), 2**53)
        if kind == "number":
            return st.integers(-(2**31), 2**31) | st.floats(allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            return st.just([]) if shallow else st.lists(self.of(schema.get("items", {}), depth), max_size=2)
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth, shallow)
        if not kind:
            return _JSON
        raise ValueError(f"unsupported schema type {kind!r}")

    def _object(self, schema: Schema, depth: int, shallow: bool) -> st.SearchStrategy[Any]:
        props: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if not props:
            if isinstance(extra, Mapping):
                values = self.of(extra, depth)  # pyright: ignore[reportUnknownArgumentType]
                return st.just({}) if shallow else st.dictionaries(_KEYS, values, max_size=2)
            return st.just({}) if shallow else st.dictionaries(_KEYS, _JSON, max_size=2)
        required = set(schema.get("required", []))
        optional = {} if shallow else {k: self.of(v, depth) for k, v in props.items() if k not in required}
        if not shallow and UNLISTED not in props:
            # OpenAPI objects allow properties they do not list: what a newer API version adds.
            optional[UNLISTED] = _JSON
        mandatory = {k: self.of(v, depth) for k, v in props.items() if k in required}
        return st.fixed_dictionaries(mandatory, optional=optional)
