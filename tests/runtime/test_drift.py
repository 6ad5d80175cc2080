"""Objects that drift from the pinned document, as Stripe's do, parse leniently: every schema of the document.

From each schema, hypothesis builds a valid object (tests/support/schema_strategies.py), then changes it in one place
the way another API version or one of Stripe's own examples does (tests/support/schema_drift.py): a required field
dropped, a null where the schema says non-null, a value of another type, an unknown field or enum value, an
object of an unknown type inside a union or an expandable field. Every result parses into its model, dumps back
exactly as sent, pickles and copies; a breaking change raises under `strict=True`. API resources are also
delivered in a signed event and read through `construct_event`.
"""

from __future__ import annotations

import copy
import functools
import json
import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from codegen.identifiers import camel
from stripe_connect import StripeModel, models
from stripe_connect._parse import parse_json
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import construct_event
from tests.runtime.test_model_roundtrip import SCHEMA_NAMES, schemas, strategies
from tests.support.objects import stripe_event
from tests.support.schema_drift import Drift, DriftSites

SECRET = "whsec_drift"


@functools.cache
def drift_sites() -> DriftSites:
    return DriftSites(schemas())


def registered_resource(schema: str) -> bool:
    """An API resource whose `object` value names this very model (what an event's `data.object` can be)."""
    enum = schemas()[schema].get("properties", {}).get("object", {}).get("enum", [])
    return len(enum) == 1 and models.OBJECT_TYPES.get(enum[0]) == camel(schema)


def signed_event(obj: Any) -> bytes:
    return json.dumps(
        stripe_event(obj, "drift.happened", id="evt_drift", api_version="2099-01-01", pending_webhooks=0)
    ).encode()


@pytest.mark.parametrize("schema", SCHEMA_NAMES)
@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_drifted_objects_parse_dump_back_and_travel(schema: str, data: st.DataObject) -> None:
    model_type = getattr(models, camel(schema))
    value = data.draw(strategies().for_schema(schema), label="valid object")
    sites = list(drift_sites().sites(schemas()[schema], value))
    assert sites, f"{schema}: nothing to drift in {value!r}"
    drift: Drift = data.draw(st.sampled_from(sites), label="drift")
    drifted = drift.apply(value)
    body = json.dumps(drifted)

    parsed = parse_json(model_type, body, api_version="2099-01-01")
    if isinstance(model_type, type):
        assert type(parsed) is model_type
    else:  # a polymorphic schema: one of its members (or StripeObject)
        assert isinstance(parsed, StripeModel)
    assert parsed.to_dict() == drifted, drift
    # Drifted values travel with the model: pickled (a task queue, a cache) and copied.
    for travelled in (pickle.loads(pickle.dumps(parsed)), copy.copy(parsed), copy.deepcopy(parsed)):
        assert travelled == parsed
        assert travelled.to_dict() == drifted

    if drift.breaking and not drift.ambiguous:
        with pytest.raises(ValidationError):
            parse_json(model_type, body, strict=True)
    elif not drift.ambiguous:
        assert parse_json(model_type, body, strict=True) == parsed, f"{drift} is valid for the models"

    if registered_resource(schema):
        payload = signed_event(drifted)
        header = generate_test_header(payload, SECRET)
        event = construct_event(payload, header, SECRET)
        assert isinstance(event.data.object, BaseModel)
        assert event.to_dict() == json.loads(payload), drift
        if drift.breaking and not drift.ambiguous:
            with pytest.raises(ValueError):
                construct_event(payload, header, SECRET, strict=True)
