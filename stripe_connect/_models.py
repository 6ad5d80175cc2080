"""Base classes and type markers every generated model is built from.

Models are forward compatible: unknown fields are kept, enum fields accept values the spec does not list
(statically they are the documented `Literal`s, at runtime any string), and a union of Stripe objects
resolves by the `object` field, falling back to `StripeObject` for types this SDK does not know.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from typing import Annotated, Any, TypeVar, cast, get_args

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetPydanticSchema
from pydantic_core import CoreSchema, core_schema

T = TypeVar("T")

_UNKNOWN_TAG = "__unknown__"
_ID_TAG = "__id__"


class StripeModel(BaseModel):
    """A Stripe API object: attribute access to its fields, unknown fields kept (see `model_extra`)."""

    # defer_build: a model's validator is built on first use, so importing a model never pays for the
    # hundreds of models it can reach.
    model_config = ConfigDict(extra="allow", defer_build=True, protected_namespaces=(), populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        """The object as Stripe sent it (fields never received stay absent)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class StripeObject(StripeModel):
    """An object whose type this SDK does not know (a newer API type): every field is kept."""

    id: str | None = None
    object: str | None = None


def _any_string(_source: Any, _handler: GetCoreSchemaHandler) -> CoreSchema:
    return core_schema.str_schema()


OpenEnum = Annotated[T, GetPydanticSchema(_any_string)]
"""An enum field: typed with its documented values, yet any string Stripe adds later validates."""


def _object_tag(model: type[BaseModel]) -> str:
    field = model.model_fields.get("object")
    values = get_args(field.annotation) if field is not None else ()
    if len(values) != 1 or not isinstance(values[0], str):
        raise TypeError(f"{model.__name__} has no single `object` value to be told apart by")
    # A deleted object's model says so with `deleted: Literal[True]`; a mere `deleted: bool` flag (apps.secret)
    # belongs to the live object.
    deleted = model.model_fields.get("deleted")
    return f"deleted:{values[0]}" if deleted is not None and get_args(deleted.annotation) == (True,) else values[0]


def object_tag_of(value: Any) -> str:
    """The registry key of a Stripe object (a dict or a model): its `object`, prefixed `deleted:` when deleted."""
    if isinstance(value, dict):
        fields = cast("dict[str, Any]", value)
        obj, deleted = fields.get("object"), fields.get("deleted") is True
    else:
        obj, deleted = getattr(value, "object", None), getattr(value, "deleted", None) is True
    return f"deleted:{obj}" if deleted else str(obj)


def known_tag(tag: str, tags: Collection[str]) -> str | None:
    """`tag` if known; a deleted object of a type without a Deleted model is its live type (apps.secret)."""
    if tag in tags:
        return tag
    live = tag.removeprefix("deleted:")
    return live if live in tags else None


def _discriminator(tags: frozenset[str]) -> Callable[[Any], str]:
    def object_type(value: Any) -> str:
        if isinstance(value, str):
            return _ID_TAG
        return known_tag(object_tag_of(value), tags) or _UNKNOWN_TAG

    return object_type


class _ObjectUnion:
    """Validates `str | A | B ...` by the input's `object` (and `deleted`) field instead of trial and error."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        choices: dict[str, CoreSchema] = {}
        nullable = False
        for member in get_args(source) or (source,):
            if member is type(None):
                nullable = True
            elif member is str:
                choices[_ID_TAG] = core_schema.str_schema()
            else:
                choices[_object_tag(member)] = handler.generate_schema(member)
        choices[_UNKNOWN_TAG] = handler.generate_schema(StripeObject)
        schema = core_schema.tagged_union_schema(choices, discriminator=_discriminator(frozenset(choices)))
        return core_schema.nullable_schema(schema) if nullable else schema

    def __hash__(self) -> int:
        return hash(_ObjectUnion)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ObjectUnion)


_OBJECT_UNION = _ObjectUnion()

Expandable = Annotated[str | T, _OBJECT_UNION]
"""An expandable field: the id, or the object(s) when expanded (chosen by `object`)."""

Polymorphic = Annotated[T, _OBJECT_UNION]
"""One of several object types, chosen by the `object` field; unknown types become `StripeObject`."""


def _any_object(value: Any) -> Any:
    if isinstance(value, StripeModel):
        return value
    if not isinstance(value, dict):
        raise ValueError("expected a Stripe object (a JSON object with an `object` field)")
    # The generated registry is looked up when a value arrives, not when the field's validator is built:
    # a validator over every model would cost seconds for one field.
    registry = importlib.import_module("stripe_connect_generated.models")
    object_types: dict[str, str] = registry.OBJECT_TYPES
    tag = known_tag(object_tag_of(value), object_types)
    name = object_types[tag] if tag is not None else None
    model: type[StripeModel] = getattr(registry, name) if name is not None else StripeObject
    return model.model_validate(value)


class _ByObjectType:
    """Validates any Stripe object into the model its `object` field names (`StripeObject` when unknown)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(_any_object)

    def __hash__(self) -> int:
        return hash(_ByObjectType)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByObjectType)


AnyObject = Annotated[StripeModel, _ByObjectType()]
"""Any API object (an event's `data.object`): statically a `StripeModel`, at runtime the model its `object` field
names — `Charge` for `"charge"`, `DeletedCustomer` for a deleted customer — or `StripeObject` for types this SDK
does not know. Narrow it with `isinstance`."""
