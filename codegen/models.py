"""Stage 2a: `components/schemas` -> model modules, with pydantic type expressions for every field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codegen.docs import docstring
from codegen.identifiers import camel, class_name, module_name, unique_names
from codegen.ir import ModelClass, ModelField, ModelModule

Schema = Mapping[str, Any]


class GenerationError(RuntimeError):
    """The spec holds something the generator does not know how to render; fix the generator."""


@dataclass(frozen=True)
class FieldType:
    """A field the spec types more loosely than Stripe fills it, rendered with a sharper type instead."""

    schema: str
    prop: str
    spec_type: str  # the spec's `type` for it; when the spec changes it, the special case is stale
    type: str
    reason: str


# Each entry applies while the spec still types it so (same schema, property and spec type); a document
# where it no longer does is generated without it, with a warning.
FIELD_TYPES = (
    FieldType(
        "notification_event_data",
        "object",
        "object",
        "AnyObject",
        "The spec says only `type: object`, yet it always holds one API resource: `AnyObject` validates it into "
        "the model its own `object` field names (looked up lazily in OBJECT_TYPES), StripeObject when unknown.",
    ),
    FieldType(
        "event",
        "type",
        "string",
        "OpenEnum[EventType]",
        "A plain string in the spec; its values are the event types the spec documents (the `enabled_events` of "
        "webhook endpoints), rendered as the `EventType` Literal. Unknown types still validate, like any enum.",
    ),
)


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def literal(values: list[Any]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


# The names in a rendered annotation are its words outside its string literals (`Literal['is', 'from']`).
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = re.compile(r"\b[A-Za-z_]\w*\b")

# What a model class inherits (`model_dump`, `to_dict`, ...): a field of that name gets another Python name.
# Written out because generation runs without the runtime's dependencies (a package build); a test keeps it
# equal to the public attributes of `stripe_connect._models.StripeModel`.
INHERITED = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "get", "json", "last_response", "model_computed_fields",
        "model_config", "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra",
        "model_fields", "model_fields_set", "model_json_schema", "model_parametrized_name", "model_post_init",
        "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings", "parse_file",
        "parse_obj", "parse_raw", "schema", "schema_json", "to_dict", "update_forward_refs", "validate",
    }
)  # fmt: skip

# Names a model module imports for its annotations: no schema's class may take them.
MODULE_NAMES = frozenset({"Any", "Literal", "TypeAlias", "TYPE_CHECKING", "Field", "StripeModel", "ModelRef"}) | {
    "AnyObject",
    "EventType",
    "Expandable",
    "OpenEnum",
    "Polymorphic",
    "ListObject",
    "SearchResult",
    "AsyncListObject",
    "AsyncSearchResult",
}


# A "kinds" object: at least KINDS_MIN optional, non-nullable fields that each hold one model, making up at
# least half of its fields. Stripe fills one or a few of them per object, the one its `type` names (40 kinds of
# payment method details, of which a charge holds one; payment methods, next actions, card wallets, sources),
# and leaves the others out. Such fields are deferred: their model is imported and its validator built when a
# value first arrives, so the first parse builds the kinds a payload holds. Every other nested model stays
# inline in its parent's validator, as do the optional parts of a resource that mostly holds other fields (an
# account's `company`, `settings`...: sent together). A deferred value costs each parse a call into Python and
# a copy of its JSON into Python objects before its own validator reads it: ~0.4 µs for an empty wallet kind,
# ~5 µs for a card's details.
KINDS_MIN = 5
# The kinds most payloads hold stay inline: nearly every charge, payment method or setup attempt of a card
# payment holds `card`, which a process builds on its first card payment anyway, and which deferred would
# cost every parse of it its copy (~10% of a charge's parse; bench/README.md).
INLINE_KINDS = frozenset({"card"})


class ModelBuilder:
    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        self.schemas = schemas
        self.class_names = unique_names(schemas, class_name, reserved=MODULE_NAMES)
        self.schema_names = {cls: name for name, cls in self.class_names.items()}
        self.module_names = unique_names(schemas, module_name)
        self.warnings: list[str] = []
        self.field_types = self._field_types()

    def is_polymorphic(self, name: str) -> bool:
        return "anyOf" in self.schemas[name]

    def build(self) -> list[ModelModule]:
        return [self._module(name) for name in sorted(self.schemas)]

    def _field_types(self) -> dict[tuple[str, str], str]:
        """The special cases of FIELD_TYPES that still apply; a stale one is left out, with a warning."""
        out: dict[tuple[str, str], str] = {}
        for ft in FIELD_TYPES:
            prop = self.schemas.get(ft.schema, {}).get("properties", {}).get(ft.prop)
            if prop is None or prop.get("type") != ft.spec_type or "enum" in prop or "properties" in prop:
                self.warnings.append(
                    f"stale special case in codegen/models.py FIELD_TYPES: {ft.schema}.{ft.prop} is no longer a "
                    f"plain {ft.spec_type!r} in the spec ({prop!r}); the spec's type is used"
                )
                continue
            out[(ft.schema, ft.prop)] = ft.type
        return out

    def _module(self, name: str) -> ModelModule:
        schema = self.schemas[name]
        module = ModelModule(
            schema_name=name,
            module=self.module_names[name],
            name=self.class_names[name],
            doc=docstring(schema.get("description")),
        )
        if self.is_polymorphic(name):
            module.alias = self._union(schema["anyOf"], module, f"schema {name}")
            return module
        module.classes.append(self._class(module.name, schema, module, name))
        props = schema.get("properties", {})
        if len(props.get("object", {}).get("enum", [])) == 1:
            tag = props["object"]["enum"][0]
            # Deleted objects carry `deleted: true` (an enum); `apps.secret` has a plain boolean `deleted` flag.
            deleted = props.get("deleted", {}).get("enum") == [True]
            module.object_tags.append(f"deleted:{tag}" if deleted else tag)
        module.deps.discard(module.name)
        return module

    def _class(self, name: str, schema: Schema, module: ModelModule, where: str) -> ModelClass:
        required = set(schema.get("required", []))
        props: Mapping[str, Schema] = schema.get("properties", {})
        annotations: dict[str, str] = {}
        for prop, sub in props.items():
            annotation = self.field_types.get((where, prop)) or self.type_of(
                sub, module, self._inline_name(f"{name}{camel(prop)}", module), f"{where}.{prop}"
            )
            if sub.get("nullable") and not annotation.endswith("| None"):
                annotation += " | None"
            if prop not in required and not annotation.endswith("| None"):
                annotation += " | None"
            annotations[prop] = annotation
        # A field named like a name its class's annotations use would hide it when pydantic evaluates them.
        used = set(_NAME.findall(_STRING.sub("", " ".join(annotations.values()))))
        names = unique_names(props, reserved=INHERITED | used)
        kinds = self._kinds(props, required)
        fields = [
            ModelField(
                names[prop],
                annotations[prop],
                prop in required,
                docstring(sub.get("description")),
                prop,
                deferred=prop in kinds,
            )
            for prop, sub in props.items()
        ]
        return ModelClass(name, docstring(schema.get("description")), fields)

    def _kinds(self, props: Mapping[str, Schema], required: set[str]) -> set[str]:
        """The fields of a "kinds" object (see KINDS_MIN) to defer, all but INLINE_KINDS; none for other objects."""
        kinds = {
            prop
            for prop, sub in props.items()
            if prop not in required
            and not sub.get("nullable")
            and "$ref" in sub
            and ref_name(sub["$ref"]) in self.schemas
            and not self.is_polymorphic(ref_name(sub["$ref"]))
        }
        if len(kinds) < KINDS_MIN or 2 * len(kinds) < len(props):
            return set()
        return kinds - INLINE_KINDS

    def _inline_name(self, hint: str, module: ModelModule) -> str:
        """The class name of an inline object: its hint unless a model or another inline class has it."""
        name, n = hint, 2
        while name in self.schema_names or name in MODULE_NAMES or any(c.name == name for c in module.classes):
            name, n = f"{hint}{n}", n + 1
        return name

    def _alternatives(self, name: str, module: ModelModule, where: str) -> list[str]:
        """The classes a reference stands for: one, or the members of a polymorphic schema."""
        if name not in self.schemas:
            raise GenerationError(f"{where}: reference to unknown schema {name!r}")
        if not self.is_polymorphic(name):
            module.deps.add(self.class_names[name])
            return [self.class_names[name]]
        members = self.schemas[name]["anyOf"]
        if any("$ref" not in m for m in members):
            raise GenerationError(f"schema {name}: a polymorphic schema whose members are not all references")
        return [cls for m in members for cls in self._alternatives(ref_name(m["$ref"]), module, where)]

    def tagged(self, class_name: str) -> bool:
        """Whether a model has one `object` value, so that unions of it can be told apart by it."""
        schema = self.schemas[self.schema_names[class_name]]
        return len(schema.get("properties", {}).get("object", {}).get("enum", [])) == 1

    def union_of(self, names: list[str], with_id: bool = False, qualifier: str = "") -> str:
        """`A`, or a union resolved by `object` when every member has one (else pydantic's smart union).

        `qualifier` prefixes every name (`models.`), for code outside the models package.
        """
        union = " | ".join(qualifier + n for n in names)
        by_object = all(self.tagged(n) for n in names)
        if with_id:
            return f"{qualifier}Expandable[{union}]" if by_object else f"str | {union}"
        if len(names) == 1:
            return union
        return f"{qualifier}Polymorphic[{union}]" if by_object else union

    def _ref(self, name: str, module: ModelModule, where: str) -> str:
        return self.union_of(self._alternatives(name, module, where))

    def _union(self, members: list[Schema], module: ModelModule, where: str) -> str:
        refs = [m for m in members if "$ref" in m]
        others = [m for m in members if "$ref" not in m]
        if len(others) > 1 or any(m.get("type") != "string" or "enum" in m for m in others):
            raise GenerationError(f"{where}: an anyOf other than references with an optional id string")
        names = list(dict.fromkeys(c for r in refs for c in self._alternatives(ref_name(r["$ref"]), module, where)))
        return self.union_of(names, with_id=bool(others))

    def type_of(self, schema: Schema, module: ModelModule, hint: str, where: str) -> str:
        if "$ref" in schema:
            return self._ref(ref_name(schema["$ref"]), module, where)
        if "anyOf" in schema:
            return self._union(schema["anyOf"], module, where)
        kind = schema.get("type")
        if "enum" in schema:
            if kind == "string":
                return f"OpenEnum[{literal(schema['enum'])}]"
            return literal(schema["enum"])
        if kind == "string":
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self.type_of(schema.get('items', {}), module, hint, where + '[]')}]"
        if kind == "object":
            return self._object(schema, module, hint, where)
        if not schema or set(schema) <= {"description", "nullable", "title"}:
            return "Any"
        raise GenerationError(f"{where}: unsupported schema {dict(schema)}")

    def _object(self, schema: Schema, module: ModelModule, hint: str, where: str) -> str:
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and not props:
            return f"dict[str, {self.type_of(extra, module, hint, where + '{}')}]"  # pyright: ignore[reportUnknownArgumentType]
        if not props:
            return "dict[str, Any]"
        object_values = props.get("object", {}).get("enum", [])
        if object_values == ["list"] and "data" in props:
            return f"ListObject[{self.type_of(props['data'].get('items', {}), module, hint, where + '.data')}]"
        if object_values == ["search_result"] and "data" in props:
            return f"SearchResult[{self.type_of(props['data'].get('items', {}), module, hint, where + '.data')}]"
        module.classes.append(self._class(hint, schema, module, where))
        return hint
