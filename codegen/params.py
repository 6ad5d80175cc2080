"""Stage 2b: request parameters -> keyword arguments, with nested objects as TypedDicts.

Types are for callers and type checkers only (the runtime encodes whatever it is given): enums are
`Literal`s, Stripe's "emptyable" fields accept `""`, uploads take bytes, a file object or a path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.docs import docstring
from codegen.identifiers import camel
from codegen.ir import TypedDictDef, TypedDictField
from codegen.models import GenerationError, literal

Schema = Mapping[str, Any]


class ParamTypes:
    """Renders the parameter types of one method, collecting the TypedDicts they need."""

    def __init__(self, prefix: str, taken: set[str]) -> None:
        self.prefix = prefix  # e.g. "CustomerCreateParams"
        self.typed_dicts: list[TypedDictDef] = []
        self.taken = taken  # TypedDict names already given in the service's params module

    def name(self, hint: str) -> str:
        """`hint`, or `hint2`, ... when two keys spell alike (`foo_bar`, `foo-bar`) or a name is taken."""
        name, n = hint, 2
        while name in self.taken:
            name, n = f"{hint}{n}", n + 1
        return name

    def type_of(self, schema: Schema, hint: str, where: str) -> str:
        if "$ref" in schema:
            raise GenerationError(f"{where}: request parameters are expected inline, found {schema['$ref']}")
        if "anyOf" in schema:
            objects = 0
            members: list[str] = []
            for member in schema["anyOf"]:
                sub_hint = hint
                if member.get("type") == "object" and member.get("properties"):
                    sub_hint = hint if objects == 0 else f"{hint}{objects}"
                    objects += 1
                rendered = self.type_of(member, sub_hint, where)
                if rendered not in members:
                    members.append(rendered)
            return " | ".join(members)
        kind = schema.get("type")
        if "enum" in schema:
            return literal(schema["enum"])
        if kind == "string":
            return "FileInput" if schema.get("format") == "binary" else "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self.type_of(schema.get('items', {}), hint, where + '[]')}]"
        if kind == "object":
            return self._object(schema, hint, where)
        if not schema or set(schema) <= {"description", "title", "maxLength"}:
            return "Any"
        raise GenerationError(f"{where}: unsupported parameter schema {dict(schema)}")

    def _object(self, schema: Schema, hint: str, where: str) -> str:
        props: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        if not props:
            if isinstance(extra, Mapping):
                return f"dict[str, {self.type_of(extra, hint, where + '{}')}]"  # pyright: ignore[reportUnknownArgumentType]
            return "dict[str, Any]"
        required = set(schema.get("required", []))
        hint = self.name(hint)
        self.taken.add(hint)
        fields = [
            TypedDictField(
                name,
                self.type_of(sub, f"{hint}{camel(name)}", f"{where}[{name}]"),
                name in required,
                docstring(sub.get("description")),
            )
            for name, sub in props.items()
        ]
        self.typed_dicts.append(TypedDictDef(hint, docstring(schema.get("description")), fields))
        return hint
