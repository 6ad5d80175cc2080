"""Parsers (pydantic `TypeAdapter`s) for response types, built once per type and shared by all clients."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic_core import SchemaValidator

_adapters: dict[Any, TypeAdapter[Any]] = {}
# Building a validator resolves and builds every model the type reaches; doing that from two threads at
# once is not something pydantic promises to support, so builds are serialised (lookups are not).
_build_lock = threading.Lock()
# Stripe's JSON is typed: a value of another type is not converted but refused (and kept as sent by lenient
# parsing). Models say so in their own config; any other type (a union, a list, a scalar) says so here.
_STRICT = ConfigDict(strict=True)


def _models_in(tp: Any) -> Iterator[type[BaseModel]]:
    """The model classes a type is made of, innermost first (`ListObject[Charge]`: Charge, then the page)."""
    generic_args: tuple[Any, ...] = ()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        generic_args = tp.__pydantic_generic_metadata__["args"]
    for arg in (*get_args(tp), *generic_args):
        yield from _models_in(arg)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp


def _is_model(tp: Any) -> bool:
    """A model (possibly `Annotated`): it has a config of its own, which a TypeAdapter must not be given."""
    base = get_args(tp)[0] if get_origin(tp) is Annotated else tp
    return isinstance(base, type) and issubclass(base, BaseModel)


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(tp)
    if adapter is None:
        with _build_lock:
            adapter = _adapters.get(tp)
            if adapter is None:
                # Models are deferred: a TypeAdapter over an unbuilt model would generate the schema of every
                # model it reaches for itself alone (~0.2 s per response type). Built as models, their schemas
                # are kept on the classes and shared by every later type that reaches them.
                for model in _models_in(tp):
                    model.model_rebuild()
                adapter = TypeAdapter(tp) if _is_model(tp) else TypeAdapter(tp, config=_STRICT)
                adapter.rebuild()  # build now, while holding the lock (a deferred model's adapter waits otherwise)
                _adapters[tp] = adapter
    return adapter


def model_validator(model: type[BaseModel]) -> SchemaValidator:
    """`model`'s own validator, built now if it is not yet (models are `defer_build`), under the same lock."""
    validator = model.__pydantic_validator__
    if not isinstance(validator, SchemaValidator):  # a stand-in until the model is built
        with _build_lock:
            model.model_rebuild()
            validator = model.__pydantic_validator__
    if not isinstance(validator, SchemaValidator):
        raise TypeError(f"{model.__qualname__} has no validator after being built")
    return validator
