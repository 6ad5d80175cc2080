"""Stage 2d: the event types the spec documents, as Python constants.

The spec has no schema listing event types; the list it does document is the `enabled_events` enum of
`POST /v1/webhook_endpoints` (what an endpoint may subscribe to), less its `*` wildcard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from codegen.models import GenerationError

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
    """`charge.dispute.created` -> `CHARGE_DISPUTE_CREATED`."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", event_type).strip("_").upper()
    return f"_{name}" if name[:1].isdigit() else name


def constants(types: list[str]) -> list[tuple[str, str]]:
    """(constant name, event type) pairs; two types that would share a constant fail generation."""
    owners: dict[str, str] = {}
    for event_type in types:
        name = constant_name(event_type)
        if name in owners:
            raise GenerationError(f"event types {owners[name]!r} and {event_type!r} would both be {name}")
        owners[name] = event_type
    return sorted(owners.items())
