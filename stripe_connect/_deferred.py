"""Deferred fields: a nested model validated by its own validator, built the first time a value arrives.

A model's validator, built by pydantic the usual way, inlines the schema of every model its fields can
hold. For most fields that is what a payload holds anyway, and inline is the fastest way to parse them. The
fields of "kinds" objects are the exception: payment method details name ~40 kinds of payment, of which a
charge holds one (likewise payment methods, next actions, card wallets, sources), so a charge's validator
built them all. The generator marks those fields deferred (`codegen/models.py`, KINDS_MIN), and the model
module binds their models to `ModelRef`s, whose schema is the one below: a call into the model's own
validator, imported and built when the first value arrives (once per process, shared by every model that
nests it). What the first parse builds is then what the payload holds.

The cost, paid only by the kinds a payload holds, is one call from pydantic-core into Python per value of a
deferred field plus a copy of that value's JSON into Python objects, which the model's validator then reads:
~0.4 µs for an empty wallet kind, ~5 µs for a card's details, which is why `card` stays inline
(bench/README.md). Errors keep their full path: a `ValidationError` raised by the nested validator is
re-rooted by pydantic-core at the field (`payment_method_details.card_present.brand`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic_core import CoreSchema, core_schema

from stripe_connect._adapters import model_validator

if TYPE_CHECKING:
    from stripe_connect._models import ModelRef


def deferred_model_schema(ref: ModelRef) -> CoreSchema:
    """The schema of a field holding the model `ref` names, imported and built when a value first arrives."""
    validate: Any = None

    def validate_deferred(value: Any) -> Any:
        nonlocal validate
        if validate is None:
            validate = model_validator(ref.resolve()).validate_python
        return validate(value)

    # A plain function without `info`: the cheapest call pydantic-core makes into Python.
    return core_schema.no_info_plain_validator_function(
        validate_deferred, json_schema_input_schema=core_schema.dict_schema()
    )
