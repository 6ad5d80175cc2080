"""Stage 2d: the event types the spec documents, as Python constants.

The spec has no schema listing event types; the list it does document is the `enabled_events` enum of
`POST /v1/webhook_endpoints` (what an endpoint may subscribe to), less its `*` wildcard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from codegen.identifiers import unique_names
from codegen.models import GenerationError

# What events.py defines besides the constants.
RESERVED = frozenset({"EVENT_TYPES", "EventType", "Final", "Literal"})

SOURCE = ("/v1/webhook_endpoints", "post", "enabled_events")
WILDCARD = "*"


def event_types(spec: Mapping[str, Any]) -> list[str]:
    """Every documented event type (`charge.succeeded`, ...), sorted; fails when the spec lists none."""
    path, verb, param = SOURCE
    try:
        body = spec["paths"][path][verb]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        values = body["properties"][param]["items"]["enum"]
    except (KeyError, TypeError) as exc:
        raise GenerationError(
            f"no event types: {verb.upper()} {path} no longer documents `{param}` as an enum ({exc!r})"
        ) from None
    types = sorted({str(v) for v in values} - {WILDCARD})
    if not types:
        raise GenerationError(f"no event types: {verb.upper()} {path} `{param}` lists none")
    return types


def constant_name(event_type: str) -> str:
    """`charge.dispute.created` -> `CHARGE_DISPUTE_CREATED`; any string gives an upper-case identifier."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", event_type).strip("_").upper() or "UNNAMED"
    return f"N_{name}" if name[0].isdigit() else name


def constants(types: list[str]) -> list[tuple[str, str]]:
    """(constant name, event type) pairs, sorted; two types that would share a constant get distinct ones."""
    names = unique_names(types, constant_name, reserved=RESERVED)
    return sorted((name, t) for t, name in names.items())
