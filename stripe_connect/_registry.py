"""The generated models as the core knows them: registered by the generated package, never imported by name.

The core imports nothing generated. `stripe_connect_generated.models` registers its object types here when it
is imported; the public face (`stripe_connect/__init__.py`) says how to import it, so that a value arriving
before any generated module was imported (a webhook parsed on its own) still finds its model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from stripe_connect._models import StripeModel


class GeneratedModels(NamedTuple):
    # A named tuple, not a frozen dataclass: as immutable, and defined in a third of the time (a frozen
    # dataclass compiles its methods when defined, ~1 ms of a fresh process's first webhook).

    object_types: Mapping[str, str]
    """An object's `object` value (`"charge"`) -> its model's name (`"Charge"`)."""
    model: Callable[[str], type[StripeModel]]
    """A model's name -> the model (imported on first use)."""


_registered: GeneratedModels | None = None
_load: Callable[[], object] | None = None


def register_models(object_types: Mapping[str, str], model: Callable[[str], type[StripeModel]]) -> None:
    """Called by the generated models package when it is imported."""
    global _registered
    _registered = GeneratedModels(object_types, model)


def load_models_with(load: Callable[[], object]) -> None:
    """How to import the generated models package when the core needs it before anything else imported it."""
    global _load
    _load = load


def generated_models() -> GeneratedModels:
    if _registered is None and _load is not None:
        _load()
    if _registered is None:
        raise RuntimeError("the generated models are not registered: is stripe_connect_generated installed?")
    return _registered
