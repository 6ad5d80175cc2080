"""Nested models validated by their own validator, built the first time a value of theirs arrives.

A model's validator, built by pydantic the usual way, inlines the schema of every model its fields can
hold: a charge's reaches 68 models (payment method details alone name 40 kinds of payment, of which a
charge holds one), so the first charge parsed in a process paid for importing and building all of them.
Here, a field that holds a nested model validates it with that model's own validator instead, through a
small function: building a model's validator builds its own fields only, and each nested model is
imported and built when a value for it first arrives (once per process, shared by every model that nests
it). What the first parse builds is then proportional to what the payload holds.

The cost is one Python call per nested object (the model's validator is called from here rather than
inline): ~0.3 µs, ~15% of a charge's parse and a few percent of a call (bench/README.md).

Generated modules bind the models their fields nest to `ModelRef`s (see `stripe_connect._models`), whose
`__get_pydantic_core_schema__` is `nested_model_schema`; type checkers see the real classes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel
from pydantic_core import CoreSchema, SchemaValidator, core_schema

# Building a validator is not something pydantic promises to be safe from two threads at once.
_build_lock = threading.RLock()


class _ResolvesModel(Protocol):
    def resolve(self) -> type[BaseModel]: ...


def built_validator(model: type[BaseModel]) -> SchemaValidator:
    """`model`'s own validator, built now if it is not yet (models are `defer_build`)."""
    validator = model.__pydantic_validator__
    if not isinstance(validator, SchemaValidator):  # a stand-in until the model is built
        with _build_lock:
            model.model_rebuild()
            validator = model.__pydantic_validator__
    assert isinstance(validator, SchemaValidator)
    return validator


def nested_model_schema(model: type[BaseModel] | _ResolvesModel) -> CoreSchema:
    """The schema of a field holding `model` (a class, or a `ModelRef` to import it by): a call into the
    model's own validator, which is imported and built when the first value arrives."""
    validate: Callable[[Any], Any] | None = None

    def validate_nested(value: Any) -> Any:
        nonlocal validate
        if validate is None:
            resolved = model if isinstance(model, type) else model.resolve()
            validate = built_validator(resolved).validate_python
        return validate(value)

    # A plain function without `info`: the cheapest call pydantic-core makes into Python (see bench/README.md).
    return core_schema.no_info_plain_validator_function(
        validate_nested, json_schema_input_schema=core_schema.dict_schema()
    )
