"""Small, valid Stripe objects (only the fields the spec requires) for unit tests."""

from __future__ import annotations

from typing import Any

CHARGE: dict[str, Any] = {
    "id": "ch_1",
    "object": "charge",
    "amount": 100,
    "amount_captured": 0,
    "amount_refunded": 0,
    "billing_details": {"address": None, "email": None, "name": None, "phone": None},
    "captured": False,
    "created": 1,
    "currency": "usd",
    "disputed": False,
    "livemode": False,
    "metadata": {},
    "paid": True,
    "refunded": False,
    "status": "succeeded",
}


def charge(**fields: Any) -> dict[str, Any]:
    """A charge, with `fields` replacing or adding to the minimal one."""
    return {**CHARGE, **fields}


def stripe_event(obj: dict[str, Any], event_type: str = "charge.succeeded", **fields: Any) -> dict[str, Any]:
    """An event as Stripe posts it, holding `obj` as its `data.object`; `fields` override any top-level field."""
    return {
        "id": "evt_1",
        "object": "event",
        "api_version": "2023-08-16",
        "created": 1,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": None,
        "type": event_type,
        **fields,
    }
