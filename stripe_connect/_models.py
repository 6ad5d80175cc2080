"""Base classes and type markers every generated model is built from.

Models are forward compatible: unknown fields are kept, enum fields accept values the spec does not list
(statically they are the documented `Literal`s, at runtime any string), and a union of Stripe objects
resolves by the `object` field, falling back to `StripeObject` for types this SDK does not know.

Expandable fields are lazy: Stripe sends ids unless a request expands them, and the models an expandable
field can hold reach most of the API (a charge reaches 512 models that way, 68 without). So a model
module refers to the models of its expandable fields by `ModelRef` instead of importing them, and the
validator of an expandable field's object form is built the first time an expanded object arrives. The
fields of "kinds" objects (payment method details and the like) are lazy the same way, each deferred field
calling its model's own validator (`stripe_connect._deferred`). Importing a model, building its validator
and the memory both take stay proportional to what is parsed.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, Union, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetPydanticSchema
from pydantic_core import CoreSchema, core_schema

from stripe_connect._registry import generated_models

if TYPE_CHECKING:
    from typing_extensions import Self

    from stripe_connect._response_meta import LastResponse

T = TypeVar("T")

_UNKNOWN_TAG = "__unknown__"


class StripeModel(BaseModel):
    """A Stripe API object: attribute access to its fields, unknown fields kept (see `model_extra`).

    A model parsed leniently (see `stripe_connect._lenient`) may hold a field's value as Stripe sent it
    where it does not fit the field's type, and may lack a required field: reading that field raises an
    `AttributeError` saying so (`getattr(obj, name, None)` and `obj.model_fields_set` tell it apart).
    """

    # defer_build: a model's validator is built on first use, so importing a model never pays for the
    # hundreds of models it can reach. strict: Stripe's JSON is typed, so nothing is coerced ("5" is not 5);
    # a value of another type is a deviation, kept as sent by lenient parsing instead of silently converted.
    model_config = ConfigDict(
        extra="allow", defer_build=True, protected_namespaces=(), populate_by_name=True, strict=True
    )

    # The response a call's result came from. A slot, not a field or a pydantic private attribute: it is
    # not dumped, not compared, not sent back, and nested models (which never get one) pay nothing for it.
    __slots__ = ("_last_response",)
    if TYPE_CHECKING:
        _last_response: LastResponse

    def to_dict(self) -> dict[str, Any]:
        """The object as Stripe sent it (fields never received stay absent)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)

    if not TYPE_CHECKING:  # type checkers keep seeing pydantic's signatures and the documented field types
        # Values kept as sent were logged when parsed; dumping them back is the point, not worth a warning each.
        def model_dump(self, **kwargs: Any) -> dict[str, Any]:
            kwargs.setdefault("warnings", False)
            return super().model_dump(**kwargs)

        def model_dump_json(self, **kwargs: Any) -> str:
            kwargs.setdefault("warnings", False)
            return super().model_dump_json(**kwargs)

        def __getattr__(self, name: str) -> Any:
            try:
                return super().__getattr__(name)
            except AttributeError:
                if name in type(self).model_fields:
                    raise AttributeError(
                        f"{type(self).__name__}.{name} is absent: the object Stripe sent has no {name!r}, which the "
                        f"models require (it was parsed leniently; the `stripe_connect` log names the deviation)",
                        name=name,
                        obj=self,
                    ) from None
                raise

    @property
    def last_response(self) -> LastResponse | None:
        """The response this object came in (request id, status, headers, account, attempts), when a call
        returned it; None for objects nested in a result, built by hand, or from `deserialize`."""
        return getattr(self, "_last_response", None)

    def _set_last_response(self, meta: LastResponse) -> None:
        object.__setattr__(self, "_last_response", meta)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        meta = self.last_response
        return state if meta is None else {**state, "last_response": meta}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        meta = state.get("last_response")
        if meta is not None:
            self._set_last_response(meta)

    def __copy__(self) -> Self:
        copied = super().__copy__()
        if (meta := self.last_response) is not None:
            copied._set_last_response(meta)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        copied = super().__deepcopy__(memo)
        if (meta := self.last_response) is not None:
            copied._set_last_response(meta)  # immutable: shared, not copied
        return copied

    # Read-only dict-style access by the API's field names, for code ported from stripe-python. Attribute
    # access stays the typed way; these cost the typed path nothing.

    def __getitem__(self, key: str) -> Any:
        name = _field_names(type(self)).get(key, key)
        if name in type(self).model_fields:
            try:
                return getattr(self, name)
            except AttributeError:  # a required field a lenient model lacks: absent, as for a dict
                raise KeyError(key) from None
        extra = self.__pydantic_extra__
        if extra is not None and key in extra:
            return extra[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """`obj.get("field")`: the field's value, or `default` when the object has no such field."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True


@functools.cache
def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """Wire name -> attribute name, for the fields whose Python name differs (`from` -> `from_`)."""
    return {field.alias: name for name, field in model.model_fields.items() if field.alias and field.alias != name}


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
        return known_tag(object_tag_of(value), tags) or _UNKNOWN_TAG

    return object_type


class ModelRef:
    """A model named by its module, imported when first needed: what a generated model module binds, at
    run time, for the models only its expandable fields refer to (type checkers see the real import).

    It stands in type expressions (`Expandable[Customer | DeletedCustomer]`), hence `|` and `__call__`
    (Python 3.10's `typing` only accepts callables as arguments of `Union`).
    """

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def resolve(self) -> type[BaseModel]:
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __or__(self, other: Any) -> Any:
        return Union[self, other]  # noqa: UP007 - `X | Y` is what is being defined here

    def __ror__(self, other: Any) -> Any:
        return Union[other, self]  # noqa: UP007

    def __repr__(self) -> str:
        return f"ModelRef({self.module}.{self.name})"

    # Equal by what they name: a type rebuilt from a pickle (a page of `Expandable[...]` items) is the same type.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModelRef) and (other.module, other.name) == (self.module, self.name)

    def __hash__(self) -> int:
        return hash((self.module, self.name))

    def __reduce__(self) -> tuple[Any, ...]:
        return (ModelRef, (self.module, self.name))

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # A deferred field holding this model (members of expandable and polymorphic unions are resolved by
        # `_ObjectUnion` instead): the model is imported, and its validator built, when a value first arrives.
        from stripe_connect._deferred import deferred_model_schema

        return deferred_model_schema(self)


def _resolved(member: Any) -> Any:
    return member.resolve() if isinstance(member, ModelRef) else member


class _Expandable:
    """Validates an expandable field: an id as it is, an object by a validator built on first use."""

    __slots__ = ("_members", "_validator")

    def __init__(self, members: tuple[Any, ...]) -> None:
        self._members = members
        self._validator: Any = None

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):  # the id: by far the most common
            return value
        validator = self._validator
        if validator is None:
            from stripe_connect._adapters import adapter_for  # thread-safe, and one per type

            members = tuple(_resolved(m) for m in self._members)
            validator = self._validator = adapter_for(Annotated[Union[members], _OBJECT_UNION]).validator  # noqa: UP007
        return validator.validate_python(value)


class _ObjectUnion:
    """Validates `str | A | B ...` by the input's `object` (and `deleted`) field instead of trial and error.

    With `str` among the members (an expandable field), strings are ids and anything else goes to a
    validator of `A | B ...` built on first use, so the models behind ids cost nothing until expanded.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        members = get_args(source) or (source,)
        nullable = type(None) in members
        objects = tuple(m for m in members if m is not str and m is not type(None))
        if str in members:
            schema = core_schema.no_info_plain_validator_function(
                _Expandable(objects),
                json_schema_input_schema=core_schema.union_schema(
                    [core_schema.str_schema(), core_schema.dict_schema()]
                ),
            )
        else:
            choices: dict[str, CoreSchema] = {}
            for member in objects:
                member = _resolved(member)
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


def model_of_object(value: Any) -> type[StripeModel]:
    """The model a Stripe object's `object` field names, `StripeObject` for types this SDK does not know."""
    # The registered models are looked up when a value arrives, not when a field's validator is built:
    # a validator over every model would cost seconds for one field.
    registry = generated_models()
    tag = known_tag(object_tag_of(value), registry.object_types)
    return registry.model(registry.object_types[tag]) if tag is not None else StripeObject


def _any_object(value: Any) -> Any:
    if isinstance(value, StripeModel):
        return value
    if not isinstance(value, dict):
        raise ValueError("expected a Stripe object (a JSON object with an `object` field)")
    return model_of_object(value).model_validate(value)


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


def object_model_for(annotation: Any, value: Mapping[str, Any]) -> type[BaseModel] | None:
    """The model a Stripe object is meant to be in a field annotated `Expandable`, `Polymorphic` or `AnyObject`,
    chosen by its `object` (`StripeObject` when no member has it); None for any other annotation.

    Lenient parsing uses it to rebuild an object the field's validator refused with the model it stands for.
    """
    base, *metadata = get_args(annotation) if get_origin(annotation) is Annotated else (annotation,)
    if any(isinstance(m, _ByObjectType) for m in metadata):
        return model_of_object(value)
    if not any(isinstance(m, _ObjectUnion) for m in metadata):
        return None
    members = [_resolved(m) for m in (get_args(base) or (base,))]
    tags = {_object_tag(m): m for m in members if isinstance(m, type) and issubclass(m, BaseModel)}
    tag = known_tag(object_tag_of(value), tags)
    return tags[tag] if tag is not None else StripeObject
