"""Shared fixtures: the pinned spec, and Steady (a validating mock server) serving it.

The Steady tests also run against an installed wheel, outside the checkout (tests/integration/test_installed.py): there
`codegen` is absent and the document's path arrives in $STRIPE_CONNECT_TEST_SPEC.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from stripe_connect import StripeClient
from stripe_connect.testing import SteadyServer
from tests.support.fault_server import FaultServer

if TYPE_CHECKING:
    from tests.support.artifacts import Artifacts

API_KEY = "sk_test_51HqLyjWDarjtT1zdp7dcXNNsqp4aQFkqB3c4ZGGi9aszm0r1Fs9GBfNxRBEX2vwFK9PU6d2NYyeiZJeMcOsk3Sn4007rbYiSjB"

# The checkout's Steady (`npm ci`, the pinned version, ahead of whatever the PATH has), unless the run names
# one: the package itself looks only at $STRIPE_CONNECT_STEADY and the PATH.
CHECKOUT_STEADY = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "steady"


def pytest_configure(config: pytest.Config) -> None:
    if "STRIPE_CONNECT_STEADY" not in os.environ and CHECKOUT_STEADY.is_file():
        os.environ["STRIPE_CONNECT_STEADY"] = str(CHECKOUT_STEADY)


@pytest.fixture(scope="session")
def spec_path() -> Path:
    given = os.environ.get("STRIPE_CONNECT_TEST_SPEC")
    if given:
        return Path(given)
    from codegen.pin import MATERIALIZED, materialize

    return materialize() if not MATERIALIZED.exists() else MATERIALIZED


@pytest.fixture(scope="session")
def spec(spec_path: Path) -> dict[str, Any]:
    from codegen.load import load_spec

    return load_spec(spec_path)


@pytest.fixture(scope="session")
def steady(spec_path: Path) -> Iterator[SteadyServer]:
    with SteadyServer(spec_path) as server:
        yield server


class SteadyLog:
    """What Steady said about each request: whether it validated, and which spec path it matched."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []

    def record(self, response: httpx.Response) -> None:
        self.responses.append(response)

    @property
    def last(self) -> httpx.Response:
        return self.responses[-1]

    def assert_valid(self, matched_path: str | None = None) -> None:
        response = self.last
        errors = [
            f"{response.headers.get(f'x-steady-error-{i}-path')}: {response.headers.get(f'x-steady-error-{i}-message')}"
            for i in range(1, int(response.headers.get("x-steady-error-count", "0")) + 1)
        ]
        assert response.headers.get("x-steady-request-valid") == "true", errors
        if matched_path is not None:
            assert response.headers.get("x-steady-matched-path") == matched_path


@pytest.fixture
def steady_log() -> SteadyLog:
    return SteadyLog()


@pytest.fixture
def steady_client(steady: SteadyServer, steady_log: SteadyLog) -> Iterator[StripeClient]:
    http = httpx.Client(event_hooks={"response": [steady_log.record]})
    client = StripeClient(API_KEY, api_base=steady.url, files_base=steady.url, max_retries=0, http_client=http)
    yield client
    http.close()


@pytest.fixture
def fault() -> Iterator[FaultServer]:
    """A scripted HTTP server on 127.0.0.1 for retries, faults, paging and errors (tests/support/fault_server.py)."""
    with FaultServer() as server:
        yield server


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """sdist and wheels built from a clean copy of the checkout (tests/support/artifacts.py), once per run."""
    from tests.support.artifacts import build_all, located, once, run_temp

    return located(once(run_temp(tmp_path_factory) / "artifacts", build_all))
