"""`client.deserialize(data)`: a Stripe object kept as a dict (a queue message, a database column, a log
line) back into the typed model its `object` field names, as stripe-python's `StripeClient.deserialize` does."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from stripe_connect._models import AnyObject, StripeModel
from stripe_connect._pagination import ListObject, SearchResult
from stripe_connect._parse import parse_python

# Pages are not API objects the registry lists: their items are resolved one by one, by their own `object`.
_PAGES: dict[str, Any] = {"list": ListObject[AnyObject], "search_result": SearchResult[AnyObject]}


def deserialize(
    data: Mapping[str, Any] | str | bytes, *, strict: bool = False, api_version: str | None = None
) -> StripeModel:
    if isinstance(data, str | bytes):
        data = json.loads(data)
    if not isinstance(data, Mapping):
        raise TypeError(f"deserialize() takes a Stripe object (a dict or its JSON), got {type(data).__name__}")
    page = _PAGES.get(str(data.get("object")))
    result: StripeModel = parse_python(
        page if page is not None else AnyObject, dict(data), strict=strict, api_version=api_version
    )
    return result
