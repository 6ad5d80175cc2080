"""Drifting a schema-valid object the way Stripe's objects drift from the pinned document.

`drift_sites(schemas, name, value)` lists every place in `value` (an object valid against schema `name`)
where one change makes it what another API version, or one of Stripe's own examples, could send:

- breaking (the pinned models refuse them, so `strict=True` must raise): a required field dropped, `null`
  where the schema says non-null, a value of another JSON type (an id where an object was, a string where a
  number was, ...);
- forward compatible (valid for the models as they are): an unknown field, an unknown value of a string enum,
  an object of an unknown type inside a union or an expandable field.

The `object` and `deleted` fields are left alone: they say which model an object is, and changing them is the
"unknown object type" case.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Schema = Mapping[str, Any]
Path = tuple[str | int, ...]

UNKNOWN_OBJECT = {"id": "new_123", "object": "brand_new_object", "added_later": {"x": 1}}
# One value of each JSON type, to swap in where the schema accepts none of its type.
_SWAPS: tuple[tuple[str, Any], ...] = (
    ("string", "drifted"),
    ("integer", 12345),
    ("boolean", True),
    ("array", ["drifted"]),
    ("object", {"drifted": 1}),
)
_TAG_FIELDS = frozenset({"object", "deleted"})
# Lists and search results nested in objects are the SDK's own page models, which require only these.
_PAGE_REQUIRED = frozenset({"data", "has_more"})


@dataclass(frozen=True)
class Drift:
    kind: str  # drop | null | swap | unknown_field | unknown_enum | unknown_object
    path: Path
    breaking: bool
    replacement: Any = None
    # Below a union that cannot be told apart by `object`: the drifted value may fit another member.
    ambiguous: bool = False

    def apply(self, value: Any) -> Any:
        drifted = copy.deepcopy(value)
        *parents, last = self.path if self.path else (None,)
        target = drifted
        for key in parents:
            target = target[key]
        if self.kind == "drop":
            del target[last]
        elif self.kind == "unknown_field":
            (target if last is None else target[last])["drifted_field"] = {"new": [1, "two"]}
        else:
            target[last] = self.replacement
        return drifted

    def __str__(self) -> str:
        return f"{self.kind} at {'.'.join(map(str, self.path)) or '<root>'}"


class DriftSites:
    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        self.schemas = schemas

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def accepts(self, schema: Schema, kind: str | None) -> bool:
        """Whether values of a JSON type (None for null) are valid for `schema` (strict: no coercion)."""
        nullable = bool(schema.get("nullable"))
        schema = self.resolve(schema)
        if kind is None and (nullable or schema.get("nullable")):
            return True
        if "anyOf" in schema:
            return any(self.accepts(m, kind) for m in schema["anyOf"])
        declared = schema.get("type") or ("object" if "properties" in schema else None)
        if declared is None:
            return True  # free-form: anything goes
        if kind is None:
            return False
        return kind == declared or (declared == "number" and kind == "integer")

    def tagged(self, members: list[Schema]) -> bool:
        """Whether the members of a union (flattened) are told apart by a one-value `object` enum."""
        for member in members:
            if "$ref" not in member:
                if member.get("type") != "string":
                    return False
                continue
            resolved = self.resolve(member)
            if "anyOf" in resolved:
                if not self.tagged(resolved["anyOf"]):
                    return False
            elif len(resolved.get("properties", {}).get("object", {}).get("enum", [])) != 1:
                return False
        return True

    def member_for(self, members: list[Schema], value: Any) -> tuple[Schema | None, bool]:
        """The member of a union `value` is (None for a scalar member), and whether that was guessed."""
        if not isinstance(value, dict):
            return None, False
        flat = [m for m in self._flatten(members) if m.get("type") != "string"]
        for member in flat:
            enum = self.resolve(member).get("properties", {}).get("object", {}).get("enum", [])
            if len(enum) == 1 and enum[0] == value.get("object"):
                return member, False
        for member in flat:
            if set(self.resolve(member).get("required", [])) <= value.keys():
                return member, True
        return None, True

    def _flatten(self, members: list[Schema]) -> Iterator[Schema]:
        for member in members:
            resolved = self.resolve(member)
            if "$ref" in member and "anyOf" in resolved:
                yield from self._flatten(resolved["anyOf"])
            else:
                yield member

    def sites(self, schema: Schema, value: Any, path: Path = (), ambiguous: bool = False) -> Iterator[Drift]:
        """Every drift of `value`, an instance of `schema`, at `path` and below."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            member, guessed = self.member_for(schema["anyOf"], value)
            if member is not None:
                yield from self.sites(member, value, path, ambiguous or guessed)
            return
        if isinstance(value, list):
            items = schema.get("items", {})
            for i, item in enumerate(value):
                yield from self._value_sites(items, item, (*path, i), None, ambiguous)
            return
        if not isinstance(value, dict):
            return
        props: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if props or not (isinstance(extra, Mapping) and extra):
            yield Drift("unknown_field", path, breaking=False, ambiguous=ambiguous)
        if props:
            required = set(schema.get("required", []))
            if props.get("object", {}).get("enum") in (["list"], ["search_result"]) and "data" in props:
                required &= _PAGE_REQUIRED
            for key, item in value.items():
                if key in props and key not in _TAG_FIELDS:
                    yield from self._value_sites(props[key], item, (*path, key), key in required, ambiguous)
        elif isinstance(extra, Mapping) and extra:
            for key, item in value.items():
                yield from self._value_sites(extra, item, (*path, key), None, ambiguous)  # pyright: ignore[reportUnknownArgumentType]

    def _value_sites(
        self, schema: Schema, value: Any, path: Path, required: bool | None, ambiguous: bool
    ) -> Iterator[Drift]:
        """Drifts of a property (`required` says whether it is) or, `required=None`, of a list item or map value."""
        resolved = self.resolve(schema)
        if required:
            yield Drift("drop", path, breaking=True, ambiguous=ambiguous)
        if value is not None:
            # An optional property's model type takes None whatever the schema says; items and required ones do not.
            yield Drift("null", path, required is not False and not self.accepts(schema, None), None, ambiguous)
            for kind, replacement in _SWAPS:
                if not self.accepts(schema, kind):
                    yield Drift("swap", path, breaking=True, replacement=replacement, ambiguous=ambiguous)
                    break
        if resolved.get("type") == "string" and "enum" in resolved:
            yield Drift("unknown_enum", path, breaking=False, replacement="a_value_added_later", ambiguous=ambiguous)
        members: list[Schema] = resolved.get("anyOf", [])
        refs = [m for m in self._flatten(members) if "$ref" in m]
        # An expandable field (an id or objects) or a union of several objects; one nullable reference is
        # just that model.
        if refs and (len(refs) > 1 or len(refs) < len(members)):
            yield Drift("unknown_object", path, False, UNKNOWN_OBJECT, ambiguous or not self.tagged(members))
        if value is not None:
            yield from self.sites(schema, value, path, ambiguous)
