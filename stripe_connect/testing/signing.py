"""Webhook signatures for tests: the header Stripe would send with a payload."""

from __future__ import annotations

import time


def generate_test_header(payload: bytes | str, secret: str, timestamp: int | None = None, *, scheme: str = "v1") -> str:
    """A valid `Stripe-Signature` header for `payload`, as Stripe would send it to an endpoint with `secret`.

        header = generate_test_header(payload, "whsec_test")
        event = client.webhooks.construct_event(payload, header, "whsec_test")

    `timestamp` defaults to now; pass an old one to test your handling of expired deliveries.
    """
    from stripe_connect.webhooks import compute_signature

    signed_at = int(time.time()) if timestamp is None else timestamp
    return f"t={signed_at},{scheme}={compute_signature(payload, secret, signed_at)}"
