"""CSRF protection for the OAuth callback: a `state` bound to your user's session, signed, expiring, used once.

    states = OAuthState(secret=settings.OAUTH_STATE_SECRET)          # >= 16 random bytes, kept server side
    url = client.oauth.authorize_url(scope="read_write", state=states.create(session_id))
    ...
    states.verify(request.args["state"], session_id)                # on the callback, before the token call

A state is `v1.<nonce>.<expiry>.<signature>`: 128 random bits, a Unix expiry, and an HMAC-SHA256 over both
and the session it was made for. `verify` raises `InvalidStateError` (missing, malformed, altered, or made
for another session or with another secret), `ExpiredStateError` or `ReplayedStateError` (a second use:
every verified nonce is recorded in a `UsedStateStore` until it expires). The default store lives in
memory, for one process; give several processes a shared one (Redis `SET key 1 NX EXAT expiry`, or a
table with a unique key) by implementing the one-method `UsedStateStore` protocol.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import Protocol

from stripe_connect._errors import StripeError

__all__ = [
    "ExpiredStateError",
    "InMemoryUsedStateStore",
    "InvalidStateError",
    "OAuthState",
    "OAuthStateError",
    "ReplayedStateError",
    "UsedStateStore",
]

_VERSION = "v1"
_DOMAIN = b"stripe-connect/oauth-state/v1\x00"
_NONCE_BYTES = 16
MIN_SECRET_BYTES = 16


class OAuthStateError(StripeError, ValueError):
    """The OAuth callback's `state` is not one this server issued for this session, now, for the first time."""


class InvalidStateError(OAuthStateError):
    """Missing, malformed, altered, or made for another session (or with another secret)."""


class ExpiredStateError(OAuthStateError):
    """Issued more than `ttl` seconds ago: the user should start connecting again."""


class ReplayedStateError(OAuthStateError):
    """Already used once: a callback URL was replayed."""


class UsedStateStore(Protocol):
    """Where verified states are recorded, so that each verifies once."""

    def add_if_absent(self, key: str, expires_at: float) -> bool:
        """Record `key` until `expires_at` (Unix time) and return True, or return False if it is recorded already.

        Must be atomic: of two concurrent calls with one key, exactly one returns True. The record may be
        dropped after `expires_at` (an expired state is refused before the store is asked)."""
        ...


class InMemoryUsedStateStore:
    """A thread-safe `UsedStateStore` in this process's memory; records are pruned once they expire."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._used: dict[str, float] = {}
        self._expiries: list[tuple[float, str]] = []

    def add_if_absent(self, key: str, expires_at: float) -> bool:
        with self._lock:
            self._prune(self._clock())
            if key in self._used:
                return False
            self._used[key] = expires_at
            heapq.heappush(self._expiries, (expires_at, key))
            return True

    def _prune(self, now: float) -> None:
        while self._expiries and self._expiries[0][0] < now:
            _, key = heapq.heappop(self._expiries)
            self._used.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._used)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class OAuthState:
    """Creates and verifies OAuth `state` values. Thread-safe; share one per application.

    Args:
        secret: a server-side secret of at least 16 bytes (e.g. `secrets.token_bytes(32)`); every
            process that verifies must use the same one.
        ttl: seconds a state stays valid (default 10 minutes: time for a user to sign up at Stripe).
        store: where used states are recorded (default: a new `InMemoryUsedStateStore`).
        clock: Unix time now (tests pass a fake).
    """

    def __init__(
        self,
        secret: str | bytes,
        *,
        ttl: float = 600.0,
        store: UsedStateStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        key = secret.encode() if isinstance(secret, str) else secret
        if len(key) < MIN_SECRET_BYTES:
            raise ValueError(f"secret must be at least {MIN_SECRET_BYTES} bytes; use secrets.token_bytes(32)")
        if not ttl > 0:
            raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
        self._key = key
        self.ttl = ttl
        self.store: UsedStateStore = store if store is not None else InMemoryUsedStateStore(clock)
        self._clock = clock

    def __repr__(self) -> str:
        return f"OAuthState(ttl={self.ttl!r}, store={type(self.store).__name__})"

    def _signature(self, nonce: str, expires: str, session: str) -> str:
        message = _DOMAIN + b"\x00".join((nonce.encode(), expires.encode(), session.encode()))
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())

    @staticmethod
    def _check_session(session: str) -> None:
        if not isinstance(session, str) or not session:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError("session must be a non-empty string identifying your user's session")

    def create(self, session: str) -> str:
        """A new state for `session` (your user's session id, or user id): pass it to `authorize_url(state=...)`."""
        self._check_session(session)
        nonce = _b64(secrets.token_bytes(_NONCE_BYTES))
        expires = str(int(self._clock() + self.ttl))
        return f"{_VERSION}.{nonce}.{expires}.{self._signature(nonce, expires, session)}"

    def verify(self, state: str | None, session: str) -> None:
        """Accept `state` once, for the session it was created for, before it expires; raise otherwise.

        Call it on the callback before exchanging the code. Raises `InvalidStateError`,
        `ExpiredStateError` or `ReplayedStateError` (all `OAuthStateError`, a `ValueError`).
        """
        self._check_session(session)
        if not state:
            raise InvalidStateError(
                "the OAuth callback carried no state; it did not come from a flow this server started"
            )
        parts = state.split(".")
        if len(parts) != 4 or parts[0] != _VERSION:
            raise InvalidStateError("the OAuth state is malformed (not one this server created)")
        _, nonce, expires, signature = parts
        try:
            well_formed = len(_unb64(nonce)) == _NONCE_BYTES and expires.isascii() and expires.isdigit()
        except (binascii.Error, ValueError):
            well_formed = False
        if not well_formed:
            raise InvalidStateError("the OAuth state is malformed (not one this server created)")
        if not hmac.compare_digest(self._signature(nonce, expires, session).encode(), signature.encode()):
            raise InvalidStateError(
                "the OAuth state does not verify: it was altered, or created for another session or with another secret"
            )
        now = self._clock()
        if now > int(expires):
            raise ExpiredStateError(f"the OAuth state expired {now - int(expires):.0f} s ago; start connecting again")
        if not self.store.add_if_absent(nonce, float(expires)):
            raise ReplayedStateError("the OAuth state was already used: each authorization callback is accepted once")
