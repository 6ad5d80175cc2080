"""Typed dictionaries for nested request parameters, for annotating the dicts you pass.

Re-exported lazily from the generated package, which `make generate` builds from the pinned spec.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stripe_connect_generated.params import *  # noqa: F403


def __getattr__(name: str) -> Any:
    value = getattr(importlib.import_module("stripe_connect_generated.params"), name)
    globals()[name] = value
    return value
