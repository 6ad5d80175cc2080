"""The OAuth `state` helper: fresh values verify once; altered, foreign, expired and replayed ones do not."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stripe_connect import StripeError
from stripe_connect.oauth_state import (
    ExpiredStateError,
    InMemoryUsedStateStore,
    InvalidStateError,
    OAuthState,
    OAuthStateError,
    ReplayedStateError,
    UsedStateStore,
)

SECRET = b"0123456789abcdef0123456789abcdef"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_fresh_state_verifies_once() -> None:
    states = OAuthState(SECRET)
    state = states.create("session-1")
    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{43}", state)
    states.verify(state, "session-1")
    with pytest.raises(ReplayedStateError, match="already used"):
        states.verify(state, "session-1")


def test_states_are_unguessable_and_distinct() -> None:
    states = OAuthState(SECRET)
    made = {states.create("s") for _ in range(1000)}
    assert len(made) == 1000
    assert len({s.split(".")[1] for s in made}) == 1000


def tamper(state: str, part: int) -> str:
    pieces = state.split(".")
    piece = pieces[part]
    pieces[part] = ("1" if piece[-1] != "1" else "2") if part == 2 else piece[:-1] + ("A" if piece[-1] != "A" else "B")
    return ".".join(pieces)


@pytest.mark.parametrize("part", [0, 1, 2, 3], ids=["version", "nonce", "expiry", "signature"])
def test_tampered_states_are_rejected(part: int) -> None:
    states = OAuthState(SECRET)
    state = states.create("session-1")
    with pytest.raises(InvalidStateError):
        states.verify(tamper(state, part), "session-1")
    states.verify(state, "session-1")  # the untouched one still works: a rejected value consumes nothing


def test_a_later_expiry_cannot_be_forged() -> None:
    clock = Clock()
    states = OAuthState(SECRET, ttl=60, clock=clock)
    _, nonce, expires, signature = states.create("s").split(".")
    clock.now += 120
    with pytest.raises(InvalidStateError, match="does not verify"):
        states.verify(f"v1.{nonce}.{int(expires) + 3600}.{signature}", "s")


def test_a_state_is_bound_to_its_session_and_secret() -> None:
    states = OAuthState(SECRET)
    state = states.create("alice-session")
    with pytest.raises(InvalidStateError, match="another session"):
        states.verify(state, "mallory-session")
    with pytest.raises(InvalidStateError, match="does not verify"):
        OAuthState(b"another secret, also 32 bytes!!!").verify(state, "alice-session")
    states.verify(state, "alice-session")


def test_expired_states_are_rejected() -> None:
    clock = Clock()
    states = OAuthState(SECRET, ttl=600, clock=clock)
    state = states.create("s")
    clock.now += 599
    states.verify(state, "s")
    late = states.create("s")
    clock.now += 601
    with pytest.raises(ExpiredStateError, match="expired 1 s ago"):
        states.verify(late, "s")


@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "v1",
        "v1.a.b.c",
        "v2.AAAAAAAAAAAAAAAAAAAAAA.1.x",
        "v1.AAAAAAAAAAAAAAAAAAAAAA.-5.x",
        "v1.é.1.x",
        "a.b.c.d.e",
    ],
)
def test_missing_or_malformed_states_are_rejected(bad: str | None) -> None:
    with pytest.raises(InvalidStateError):
        OAuthState(SECRET).verify(bad, "s")


def test_non_ascii_signature_is_rejected_not_crashing() -> None:
    states = OAuthState(SECRET)
    version, nonce, expires, _ = states.create("s").split(".")
    with pytest.raises(InvalidStateError):
        states.verify(f"{version}.{nonce}.{expires}.é", "s")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_single_character_change_is_rejected(data: st.DataObject) -> None:
    states = OAuthState(SECRET)
    state = states.create("s")
    index = data.draw(st.integers(0, len(state) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda c: c != state[index]))
    changed = state[:index] + replacement + state[index + 1 :]
    with pytest.raises(InvalidStateError):
        states.verify(changed, "s")


def test_errors_are_typed_and_catchable_broadly() -> None:
    for cls in (InvalidStateError, ExpiredStateError, ReplayedStateError):
        assert issubclass(cls, OAuthStateError) and issubclass(cls, StripeError) and issubclass(cls, ValueError)


def test_configuration_is_checked_and_the_secret_never_shown() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        OAuthState("short")
    with pytest.raises(ValueError, match="ttl"):
        OAuthState(SECRET, ttl=0)
    with pytest.raises(ValueError, match="session"):
        OAuthState(SECRET).create("")
    assert SECRET.decode() not in repr(OAuthState(SECRET.decode()))


def test_one_state_verifies_once_under_concurrency() -> None:
    states = OAuthState(SECRET)
    state = states.create("s")
    barrier = threading.Barrier(16)

    def attempt(_: int) -> str:
        barrier.wait()
        try:
            states.verify(state, "s")
        except ReplayedStateError:
            return "replayed"
        return "accepted"

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    assert sorted(outcomes) == ["accepted"] + ["replayed"] * 15


def test_many_states_verify_concurrently() -> None:
    states = OAuthState(SECRET)
    made = [(states.create(f"user-{i}"), f"user-{i}") for i in range(2000)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda pair: states.verify(*pair), made))
    assert len(states.store) == 2000  # type: ignore[arg-type]


def test_the_memory_store_forgets_expired_records() -> None:
    clock = Clock()
    store = InMemoryUsedStateStore(clock)
    assert store.add_if_absent("a", clock.now + 10)
    assert not store.add_if_absent("a", clock.now + 10)
    assert store.add_if_absent("b", clock.now + 100)
    clock.now += 50
    assert store.add_if_absent("c", clock.now + 10)
    assert len(store) == 2  # "a" expired and was dropped


def test_a_pluggable_store_is_used() -> None:
    class DictStore:  # what a Redis `SET key 1 NX EXAT expiry` store looks like
        def __init__(self) -> None:
            self.calls: list[tuple[str, float]] = []
            self.keys: set[str] = set()

        def add_if_absent(self, key: str, expires_at: float) -> bool:
            self.calls.append((key, expires_at))
            if key in self.keys:
                return False
            self.keys.add(key)
            return True

    store = DictStore()
    typed: UsedStateStore = store
    clock = Clock()
    states = OAuthState(SECRET, ttl=60, store=typed, clock=clock)
    state = states.create("s")
    states.verify(state, "s")
    with pytest.raises(ReplayedStateError):
        states.verify(state, "s")
    _, nonce, expires, _ = state.split(".")
    assert store.calls == [(nonce, float(expires))] * 2 and float(expires) == int(clock.now + 60)
    with pytest.raises(InvalidStateError):
        states.verify(tamper(state, 3), "s")
    assert len(store.calls) == 2  # a forged value never reaches the store


def test_two_processes_sharing_secret_and_store_verify_each_others_states() -> None:
    shared = InMemoryUsedStateStore()
    web_1, web_2 = OAuthState(SECRET, store=shared), OAuthState(SECRET, store=shared)
    state = web_1.create("s")
    web_2.verify(state, "s")
    with pytest.raises(ReplayedStateError):
        web_1.verify(state, "s")
