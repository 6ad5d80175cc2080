"""What a result knows about the response it came from: `charge.last_response.request_id` and the rest.

It rides on the result outside its fields (a slot on models), so it is never dumped, compared or sent back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import httpx


@dataclasses.dataclass(frozen=True, slots=True)
class LastResponse:
    """The final response of a call: what Stripe support asks for, and how the call got there."""

    request_id: str | None
    """Stripe's `Request-Id` (`req_...`)."""
    status_code: int
    headers: httpx.Headers
    """The response headers (case-insensitive)."""
    idempotency_key: str | None
    """The `Idempotency-Key` sent (every POST has one, the same on each retry)."""
    stripe_account: str | None
    """The connected account the call acted on (`Stripe-Account`), None for the platform."""
    attempts: int
    """How many requests the call took (1 when it was not retried)."""
    elapsed: float
    """Seconds from the first attempt to the final response, waits between retries included."""

    def __repr__(self) -> str:
        return (
            f"LastResponse(request_id={self.request_id!r}, status_code={self.status_code}, "
            f"stripe_account={self.stripe_account!r}, attempts={self.attempts}, elapsed={self.elapsed:.3f})"
        )


class JSONObject(dict[str, Any]):
    """A JSON object returned by `raw_request` without `cast_to`: a plain dict that also has `last_response`."""

    __slots__ = ("last_response",)

    last_response: LastResponse | None

    def __init__(self, fields: Mapping[str, Any], last_response: LastResponse | None = None) -> None:
        super().__init__(fields)
        self.last_response = last_response

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self), self.last_response))
