"""docs/connect.md cannot drift: every Python block in it runs, in order, in one namespace.

The blocks are written as a user writes them (`StripeClient("sk_test_...")`, default hosts). While they
run, the clients' connection pools are made with a transport that sends api.stripe.com to Steady (which
validates every request against the spec) and connect.stripe.com to the local OAuth stand-in; it records
each request, so the test also checks that each pattern sent the `Stripe-Account` it promises.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from stripe_connect import BaseAsyncStripeClient, BaseStripeClient, OAuthState, ReplayedStateError
from stripe_connect.testing import ConnectOAuthServer, SteadyServer

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "connect.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Sent:
    host: str
    method: str
    path: str
    account: str | None
    steady_valid: str | None


class Reroute:
    """Sends requests for Stripe's hosts to local servers instead, and records them."""

    def __init__(self, targets: dict[str, str]) -> None:
        self.targets = {host: httpx.URL(url) for host, url in targets.items()}
        self.sent: list[Sent] = []

    def rewrite(self, request: httpx.Request) -> str:
        host = request.url.host
        target = self.targets.get(host)
        if target is not None:
            request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port)
        return host

    def record(self, host: str, request: httpx.Request, response: httpx.Response) -> None:
        valid = response.headers.get("x-steady-request-valid")
        self.sent.append(Sent(host, request.method, request.url.path, request.headers.get("stripe-account"), valid))


class SyncReroute(httpx.BaseTransport):
    def __init__(self, reroute: Reroute) -> None:
        self.reroute, self.inner = reroute, httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = self.reroute.rewrite(request)
        response = self.inner.handle_request(request)
        self.reroute.record(host, request, response)
        return response


class AsyncReroute(httpx.AsyncBaseTransport):
    def __init__(self, reroute: Reroute) -> None:
        self.reroute, self.inner = reroute, httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = self.reroute.rewrite(request)
        response = await self.inner.handle_async_request(request)
        self.reroute.record(host, request, response)
        return response


def python_blocks(text: str) -> Iterator[tuple[int, str]]:
    for match in BLOCK.finditer(text):
        yield text.count("\n", 0, match.start()) + 2, match.group(1)


@pytest.fixture
def reroute(steady: SteadyServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Reroute]:
    with ConnectOAuthServer(client_id="ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7") as connect:
        routes = Reroute(
            {"api.stripe.com": steady.url, "files.stripe.com": steady.url, "connect.stripe.com": connect.url}
        )
        monkeypatch.setattr(
            BaseStripeClient, "_new_http_client", lambda _self: httpx.Client(transport=SyncReroute(routes))
        )
        monkeypatch.setattr(
            BaseAsyncStripeClient, "_new_http_client", lambda _self: httpx.AsyncClient(transport=AsyncReroute(routes))
        )
        monkeypatch.setenv("OAUTH_STATE_SECRET", "a-test-secret-of-at-least-32-bytes!")
        yield routes


def test_every_python_block_of_the_connect_guide_runs(reroute: Reroute) -> None:
    text = GUIDE.read_text()
    blocks = list(python_blocks(text))
    assert len(blocks) >= 10
    namespace: dict[str, Any] = {"__name__": "connect_guide"}
    out = io.StringIO()
    for line, code in blocks:
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{GUIDE}:{line}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"the block at docs/connect.md line {line} failed: {exc!r}") from exc
    printed = out.getvalue()

    api = [s for s in reroute.sent if s.host == "api.stripe.com"]
    assert api and all(s.steady_valid == "true" for s in api), [s for s in api if s.steady_valid != "true"]
    calls = {(s.method, s.path, s.account) for s in api}
    # 1. client-level account
    assert {("GET", "/v1/balance", "acct_1ShopOwner"), ("POST", "/v1/customers", "acct_1ShopOwner")} <= calls
    # 2. per-request override, and back to the platform for one call
    assert {("GET", "/v1/charges", "acct_2OtherShop"), ("GET", "/v1/balance", None)} <= calls
    # 3. a client per tenant
    assert {("GET", "/v1/payouts", "acct_1ShopOwner"), ("GET", "/v1/payouts", "acct_2OtherShop")} <= calls
    # the async fan-out
    fanned = {s.account for s in api if s.path == "/v1/balance"}
    assert {"acct_1ShopOwner", "acct_2OtherShop", "acct_3ThirdShop"} <= fanned

    # OAuth, end to end against the stand-in the guide starts itself
    account_id = namespace["account_id"]
    assert account_id.startswith("acct_") and namespace["connections"] == {}
    assert ("GET", "/v1/charges", account_id) in calls  # used by id
    assert "refused: ReplayedStateError" in printed
    assert "after disconnecting, the refresh token is refused: invalid_grant" in printed
    assert "access_token='sk_test_***'" in printed
    assert re.search(r"https://connect\.stripe\.com/oauth/authorize\?scope=read_write&redirect_uri=", printed)
    assert not [s for s in reroute.sent if s.host == "connect.stripe.com"]  # only the local stand-in was called

    # The Redis store sketch keeps the UsedStateStore contract (with redis-py's `set(nx=, exat=)` semantics).
    class FakeRedis:
        def __init__(self) -> None:
            self.keys: dict[str, int] = {}

        def set(self, name: str, value: object, *, nx: bool, exat: int) -> bool | None:
            if nx and name in self.keys:
                return None
            self.keys[name] = exat
            return True

    redis = FakeRedis()
    states: OAuthState = namespace["shared_states"](redis)
    state = states.create("s")
    states.verify(state, "s")
    with pytest.raises(ReplayedStateError):
        namespace["shared_states"](redis).verify(state, "s")  # another process, the same store
    assert list(redis.keys) == [f"oauth-state:{state.split('.')[1]}"]
    assert redis.keys[f"oauth-state:{state.split('.')[1]}"] == int(state.split(".")[2]) + 1


def test_the_readme_links_the_guide() -> None:
    assert "docs/connect.md" in (ROOT / "README.md").read_text()


def assert_walkthrough_succeeded(result: subprocess.CompletedProcess[str]) -> None:
    """Every step ran and Steady validated each request (test_installed.py runs it from a wheel too)."""
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "valid=false" not in out
    assert "state verified (and refused when replayed)" in out
    assert "its refresh token now fails: InvalidGrantError (invalid_grant)" in out
    assert "access_token='sk_test_***'" in out
    for account in ("acct_1ShopOwner", "acct_2OtherShop", "acct_3ThirdShop", "acct_4FourthShop"):
        assert f"-> GET /v1/balance [Stripe-Account: {account}] 200 valid=true" in out


def test_the_walkthrough_runs_its_oauth_round_trip_and_async_fan_out() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "connect_walkthrough.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_walkthrough_succeeded(result)
