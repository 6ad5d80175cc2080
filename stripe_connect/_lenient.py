"""Lenient parsing: a payload the compiled validator refused, rebuilt as its typed model anyway.

Stripe's objects do not always match the pinned models: an object rendered at a newer API version drops,
renames or retypes fields, and Stripe's own examples lack fields the schemas require. Payloads are parsed
by the compiled validator first (the fast path, and all a payload that fits ever meets); only when it
refuses one does `rebuild` walk the payload along the type:

- a model is rebuilt field by field: each field's value is validated on its own and, where it does not
  fit, rebuilt the same way one level down (a nested model, a list's items, a map's values, the member of
  a union its `object` names), down to a value that cannot be rebuilt (a string where a number belongs, a
  null, an id where an object belongs), which is kept exactly as sent;
- a required field the payload lacks stays absent (reading it raises `AttributeError` naming it);
- unknown fields are kept, as they always are.

The result is the typed model: what fits is typed, the rest is raw JSON, and `to_dict()` gives back the
payload. Each deviation is logged once per (model, field) at WARNING on the `stripe_connect` logger.
"""

from __future__ import annotations

import functools
import logging
import threading
import types
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError

from stripe_connect._adapters import adapter_for
from stripe_connect._models import ModelRef, object_model_for

logger = logging.getLogger("stripe_connect")

_reported: set[tuple[str, str]] = set()
_reported_lock = threading.Lock()
_field_types: dict[tuple[type[BaseModel], str], Any] = {}


class Unrebuildable(ValueError):
    """The payload itself (not a value inside a model) does not fit its type: no model could keep it."""


def rebuild(tp: Any, data: Any, api_version: str | None) -> Any:
    """`data` (parsed JSON the validator of `tp` refused) as `tp`, deviations kept as sent and logged.

    Raises `Unrebuildable` when `data` cannot be a `tp` at all (a list or a string where an object belongs).
    """
    return _Rebuild(api_version).value(tp, data, _Place(None, "", ""))


class _Place:
    """Where a value sits: the model and field holding it (the key deviations are reported by), and its path."""

    __slots__ = ("field", "model", "path")

    def __init__(self, model: type[BaseModel] | None, field: str, path: str) -> None:
        self.model = model
        self.field = field
        self.path = path

    def field_of(self, model: type[BaseModel], field: str, key: str) -> _Place:
        return _Place(model, field, f"{self.path}.{key}" if self.path else key)

    def item(self, index: object) -> _Place:
        return _Place(self.model, self.field, f"{self.path}[{index!r}]")


class _Rebuild:
    __slots__ = ("api_version",)

    def __init__(self, api_version: str | None) -> None:
        self.api_version = api_version

    def value(self, tp: Any, value: Any, place: _Place) -> Any:
        try:
            return adapter_for(tp).validate_python(value)
        except ValidationError:
            pass
        if isinstance(value, dict):
            data = cast("dict[str, Any]", value)
            model = _model_for(tp, data)
            if model is not None:
                return self.model(model, data, place)
            values = _map_values(tp)
            if values is not None:
                return {key: self.value(values, item, place.item(key)) for key, item in data.items()}
        elif isinstance(value, list):
            items = _list_items(tp)
            if items is not None:
                return [self.value(items, item, place.item(i)) for i, item in enumerate(cast("list[Any]", value))]
        return self.keep(tp, value, place)

    def model(self, model: type[BaseModel], data: dict[str, Any], place: _Place) -> BaseModel:
        fields = model.model_fields
        names = _field_names(model)
        values: dict[str, Any] = {}
        for key, item in data.items():
            name = names.get(key)
            # Unknown fields are kept as sent, as the validator keeps them.
            values[key] = (
                item if name is None else self.value(_field_type(model, name), item, place.field_of(model, name, key))
            )
        for name, field in fields.items():
            key = field.alias or name
            if field.is_required() and key not in data:
                self.report(place.field_of(model, name, key), "missing though required; left absent")
        return model.model_construct(**values)

    def keep(self, tp: Any, value: Any, place: _Place) -> Any:
        if place.model is None:
            raise Unrebuildable(f"{_json_kind(value)} is not {type_name(tp)}")
        self.report(place, f"{_json_kind(value)} where the models expect {type_name(tp)}; kept as sent")
        return value

    def report(self, place: _Place, problem: str) -> None:
        assert place.model is not None
        key = (place.model.__qualname__, place.field)
        with _reported_lock:
            if key in _reported:
                return
            _reported.add(key)
        logger.warning(
            "%s.%s departs from the models (at %s): %s (API version asked for: %s; logged once per model and field)",
            place.model.__qualname__,
            place.field,
            place.path,
            problem,
            self.api_version or "the account's default",
        )


def _alternatives(tp: Any) -> Iterator[Any]:
    """The members of a union (nested unions flattened), or the type itself."""
    if isinstance(tp, ModelRef):
        yield tp.resolve()
    elif get_origin(tp) in (Union, types.UnionType):
        for member in get_args(tp):
            yield from _alternatives(member)
    else:
        yield tp


def _model_for(tp: Any, data: dict[str, Any]) -> type[BaseModel] | None:
    """The model an object is meant to be: by `object` for unions of Stripe objects, else the member model
    sharing the most fields with it."""
    candidates: list[type[BaseModel]] = []
    for alt in _alternatives(tp):
        if get_origin(alt) is Annotated:
            chosen = object_model_for(alt, data)
            if chosen is not None:
                return chosen
            found = _model_for(get_args(alt)[0], data)
            if found is not None:
                candidates.append(found)
        elif isinstance(alt, type) and issubclass(alt, BaseModel):
            candidates.append(alt)
    if not candidates:
        return None
    return max(candidates, key=lambda m: len(_field_names(m).keys() & data.keys()))


def _list_items(tp: Any) -> Any:
    for alt in _alternatives(tp):
        if get_origin(alt) is Annotated:
            alt = get_args(alt)[0]
        if get_origin(alt) is list:
            return get_args(alt)[0] if get_args(alt) else Any
    return None


def _map_values(tp: Any) -> Any:
    for alt in _alternatives(tp):
        if get_origin(alt) is dict:
            return get_args(alt)[1] if get_args(alt) else Any
    return None


@functools.cache
def _field_names(model: type[BaseModel]) -> dict[str, str]:
    """Wire name -> field name."""
    return {(field.alias or name): name for name, field in model.model_fields.items()}


def _field_type(model: type[BaseModel], name: str) -> Any:
    key = (model, name)
    tp = _field_types.get(key)
    if tp is None:
        tp = _field_types[key] = model.model_fields[name].rebuild_annotation()
    return tp


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    kinds: Mapping[type, str] = {bool: "a boolean", str: "a string", int: "a number", float: "a number"}
    if type(value) in kinds:
        return kinds[type(value)]
    return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def type_name(tp: Any) -> str:
    """`Customer | DeletedCustomer` for `Polymorphic[Customer | DeletedCustomer]`, as a user reads the type."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return type_name(args[0])
    if origin is Union or origin is types.UnionType:
        return " | ".join(type_name(arg) for arg in args)
    if origin is Literal:
        shown = " | ".join(repr(arg) for arg in args[:3])
        return shown if len(args) <= 3 else f"{shown} | ... ({len(args)} values)"
    if origin is not None and args:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(type_name(arg) for arg in args)}]"
    if isinstance(tp, ModelRef):
        return tp.name
    if tp is type(None):
        return "None"
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")
