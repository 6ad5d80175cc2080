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

# Payment method details of a card payment: the one kind of ~40 that a card charge holds (inline: the commonest).
CARD_DETAILS: dict[str, Any] = {
    "type": "card",
    "card": {
        "brand": "visa",
        "checks": {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"},
        "country": "US",
        "exp_month": 8,
        "exp_year": 2030,
        "fingerprint": "fp",
        "funding": "credit",
        "installments": None,
        "last4": "4242",
        "mandate": None,
        "network": "visa",
        "network_token": None,
        "three_d_secure": None,
        "wallet": None,
    },
}

# Payment method details of a payment at a terminal: a kind whose field is deferred (built when first held).
CARD_PRESENT_DETAILS: dict[str, Any] = {
    "type": "card_present",
    "card_present": {
        "brand": "visa",
        "exp_month": 8,
        "exp_year": 2030,
        "incremental_authorization_supported": False,
        "overcapture_supported": False,
        "last4": "4242",
        "read_method": "contactless_emv",
        "receipt": {"account_type": "credit", "application_cryptogram": "A1B2", "authorization_code": "123456"},
    },
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


def card(n: int) -> dict[str, Any]:
    """A saved card (a customer's source), `card_{n}`."""
    return {
        "id": f"card_{n}",
        "object": "card",
        "brand": "Visa",
        "exp_month": 1,
        "exp_year": 2030,
        "funding": "credit",
        "last4": "4242",
    }
