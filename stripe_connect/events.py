"""The event types Stripe documents, as a `Literal` and constants: `from stripe_connect.events import EventType`.

Re-exported from the generated package, which `make generate` builds from the pinned spec.
"""

from __future__ import annotations

from stripe_connect_generated import events as _generated
from stripe_connect_generated.events import *  # noqa: F403

__all__: list[str] = []
__all__ += _generated.__all__  # EventType, EVENT_TYPES, and one constant per type (CHARGE_SUCCEEDED, ...)
