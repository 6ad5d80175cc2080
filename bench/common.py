"""What every benchmarked client sends: the same ids, keys, accounts and params (standard library only:
this module is also imported by the stripe-python worker, in its own virtual environment)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

API_KEY = "sk_test_51BenchQx7KzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
API_VERSION = "2023-08-16"
CHARGE_ID = "ch_1NbenchQx7Kz00000001"
EVENT_ID = "evt_1NbenchQx7Kz00000001"
WEBHOOK_SECRET = "whsec_benchQx7KzAbCdEfGhIjKlMnOpQrStUv"
ACCOUNTS = [f"acct_1Bench{i:010d}" for i in range(100)]
SMOKE = os.environ.get("BENCH_SMOKE") == "1"  # run.py --smoke: the same code paths, fewer calls
FANOUT = 50 if SMOKE else 1000  # concurrent retrieves in the async case, spread over ACCOUNTS
IN_FLIGHT = 100  # ... at most this many at a time: the connection limit of httpx's pool (see fan_out)
PAGE_SIZE = 100
AUTO_PAGING_ITEMS = 1000  # the server serves 10 pages of 100
CUSTOMER_EXPAND = ["default_source", "invoice_settings.default_payment_method"]

_ADDRESS = {
    "line1": "510 Townsend St",
    "line2": "Floor 3",
    "city": "San Francisco",
    "state": "CA",
    "postal_code": "94103",
    "country": "US",
}

CUSTOMER_PARAMS: dict[str, Any] = {
    "email": "jenny.rosen@example.com",
    "name": "Jenny Rosen",
    "description": "Customer created by the benchmark",
    "phone": "+15555550123",
    "address": _ADDRESS,
    "shipping": {"name": "Jenny Rosen", "phone": "+15555550123", "address": _ADDRESS},
    "invoice_settings": {
        "custom_fields": [{"name": "PO number", "value": "PO-1234"}, {"name": "Cost center", "value": "CC-77"}],
        "footer": "Thank you for your business",
        "rendering_options": {"amount_tax_display": "include_inclusive_tax"},
    },
    "metadata": {"order_id": "6735", "tier": "gold", "source": "benchmark"},
    "preferred_locales": ["en", "de"],
    "tax_id_data": [{"type": "eu_vat", "value": "DE123456789"}],
    "tax_exempt": "none",
    "expand": CUSTOMER_EXPAND,
}

# The same request as a hand-written integration spells it with raw httpx (the smoke test checks that it
# equals what stripe-connect encodes from CUSTOMER_PARAMS).
RAW_CUSTOMER_FORM: dict[str, str] = {
    "email": "jenny.rosen@example.com",
    "name": "Jenny Rosen",
    "description": "Customer created by the benchmark",
    "phone": "+15555550123",
    "address[line1]": "510 Townsend St",
    "address[line2]": "Floor 3",
    "address[city]": "San Francisco",
    "address[state]": "CA",
    "address[postal_code]": "94103",
    "address[country]": "US",
    "shipping[name]": "Jenny Rosen",
    "shipping[phone]": "+15555550123",
    "shipping[address][line1]": "510 Townsend St",
    "shipping[address][line2]": "Floor 3",
    "shipping[address][city]": "San Francisco",
    "shipping[address][state]": "CA",
    "shipping[address][postal_code]": "94103",
    "shipping[address][country]": "US",
    "invoice_settings[custom_fields][0][name]": "PO number",
    "invoice_settings[custom_fields][0][value]": "PO-1234",
    "invoice_settings[custom_fields][1][name]": "Cost center",
    "invoice_settings[custom_fields][1][value]": "CC-77",
    "invoice_settings[footer]": "Thank you for your business",
    "invoice_settings[rendering_options][amount_tax_display]": "include_inclusive_tax",
    "metadata[order_id]": "6735",
    "metadata[tier]": "gold",
    "metadata[source]": "benchmark",
    "preferred_locales[0]": "en",
    "preferred_locales[1]": "de",
    "tax_id_data[0][type]": "eu_vat",
    "tax_id_data[0][value]": "DE123456789",
    "tax_exempt": "none",
    "expand[0]": "default_source",
    "expand[1]": "invoice_settings.default_payment_method",
}


async def fan_out(retrieve: Callable[[str], Awaitable[T]]) -> list[T]:
    """FANOUT concurrent calls, account after account, at most IN_FLIGHT of them in flight.

    The bound is what makes fan-out fast with any httpx-based client: past its connection limit, httpx's
    pool queues requests and re-scans the queue on every state change, which grows with the square of the
    queue (1,000 unbounded requests take several times longer, for every library alike).
    """
    import asyncio

    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(account: str) -> T:
        async with slots:
            return await retrieve(account)

    return await asyncio.gather(*(one(ACCOUNTS[i % len(ACCOUNTS)]) for i in range(FANOUT)))
