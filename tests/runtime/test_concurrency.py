"""Tenant-scoped clients under concurrency: every request carries the account its caller asked for.

A recording server on 127.0.0.1 (tests/support/recording_server.py) answers `GET /v1/customers/{tag}` and records
which `Stripe-Account` the request carried; each caller asks for a unique tag, so every request is matched
to its caller's intent, and each response (which echoes the account) to its caller.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from stripe_connect import AsyncStripeClient, BaseStripeClient, StripeClient
from stripe_connect.models import Customer
from stripe_connect.services import AsyncCustomerService, CustomerService

ACCOUNTS = [f"acct_{i:03d}tenant" for i in range(100)]
PER_HALF = 5_000
PLATFORM = "(platform)"


class RecordingServer:
    """tests/support/recording_server.py in its own process (so it shares neither the GIL nor a core with the test)."""

    def __init__(self) -> None:
        script = Path(__file__).resolve().parents[1] / "support" / "recording_server.py"
        self._process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.url = f"http://127.0.0.1:{int(self._process.stdout.readline())}"

    def records(self) -> list[tuple[str, str]]:
        return [(tag, account) for tag, account in httpx.get(f"{self.url}/__records").json()]

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    running = RecordingServer()
    yield running
    running.stop()


def sync_job(client: StripeClient, tenants: dict[str, StripeClient], i: int) -> tuple[str, str]:
    """One request in one of the ways a platform targets an account; returns (tag, the account intended)."""
    tag = f"cus_sync{i}"
    account, other = ACCOUNTS[i % 100], ACCOUNTS[(i * 7 + 3) % 100]
    mode = i % 6
    if mode == 0:
        customer = client.customers.retrieve(tag, stripe_account=account)  # per-request option
    elif mode == 1:
        customer = client.with_options(stripe_account=account).customers.retrieve(tag)  # derived per call
    elif mode == 2:
        customer = tenants[account].customers.retrieve(tag)  # a derived client shared by every thread
    elif mode == 3:
        customer = tenants[other].customers.retrieve(tag, stripe_account=account)  # override on a derived one
    elif mode == 4:
        customer = CustomerService(client.for_account(account)).retrieve(tag)  # seed style
    else:
        customer = tenants[other].with_options(stripe_account=None).customers.retrieve(tag)  # back to the platform
        account = PLATFORM
    # The response came back to its caller, and the account the server saw is the one asked for.
    assert isinstance(customer, Customer) and customer.id == tag and customer.metadata == {"seen": account}
    return tag, account


async def async_job(client: AsyncStripeClient, tenants: dict[str, AsyncStripeClient], i: int) -> tuple[str, str]:
    tag = f"cus_async{i}"
    account, other = ACCOUNTS[i % 100], ACCOUNTS[(i * 11 + 5) % 100]
    mode = i % 6
    if mode == 0:
        customer = await client.customers.retrieve(tag, stripe_account=account)
    elif mode == 1:
        customer = await client.with_options(stripe_account=account).customers.retrieve(tag)
    elif mode == 2:
        customer = await tenants[account].customers.retrieve(tag)
    elif mode == 3:
        customer = await tenants[other].customers.retrieve(tag, stripe_account=account)
    elif mode == 4:
        customer = await AsyncCustomerService(client.for_account(account)).retrieve(tag)
    else:
        customer = await tenants[other].with_options(stripe_account=None).customers.retrieve(tag)
        account = PLATFORM
    assert isinstance(customer, Customer) and customer.id == tag and customer.metadata == {"seen": account}
    return tag, account


@pytest.mark.slow
def test_10k_requests_over_100_accounts_carry_the_account_each_caller_asked_for(
    server: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools_made: list[object] = []
    make_pool = BaseStripeClient._new_http_client

    def counting_factory(self: BaseStripeClient) -> httpx.Client:
        pools_made.append(self)
        return make_pool(self)

    monkeypatch.setattr(BaseStripeClient, "_new_http_client", counting_factory)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)  # switch threads often: more interleavings per request

    # The default retries stay on: under heavy load httpcore's threaded pool has (rarely: once in tens of
    # thousands of requests here) failed a read with EBADF; the SDK retries that as in production, same account.
    sync_client = StripeClient("sk_test_platform", api_base=server.url)
    sync_tenants = {a: sync_client.with_options(stripe_account=a) for a in ACCOUNTS}
    intended: list[tuple[str, str]] = []
    failures: list[BaseException] = []

    def sync_half() -> None:
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                intended.extend(pool.map(lambda i: sync_job(sync_client, sync_tenants, i), range(PER_HALF)))
        except BaseException as exc:  # surfaced below, in the test's thread
            failures.append(exc)

    async def async_half() -> list[tuple[str, str]]:
        # 64 requests in flight at a time, as a real fan-out would bound itself: httpx's pool scans every
        # waiting request on each change, so 1,000 waiters made 2,000 requests take 100 s instead of 10.
        in_flight = asyncio.Semaphore(64)

        async def bounded(i: int) -> tuple[str, str]:
            async with in_flight:
                return await async_job(client, tenants, i)

        async with AsyncStripeClient("sk_test_platform", api_base=server.url) as client:
            tenants = {a: client.with_options(stripe_account=a) for a in ACCOUNTS}
            return await asyncio.gather(*(bounded(i) for i in range(PER_HALF)))

    try:
        threads = threading.Thread(target=sync_half)
        threads.start()  # both halves run at the same time
        intended.extend(asyncio.run(async_half()))
        threads.join()
    finally:
        sys.setswitchinterval(previous)
        sync_client.close()
    if failures:
        raise failures[0]

    assert len(intended) == 2 * PER_HALF == 10_000
    expected = dict(intended)
    records = server.records()
    assert len(expected) == 10_000 and {tag for tag, _ in records} == set(expected)  # every caller was heard
    assert len(records) - len(expected) <= 10  # a retry is recorded twice; retries must stay exceptional
    # Every request the server saw, retries included, carried the account its caller asked for.
    mismatches = [(tag, account, expected[tag]) for tag, account in records if account != expected[tag]]
    assert mismatches == []
    assert {account for _, account in records} == {*ACCOUNTS, PLATFORM}
    assert len(pools_made) == 1  # every derived sync client used the one pool of the client it came from


def test_deriving_while_other_threads_create_services_is_safe() -> None:
    # with_options used to iterate the client's __dict__ while a cached service could be added to it:
    # "RuntimeError: dictionary changed size during iteration" in about 1 round of 10.
    names = [n for n in dir(StripeClient) if isinstance(getattr(StripeClient, n, None), type(StripeClient.charges))]
    assert len(names) > 50
    errors: list[BaseException] = []
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(150):
            client = StripeClient("sk_test_1")
            start = threading.Barrier(2)

            def touch(c: StripeClient = client, go: threading.Barrier = start) -> None:
                go.wait()
                for name in names:
                    getattr(c, name)

            def derive(c: StripeClient = client, go: threading.Barrier = start) -> None:
                go.wait()
                try:
                    for i in range(200):
                        c.with_options(stripe_account=f"acct_{i}")
                except BaseException as exc:
                    errors.append(exc)

            workers = [threading.Thread(target=touch), threading.Thread(target=derive)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    finally:
        sys.setswitchinterval(previous)
    assert errors == []


def test_with_options_is_cheap_immutable_and_can_clear_the_account(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real: Callable[[BaseStripeClient], httpx.Client] = BaseStripeClient._new_http_client
    monkeypatch.setattr(BaseStripeClient, "_new_http_client", lambda self: made.append(self) or real(self))

    platform = StripeClient("sk_test_1", stripe_account="acct_default", http_client=None)
    tenants = [platform.with_options(stripe_account=a) for a in ACCOUNTS * 100]  # 10,000 derived clients
    assert made == []  # deriving opens nothing
    assert all(t._pool is platform._pool for t in tenants)

    tenant = platform.for_account("acct_1")
    assert tenant.options.stripe_account == "acct_1" and platform.options.stripe_account == "acct_default"
    assert tenant.options == dataclasses.replace(platform.options, stripe_account="acct_1")
    assert tenant.with_options(stripe_account=None).options.stripe_account is None
    assert tenant.options.stripe_account == "acct_1"  # deriving never changes the source
    with pytest.raises(dataclasses.FrozenInstanceError):
        tenant.options.stripe_account = "acct_2"  # type: ignore[misc]
    with pytest.raises(TypeError, match="unknown option"):
        tenant.with_options(stripe_acount="acct_2")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="stripe_account must be a non-empty"):
        tenant.with_options(stripe_account="")

    # Services belong to the client they were reached from, so a tenant's calls carry the tenant's account.
    assert tenant.customers is not platform.customers and tenant.customers._client is tenant
    assert platform.customers._client is platform


def test_only_the_constructed_client_closes_the_shared_pool() -> None:
    platform = StripeClient("sk_test_1")
    tenant = platform.for_account("acct_1")
    http = platform._pool.get()
    with tenant:
        pass
    tenant.close()
    assert not http.is_closed  # a tenant leaving `with` must not cut off the other tenants
    platform.close()
    assert http.is_closed
    platform.close()  # already closed: nothing to do, no error
