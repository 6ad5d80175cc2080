"""Response bodies for the benchmarks: full objects as Stripe returns them, built from the pinned spec.

Every property of a schema is present (nullable ones filled with a value, not null), nested objects are
filled, lists hold one item, expandable fields carry an id unless the request expanded them. Objects
tagged by `type` (payment method details, sources, ...) fill only the member their `type` names, as
Stripe does; everything else is filled, so a charge is as large as a real one gets.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Mapping
from typing import Any

Schema = Mapping[str, Any]

_PREFERRED_TYPE = "card"
_ID_PREFIXES = {
    "account": "acct",
    "balance_transaction": "txn",
    "bank_account": "ba",
    "card": "card",
    "charge": "ch",
    "customer": "cus",
    "invoice": "in",
    "payment_intent": "pi",
    "payment_method": "pm",
    "refund": "re",
    "review": "prv",
    "source": "src",
    "subscription": "sub",
    "transfer": "tr",
}
_TIMESTAMP = 1692230400  # 2023-08-17, the pinned API version's era


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


class BodyBuilder:
    """Builds instances of `components/schemas` entries; ids are unique within one builder."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.schemas: Mapping[str, Schema] = spec["components"]["schemas"]
        self._counter = itertools.count(1)

    def build(self, name: str, *, expand: Collection[str] = (), **fields: Any) -> dict[str, Any]:
        """An instance of schema `name`; `expand` lists dotted paths to fill with objects instead of ids."""
        body = self._object(self.schemas[name], "", frozenset(expand), (name,))
        body.update(fields)
        return body

    def list_page(
        self, name: str, count: int, *, url: str, has_more: bool, ids: Collection[str] | None = None
    ) -> dict[str, Any]:
        items = [self.build(name) for _ in range(count)]
        if ids is not None:
            for item, item_id in zip(items, ids, strict=True):
                item["id"] = item_id
        return {"object": "list", "data": items, "has_more": has_more, "url": url}

    def _id(self, object_type: str) -> str:
        prefix = _ID_PREFIXES.get(object_type, object_type.split(".")[-1][:4])
        return f"{prefix}_1NbenchQx7Kz{next(self._counter):08d}"

    def _value(self, schema: Schema, path: str, prop: str, expand: frozenset[str], stack: tuple[str, ...]) -> Any:
        if "$ref" in schema:
            name = _ref_name(schema["$ref"])
            if name in stack:  # a cycle through a non-expandable field: Stripe would not nest it either
                return None
            return self._named(name, path, expand, stack)
        if "anyOf" in schema:
            members: list[Schema] = schema["anyOf"]
            refs = [m for m in members if "$ref" in m]
            ids = [m for m in members if "$ref" not in m]
            if ids and refs and path not in expand:
                return self._id(self._object_type(_ref_name(refs[0]["$ref"])))
            if refs:
                return self._value(refs[0], path, prop, expand, stack)
            return self._value(members[0], path, prop, expand, stack)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema, path, expand, stack)
        if kind == "array":
            item = self._value(schema.get("items", {}), path, prop, expand, stack)
            return [] if item is None else [item]
        return self._scalar(kind, schema.get("format"), prop)

    def _named(self, name: str, path: str, expand: frozenset[str], stack: tuple[str, ...]) -> Any:
        schema = self.schemas[name]
        if "anyOf" in schema:  # a polymorphic schema: its first member
            return self._value(schema["anyOf"][0], path, "", expand, stack)
        return self._object(schema, path, expand, (*stack, name))

    def _object_type(self, name: str) -> str:
        schema = self.schemas[name]
        if "anyOf" in schema:
            return self._object_type(_ref_name(schema["anyOf"][0]["$ref"]))
        values = schema.get("properties", {}).get("object", {}).get("enum", [name])
        return str(values[0])

    def _object(self, schema: Schema, path: str, expand: frozenset[str], stack: tuple[str, ...]) -> dict[str, Any]:
        props: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if not props:
            if not isinstance(extra, Mapping) or not extra:
                return {}
            if extra.get("type") == "string":  # metadata and the like
                return {"order_id": "6735", "tier": "gold"}
            # Maps with typed values are keyed by currency (`currency_options`, balances).
            return {
                "eur": self._value(extra, path, "", expand, stack),
                "gbp": self._value(extra, path, "", expand, stack),
            }
        skipped = self._untaken_members(props)
        body: dict[str, Any] = {}
        for prop, sub in props.items():
            if prop in skipped:
                continue
            value = self._value(sub, f"{path}.{prop}" if path else prop, prop, expand, stack)
            if value is None and not sub.get("nullable"):
                continue  # a cycle cut short; leave the (optional) field out rather than send null
            body[prop] = value
        object_values = props.get("object", {}).get("enum", [])
        if len(object_values) == 1 and "id" in props:
            body["id"] = self._id(str(object_values[0]))
        if object_values == ["list"] and "data" in body:
            body["has_more"] = False
            body["url"] = "/v1/" + path.replace(".", "/")
        if skipped:
            body["type"] = next(p for p in props if p not in skipped and p in self._members(props))
        return body

    def _members(self, props: Mapping[str, Schema]) -> set[str]:
        """The properties of a `type`-tagged object that hold one type's details each."""
        if "type" not in props:
            return set()
        names = props["type"].get("enum")
        members = {
            p
            for p, s in props.items()
            if (names is None or p in names) and ("$ref" in s or "anyOf" in s or "properties" in s)
        }
        if names is None and len(members) < 3 and _PREFERRED_TYPE not in members:
            return set()  # a free-form `type` next to unrelated objects (`event`): not a tagged object
        return members if len(members) >= 2 else set()

    def _untaken_members(self, props: Mapping[str, Schema]) -> set[str]:
        members = self._members(props)
        if not members:
            return set()
        taken = _PREFERRED_TYPE if _PREFERRED_TYPE in members else next(p for p in props if p in members)
        return members - {taken}

    @staticmethod
    def _scalar(kind: str | None, fmt: str | None, prop: str) -> Any:
        if kind == "integer":
            if fmt == "unix-time":
                return _TIMESTAMP
            return 2000 if "amount" in prop else 12
        if kind == "number":
            return 1.25
        if kind == "boolean":
            return prop not in ("livemode", "deleted")
        if fmt == "decimal":
            return "1250.5"
        if prop == "currency":
            return "usd"
        if prop == "country":
            return "US"
        if "email" in prop:
            return "jenny.rosen@example.com"
        if prop.endswith("url"):
            return f"https://example.com/{prop}"
        return f"{prop.replace('_', ' ')} sample"


def dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
