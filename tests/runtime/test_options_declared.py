"""The client options are declared once, by `ClientOptions`: the constructors and `with_options` must agree with it.

A new option added to `ClientOptions` but forgotten in a constructor (or the other way round) fails here.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from stripe_connect import AsyncStripeClient, BaseAsyncStripeClient, BaseStripeClient, ClientOptions, StripeClient
from stripe_connect._client import ClientOptionChanges, _ClientBase  # pyright: ignore[reportPrivateUsage]

FIELDS = {f.name: f for f in dataclasses.fields(ClientOptions)}
# What a constructor takes besides the options themselves, and options given in another shape there.
NOT_OPTIONS = {"self", "http_client", "sleep"}
CONVERTED = {"app_info": "AppInfo | None", "hooks": "Iterable[Hook]"}  # made an App, a tuple
SET_ONCE = {"app_info", "hooks", "tracer_provider"}  # shared by derived clients, not changed by with_options


def _field_default(name: str) -> Any:
    field = FIELDS[name]
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default


@pytest.mark.parametrize(
    "constructor",
    [_ClientBase.__init__, BaseStripeClient.__init__, BaseAsyncStripeClient.__init__, StripeClient, AsyncStripeClient],
)
def test_every_constructor_takes_exactly_the_declared_options(constructor: Any) -> None:
    params = {n: p for n, p in inspect.signature(constructor).parameters.items() if n not in NOT_OPTIONS}
    assert sorted(params) == sorted(FIELDS)
    for name, param in params.items():
        annotation = (
            param.annotation if isinstance(param.annotation, str) else inspect.formatannotation(param.annotation)
        )
        assert annotation == CONVERTED.get(name, FIELDS[name].type), name
        if name == "stripe_version":
            continue  # defaults to the client class's API version, not a constant
        default = param.default
        assert default == (() if name == "hooks" else _field_default(name)), name


def test_with_options_changes_the_declared_options_with_their_declared_types() -> None:
    changes = ClientOptionChanges.__annotations__
    assert sorted(changes) == sorted(set(FIELDS) - SET_ONCE)
    declared = {name: getattr(changes[name], "__forward_arg__", changes[name]) for name in changes}
    assert declared == {name: FIELDS[name].type for name in changes}
