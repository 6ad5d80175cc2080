"""Every Stripe object as a typed pydantic model: `from stripe_connect.models import Charge`.

Re-exported lazily from the generated package, which `make generate` builds from the pinned spec.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stripe_connect_generated.models import *  # noqa: F403


def __getattr__(name: str) -> Any:
    value = getattr(importlib.import_module("stripe_connect_generated.models"), name)
    globals()[name] = value
    return value
