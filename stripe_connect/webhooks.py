"""Webhooks: verify the `Stripe-Signature` of an incoming event, then parse it into a typed `Event`.

    event = client.webhooks.construct_event(request.body, request.headers["Stripe-Signature"], endpoint_secret)
    if event.type == "charge.succeeded":
        charge = event.data.object          # a `Charge`, chosen by its `object` field
    event.account                            # the connected account, for Connect webhooks

Stripe signs `"{t}.{raw body}"` with HMAC-SHA256 and the endpoint's secret, and sends
`Stripe-Signature: t=<unix time>,v1=<hex>[,v1=<hex>...]` (several `v1` while a secret is being rolled).
Pass the raw body exactly as received: a re-serialized JSON body does not verify.

Timestamps: a header more than `tolerance` seconds old is rejected (a replay), and so is one more than
`tolerance` seconds in the future. Stripe's own libraries check only the past; a future timestamp within the
window is clock skew, beyond it a clock that is badly wrong on one side or a header made to be replayed later,
and neither should pass silently. `tolerance=None` turns the time check off (replaying stored events).

Events are parsed like responses: leniently. An endpoint (or a connected account) on another API version
than this SDK's models sends objects that lack, add or retype fields; the event still comes back typed, with
what does not fit kept as sent and logged once per field (naming the event's `api_version`), so a handler
keeps receiving every event. `strict=True` raises pydantic's `ValidationError` (a `ValueError`) instead.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stripe_connect._errors import SignatureVerificationError

if TYPE_CHECKING:
    from stripe_connect_generated.models import Event

DEFAULT_TOLERANCE = 300
"""Seconds a signature stays valid either side of now."""

SCHEME = "v1"
_MAX_TIMESTAMP_DIGITS = 12  # Unix seconds until the year 33658; longer is garbage (and int() refuses ~4300)


def compute_signature(payload: bytes | str, secret: str, timestamp: int) -> str:
    """The hex `v1` signature of `payload` signed at `timestamp` with the endpoint `secret`."""
    signed = str(timestamp).encode() + b"." + _as_bytes(payload)
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def _as_bytes(payload: bytes | str) -> bytes:
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def _parse_header(sig_header: str) -> tuple[int, list[str]]:
    """(timestamp, v1 signatures) of a `Stripe-Signature` header; other schemes (v0) are ignored."""
    timestamps: list[str] = []
    signatures: list[str] = []
    schemes: list[str] = []
    for element in sig_header.split(","):
        element = element.strip()
        if not element:
            continue
        key, sep, value = element.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise SignatureVerificationError(
                f"Stripe-Signature header is garbled: {element[:40]!r} is not a key=value pair "
                "(expected `t=<timestamp>,v1=<signature>`)",
                sig_header,
            )
        if key == "t":
            timestamps.append(value)
        elif key == SCHEME:
            signatures.append(value)
        else:
            schemes.append(key)
    if not timestamps:
        raise SignatureVerificationError("Stripe-Signature header has no timestamp (`t=...`)", sig_header)
    if len(timestamps) > 1:
        raise SignatureVerificationError("Stripe-Signature header has more than one timestamp (`t=...`)", sig_header)
    if not timestamps[0].isascii() or not timestamps[0].isdigit():
        raise SignatureVerificationError(
            f"Stripe-Signature header has a non-numeric timestamp {timestamps[0][:20]!r} (expected Unix seconds)",
            sig_header,
        )
    if len(timestamps[0]) > _MAX_TIMESTAMP_DIGITS:
        raise SignatureVerificationError(
            f"Stripe-Signature header has an out-of-range timestamp ({len(timestamps[0])} digits; "
            "expected Unix seconds)",
            sig_header,
        )
    if not signatures:
        found = f" (it has only: {', '.join(sorted(set(schemes)))})" if schemes else ""
        raise SignatureVerificationError(
            f"Stripe-Signature header has no {SCHEME} signature{found}; this library verifies {SCHEME} only",
            sig_header,
        )
    return int(timestamps[0]), signatures


def verify_header(
    payload: bytes | str,
    sig_header: str | None,
    secret: str,
    tolerance: float | None = DEFAULT_TOLERANCE,
    *,
    now: Callable[[], float] = time.time,
) -> int:
    """Check that `sig_header` signs `payload` with `secret`, recently; return its timestamp.

    Raises `SignatureVerificationError` saying why not: no header, a garbled one, no timestamp, a
    non-numeric timestamp, no v1 signature, no signature matching (wrong secret or altered body), or a
    timestamp outside `tolerance` seconds of `now()` either way.
    """
    if tolerance is not None and (
        not isinstance(tolerance, int | float) or isinstance(tolerance, bool) or not 0 <= tolerance < math.inf  # pyright: ignore[reportUnnecessaryIsInstance]
    ):
        # NaN compares false with everything: it would silently turn the replay check off.
        raise ValueError(f"tolerance must be None or a finite number of seconds >= 0, got {tolerance!r}")
    if not secret:
        raise ValueError("the endpoint secret is empty: pass the webhook endpoint's signing secret (whsec_...)")
    if sig_header is None or not sig_header.strip():
        raise SignatureVerificationError("No Stripe-Signature header (was this request sent by Stripe?)", sig_header)
    timestamp, signatures = _parse_header(sig_header)
    expected = compute_signature(payload, secret, timestamp)
    # Compare with every signature (no early exit): which one matched reveals nothing through timing.
    matches = [hmac.compare_digest(expected.encode(), s.encode("utf-8", "replace")) for s in signatures]
    if not any(matches):
        raise SignatureVerificationError(
            f"No {SCHEME} signature in the Stripe-Signature header matches the payload ({len(signatures)} tried): "
            "the endpoint secret is wrong, or the body was altered (verify the raw body as received)",
            sig_header,
        )
    if tolerance is not None:
        age = int(now()) - timestamp  # integers: an absurdly large signed timestamp must not overflow a float
        if age > tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone: signed {age} s ago, tolerance {tolerance:g} s "
                "(a replayed or long-delayed delivery)",
                sig_header,
            )
        if -age > tolerance:
            raise SignatureVerificationError(
                f"Timestamp outside the tolerance zone: signed {-age} s in the future, tolerance {tolerance:g} s "
                "(check this server's clock)",
                sig_header,
            )
    return timestamp


def parse_event(payload: bytes | str, *, strict: bool = False) -> Event:
    """An `Event` from a (verified) payload; `data.object` becomes the model its `object` names.

    Raises `ValueError` when the payload is not JSON (nested too deeply included) or not an event, and
    under `strict` when it departs from the models (pydantic's `ValidationError` is a `ValueError`).
    """
    from pydantic_core import from_json

    from stripe_connect._parse import parse_python
    from stripe_connect._registry import generated_models

    try:
        data: Any = from_json(payload)  # a depth limit, where json.loads raises RecursionError
    except ValueError as exc:
        raise ValueError(f"the webhook payload is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("object") != "event":  # pyright: ignore[reportUnknownMemberType]
        raise ValueError('the webhook payload is not a Stripe event (a JSON object with `object: "event"`)')
    version = data.get("api_version")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    event: Event = parse_python(
        generated_models().model("Event"),
        data,
        strict=strict,
        api_version=version if isinstance(version, str) else None,
    )
    return event


def construct_event(
    payload: bytes | str,
    sig_header: str | None,
    secret: str,
    tolerance: float | None = DEFAULT_TOLERANCE,
    *,
    now: Callable[[], float] = time.time,
    strict: bool = False,
) -> Event:
    """Verify a webhook delivery and return its `Event` (see the module doc for what is checked).

    Args:
        payload: the request body exactly as received (bytes, or text decoded from UTF-8).
        sig_header: the `Stripe-Signature` request header (None when absent).
        secret: the webhook endpoint's signing secret (`whsec_...`).
        tolerance: seconds the signature's timestamp may differ from now, either way; None skips the check.
        now: the clock (tests pass a fixed one).
        strict: raise when the event departs from the models, instead of keeping what does not fit as sent.
    """
    verify_header(payload, sig_header, secret, tolerance, now=now)
    return parse_event(payload, strict=strict)


class Webhooks:
    """`client.webhooks`: verifying and parsing the events Stripe posts to your endpoints.

    Events are parsed leniently unless the client (or a call here) says `strict=True`.
    """

    __slots__ = ("_strict",)

    def __init__(self, *, strict: bool = False) -> None:
        self._strict = strict

    def construct_event(
        self,
        payload: bytes | str,
        sig_header: str | None,
        secret: str,
        tolerance: float | None = DEFAULT_TOLERANCE,
        *,
        now: Callable[[], float] = time.time,
        strict: bool | None = None,
    ) -> Event:
        """Verify a webhook delivery and return its `Event`; see `stripe_connect.webhooks.construct_event`.

        `strict` defaults to the client's.
        """
        return construct_event(
            payload, sig_header, secret, tolerance, now=now, strict=self._strict if strict is None else strict
        )

    def verify_header(
        self,
        payload: bytes | str,
        sig_header: str | None,
        secret: str,
        tolerance: float | None = DEFAULT_TOLERANCE,
        *,
        now: Callable[[], float] = time.time,
    ) -> int:
        """Check a `Stripe-Signature` without parsing the payload; returns the signed timestamp."""
        return verify_header(payload, sig_header, secret, tolerance, now=now)
