"""The benchmark cases with raw httpx: what a hand-written integration does at the least (send the
request with Stripe's headers, `json.loads` the body). The floor the SDKs are measured against."""

from __future__ import annotations

import itertools
import json
import uuid
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx
from common import (
    ACCOUNTS,
    API_KEY,
    API_VERSION,
    AUTO_PAGING_ITEMS,
    CHARGE_ID,
    FANOUT,
    PAGE_SIZE,
    RAW_CUSTOMER_FORM,
    fan_out,
)

if TYPE_CHECKING:
    import asyncio

NAME = "raw httpx"

HEADERS = {"Authorization": f"Bearer {API_KEY}", "Stripe-Version": API_VERSION, "User-Agent": "bench/1.0"}


class Cases:
    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.http = httpx.Client()
        self.accounts = itertools.cycle(ACCOUNTS)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.http.get(self.base + path, params=params, headers=HEADERS)
        assert response.status_code == 200
        return json.loads(response.content)

    def retrieve(self) -> None:
        charge = self._get(f"/v1/charges/{CHARGE_ID}")
        assert charge["object"] == "charge"

    def create(self) -> None:
        headers = {**HEADERS, "Idempotency-Key": str(uuid.uuid4())}
        response = self.http.post(self.base + "/v1/customers", data=RAW_CUSTOMER_FORM, headers=headers)
        assert response.status_code == 200
        customer = json.loads(response.content)
        assert customer["object"] == "customer" and not isinstance(customer["default_source"], str)

    def list(self) -> None:
        page = self._get("/v1/charges", {"limit": PAGE_SIZE})
        assert len(page["data"]) == PAGE_SIZE

    def auto_paging(self) -> None:
        count = 0
        params: dict[str, Any] = {"limit": PAGE_SIZE}
        while True:
            page = self._get("/v1/charges", params)
            count += len(page["data"])
            if not page["has_more"]:
                break
            params = {"limit": PAGE_SIZE, "starting_after": page["data"][-1]["id"]}
        assert count == AUTO_PAGING_ITEMS

    def derive(self) -> None:
        # A raw integration's "client for one account" is the headers it sends.
        _ = {**HEADERS, "Stripe-Account": next(self.accounts)}

    @cached_property
    def loop(self) -> asyncio.AbstractEventLoop:
        import asyncio

        return asyncio.new_event_loop()

    @cached_property
    def async_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient()

    async def _retrieve_async(self, account: str) -> Any:
        headers = {**HEADERS, "Stripe-Account": account}
        response = await self.async_http.get(f"{self.base}/v1/charges/{CHARGE_ID}", headers=headers)
        assert response.status_code == 200
        return json.loads(response.content)

    def async_retrieve(self) -> None:
        charge = self.loop.run_until_complete(self._retrieve_async(ACCOUNTS[0]))
        assert charge["object"] == "charge"

    def fanout(self) -> None:
        self.loop.run_until_complete(self._fanout())

    async def _fanout(self) -> None:
        charges = await fan_out(self._retrieve_async)
        assert len(charges) == FANOUT and charges[-1]["object"] == "charge"

    def close(self) -> None:
        self.http.close()
        if "loop" in self.__dict__:
            self.loop.run_until_complete(self.async_http.aclose())
            self.loop.close()
