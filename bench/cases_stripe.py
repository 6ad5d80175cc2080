"""The benchmark cases with Stripe's official SDK (`stripe==16.1.0`), as its README calls it:
`StripeClient` services under `client.v1`, its default HTTP clients (requests; httpx for async).

Runs in bench/.venv-stripe, where stripe-connect is not installed (and pyright cannot see `stripe`)."""

from __future__ import annotations

import itertools
import os
import warnings
from functools import cached_property
from typing import TYPE_CHECKING, Any

import stripe  # pyright: ignore[reportMissingImports]
from common import (
    ACCOUNTS,
    API_KEY,
    API_VERSION,
    AUTO_PAGING_ITEMS,
    CHARGE_ID,
    CUSTOMER_PARAMS,
    FANOUT,
    PAGE_SIZE,
    fan_out,
)

if TYPE_CHECKING:
    import asyncio

NAME = "stripe-python"

# `client.charges` and friends warn that `client.v1.charges` is the new spelling; we use the new one.
warnings.simplefilter("ignore", DeprecationWarning)


class Cases:
    def __init__(self, base_url: str) -> None:
        # The https cases' test authority (with certifi's), as stripe-python is told to trust one.
        if "BENCH_CA_BUNDLE" in os.environ:
            stripe.ca_bundle_path = os.environ["BENCH_CA_BUNDLE"]
        self.base_url = base_url
        self.client: Any = stripe.StripeClient(API_KEY, stripe_version=API_VERSION, base_addresses={"api": base_url})
        self.accounts = itertools.cycle(ACCOUNTS)

    def retrieve(self) -> None:
        charge = self.client.v1.charges.retrieve(CHARGE_ID)
        assert charge.object == "charge"

    def create(self) -> None:
        customer = self.client.v1.customers.create(params=CUSTOMER_PARAMS)
        assert customer.object == "customer" and not isinstance(customer.default_source, str)

    def list(self) -> None:
        page = self.client.v1.charges.list(params={"limit": PAGE_SIZE})
        assert len(page.data) == PAGE_SIZE

    def auto_paging(self) -> None:
        count = sum(1 for _ in self.client.v1.charges.list(params={"limit": PAGE_SIZE}).auto_paging_iter())
        assert count == AUTO_PAGING_ITEMS

    def derive(self) -> None:
        # stripe-python has no derived clients: a client per account, sharing the HTTP client (as its own
        # `with_stripe_context` does).
        stripe.StripeClient(
            API_KEY,
            stripe_account=next(self.accounts),
            stripe_version=API_VERSION,
            base_addresses={"api": self.base_url},
            http_client=self.client._requestor._client,
        )

    @cached_property
    def loop(self) -> asyncio.AbstractEventLoop:
        import asyncio

        return asyncio.new_event_loop()

    def async_retrieve(self) -> None:
        retrieve = self.client.v1.charges.retrieve_async(CHARGE_ID, options={"stripe_account": ACCOUNTS[0]})
        charge = self.loop.run_until_complete(retrieve)
        assert charge.object == "charge"

    def fanout(self) -> None:
        self.loop.run_until_complete(self._fanout())

    async def _fanout(self) -> None:
        retrieve = self.client.v1.charges.retrieve_async
        charges = await fan_out(lambda account: retrieve(CHARGE_ID, options={"stripe_account": account}))
        assert len(charges) == FANOUT and charges[-1].object == "charge"

    def close(self) -> None:
        if "loop" in self.__dict__:
            self.loop.close()
