"""Parsing JSON into the SDK's types, lenient unless strict: the one way responses and events are read.

    parse_json(Charge, body, strict=False, api_version="2024-04-10")   # bytes or text
    parse_python(Event, data)                                           # already decoded JSON

The compiled validator runs first, and a payload that fits the models costs nothing more. A payload it
refuses raises under `strict=True`; otherwise it is rebuilt leniently (`stripe_connect._lenient`): the typed
model, with what does not fit kept as sent and logged once per (model, field). `_lenient`, the `logging` it
needs and `json` are imported with the first payload refused: a fresh process parsing payloads that fit, its
first webhook above all, does not pay for them (~7 ms).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from stripe_connect._adapters import adapter_for


def parse_json(tp: Any, content: bytes | str, *, strict: bool = False, api_version: str | None = None) -> Any:
    """`content` (JSON text) as a `tp`. Raises pydantic's `ValidationError` when it is not JSON, when it cannot
    be a `tp` at all (a list where an object belongs), or, under `strict`, when it departs from the models.

    `api_version` is the version the payload was asked for (or rendered at), named in deviation logs.
    """
    try:
        return adapter_for(tp).validate_json(content)
    except ValidationError as refused:
        if strict:
            raise
        import json  # only for a refused payload (see above)

        try:
            data = json.loads(content)
        except (ValueError, RecursionError):  # not JSON, or nested past what json.loads can recurse
            raise refused from None
        return _lenient(tp, data, api_version, refused)


def parse_python(tp: Any, data: Any, *, strict: bool = False, api_version: str | None = None) -> Any:
    """Like `parse_json`, for JSON already decoded (`json.loads`)."""
    try:
        return adapter_for(tp).validate_python(data)
    except ValidationError as refused:
        if strict:
            raise
        return _lenient(tp, data, api_version, refused)


def _lenient(tp: Any, data: Any, api_version: str | None, refused: ValidationError) -> Any:
    from stripe_connect._lenient import Unrebuildable, rebuild

    try:
        return rebuild(tp, data, api_version)
    except Unrebuildable:
        raise refused from None
