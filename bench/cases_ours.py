"""The benchmark cases with stripe-connect, the way its README tells users to call it."""

from __future__ import annotations

import itertools
from functools import cached_property
from typing import TYPE_CHECKING

from common import ACCOUNTS, API_KEY, AUTO_PAGING_ITEMS, CHARGE_ID, CUSTOMER_PARAMS, FANOUT, PAGE_SIZE, fan_out

from stripe_connect import AsyncStripeClient, StripeClient

if TYPE_CHECKING:
    import asyncio

NAME = "stripe-connect"


class Cases:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.client = StripeClient(API_KEY, api_base=base_url)
        self.accounts = itertools.cycle(ACCOUNTS)

    def retrieve(self) -> None:
        charge = self.client.charges.retrieve(CHARGE_ID)
        assert charge.object == "charge"

    def create(self) -> None:
        customer = self.client.customers.create(**CUSTOMER_PARAMS)
        assert customer.object == "customer" and not isinstance(customer.default_source, str)

    def list(self) -> None:
        page = self.client.charges.list(limit=PAGE_SIZE)
        assert len(page.data) == PAGE_SIZE

    def auto_paging(self) -> None:
        count = sum(1 for _ in self.client.charges.list(limit=PAGE_SIZE).auto_paging_iter())
        assert count == AUTO_PAGING_ITEMS

    def derive(self) -> None:
        self.client.with_options(stripe_account=next(self.accounts))

    # Async: one event loop and client for the worker's life, made on first use.
    @cached_property
    def loop(self) -> asyncio.AbstractEventLoop:
        import asyncio

        return asyncio.new_event_loop()

    @cached_property
    def async_client(self) -> AsyncStripeClient:
        return AsyncStripeClient(API_KEY, api_base=self.base_url)

    def async_retrieve(self) -> None:
        charge = self.loop.run_until_complete(self.async_client.charges.retrieve(CHARGE_ID, stripe_account=ACCOUNTS[0]))
        assert charge.object == "charge"

    def fanout(self) -> None:
        self.loop.run_until_complete(self._fanout())

    async def _fanout(self) -> None:
        charges = self.async_client.charges
        results = await fan_out(lambda account: charges.retrieve(CHARGE_ID, stripe_account=account))
        assert len(results) == FANOUT and results[-1].object == "charge"

    def close(self) -> None:
        self.client.close()
        if "loop" in self.__dict__:
            self.loop.run_until_complete(self.async_client.aclose())
            self.loop.close()
