"""When to retry a call and how long to wait, as Stripe's SDKs do."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

import httpx

INITIAL_DELAY = 0.5
MAX_DELAY = 5.0
MAX_RETRY_AFTER = 60.0


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """`Stripe-Should-Retry` decides first; otherwise 409 (a conflict, often a lock) and 5xx are retried."""
    hint = (headers.get("stripe-should-retry") or "").strip().lower()
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status == 409 or status >= 500


def should_retry_error(error: httpx.RequestError) -> bool:
    """Whether a request that failed in transit may be sent again.

    Network failures, timeouts and a server that hung up mid-exchange are worth another attempt (every
    POST carries an Idempotency-Key, so Stripe applies it at most once). A request this side could not
    even form (bad URL scheme, a protocol error of ours, a proxy refusing us) fails the same way again.
    """
    return isinstance(error, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def retry_delay(
    retries_so_far: int, headers: Mapping[str, str] | None = None, rand: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry number `retries_so_far + 1`.

    Exponential backoff from 0.5 s capped at 5 s, jittered into [1/2, 1] of the step but never below
    0.5 s (as Stripe's SDKs do); a `Retry-After` of at most 60 s is honoured when it asks for longer.
    """
    step = min(INITIAL_DELAY * (2**retries_so_far), MAX_DELAY)
    delay = max(INITIAL_DELAY, step * (0.5 + rand() / 2))
    retry_after = _retry_after(headers or {})
    return max(delay, retry_after) if retry_after is not None else delay


def _retry_after(headers: Mapping[str, str]) -> float | None:
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return None  # an HTTP date, or garbage: Stripe sends seconds, so fall back to the backoff
    return seconds if 0 <= seconds <= MAX_RETRY_AFTER else None
