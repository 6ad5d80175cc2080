"""Every model of the pinned document parses any schema-valid object and dumps it back unchanged.

Objects come from the spec's own JSON schemas (tests/support/schema_strategies.py): references followed to a bounded
depth, nullable, unions, enums, required and optional properties, free-form and typed maps, and now and then a
field the schema does not list (as a newer API version would send). Parsing must
succeed (the models accept everything the spec allows), dumping must give back the same JSON object (nothing
lost, renamed or coerced), and no nested Stripe object of a known type may fall back to `StripeObject`.
Every parsed model also travels: it pickles and copies into an equal model.
"""

from __future__ import annotations

import copy
import functools
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from codegen.identifiers import camel
from codegen.load import load_spec
from codegen.pin import MATERIALIZED, materialize
from stripe_connect import StripeModel, StripeObject, models
from stripe_connect._adapters import adapter_for
from stripe_connect._models import known_tag, object_tag_of
from tests.support.schema_strategies import SchemaStrategies


@functools.cache
def schemas() -> dict[str, Any]:
    path = MATERIALIZED if MATERIALIZED.exists() else materialize()
    return load_spec(Path(path))["components"]["schemas"]


@functools.cache
def strategies() -> SchemaStrategies:
    return SchemaStrategies(schemas())


def misplaced_fallbacks(value: Any, where: str = "") -> list[str]:
    """Paths of nested objects that became `StripeObject` although their `object` names a known model."""
    found: list[str] = []
    if type(value) is StripeObject:
        tag = known_tag(object_tag_of(value), models.OBJECT_TYPES)
        if tag is not None:
            found.append(f"{where or '.'}: {tag!r} parsed as StripeObject, not {models.OBJECT_TYPES[tag]}")
    if isinstance(value, BaseModel):
        fields = {**value.__dict__, **(value.model_extra or {})}
        for name, item in fields.items():
            found += misplaced_fallbacks(item, f"{where}.{name}")
    elif isinstance(value, list):
        for i, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            found += misplaced_fallbacks(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            found += misplaced_fallbacks(item, f"{where}[{key!r}]")
    return found


def test_every_schema_is_covered() -> None:
    assert len(SCHEMA_NAMES) == len(schemas()) == 819
    assert {camel(n) for n in SCHEMA_NAMES} <= set(models.__all__)


SCHEMA_NAMES = sorted(schemas())


@pytest.mark.parametrize("schema", SCHEMA_NAMES)
@settings(
    max_examples=4,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_model_round_trips(schema: str, data: st.DataObject) -> None:
    model = getattr(models, camel(schema))
    adapter = adapter_for(model)  # the parser the client uses for responses of this type
    value = data.draw(strategies().for_schema(schema), label=schema)
    parsed = adapter.validate_json(json.dumps(value))  # from JSON text, as responses and webhooks arrive
    if isinstance(model, type) and issubclass(model, StripeModel):
        assert type(parsed) is model
        assert parsed.to_dict() == value
    else:  # a polymorphic schema: one of its members, chosen by `object`
        assert isinstance(parsed, StripeModel)
        assert adapter.dump_python(parsed, mode="json", exclude_unset=True, by_alias=True) == value
    assert misplaced_fallbacks(parsed) == []
    for travelled in (pickle.loads(pickle.dumps(parsed)), copy.copy(parsed), copy.deepcopy(parsed)):
        assert type(travelled) is type(parsed) and travelled == parsed
        assert travelled.to_dict() == value
