"""A Connect platform's day, against a local mock of the Stripe API (no Stripe key, no network).

Starts Steady on Stripe's pinned OpenAPI document (it validates every request against the spec and
answers with generated, schema-valid objects), then drives it the way a platform drives Stripe: as the
platform, on behalf of connected accounts (client-level and per request), listing, paging and creating.

    make walkthrough        # or: .venv/bin/python examples/connect_walkthrough.py
"""

from __future__ import annotations

import itertools

import httpx

from codegen.pin import materialize
from stripe_connect import StripeClient
from stripe_connect.testing import SteadyServer

PLATFORM_KEY = "sk_test_platform_walkthrough"


def show(response: httpx.Response) -> None:
    request = response.request
    account = request.headers.get("stripe-account", "(platform)")
    valid = response.headers.get("x-steady-request-valid")
    print(
        f"    -> {request.method} {request.url.path} [Stripe-Account: {account}] {response.status_code} valid={valid}"
    )


def main() -> None:
    with SteadyServer(materialize()) as steady, httpx.Client(event_hooks={"response": [show]}) as http:
        print(f"Steady is serving Stripe's API {steady.url}\n")
        platform = StripeClient(PLATFORM_KEY, api_base=steady.url, files_base=steady.url, http_client=http)

        print("1. The platform onboards a connected account (nested params, a list of capabilities)")
        account = platform.accounts.create(
            type="express",
            country="US",
            email="owner@example.com",
            capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}},
            business_profile={"mcc": "5734", "url": "https://shop.example.com"},
            metadata={"tenant": "t_42"},
        )
        print(f"   created {type(account).__name__} {account.id[:24]}...\n")

        print("2. A client scoped to one connected account (client-level Stripe-Account)")
        shop = platform.with_options(stripe_account="acct_1ShopOwner")
        balance = shop.balance.retrieve()
        print(f"   {type(balance).__name__}: {len(balance.available)} available amount(s)")
        customer = shop.customers.create(
            email="jenny@example.com",
            address={"line1": "1 Main St", "city": "Springfield", "country": "US"},
            invoice_settings={"custom_fields": [{"name": "PO", "value": "42"}]},
            preferred_locales=["en", "fr"],
        )
        print(f"   created {type(customer).__name__} {customer.id[:24]}...\n")

        print("3. The same client, one call for another account (per-request override)")
        charges = shop.charges.list(limit=3, stripe_account="acct_2OtherShop", expand=["data.customer"])
        print(f"   {type(charges).__name__} of {len(charges.data)} {type(charges.data[0]).__name__}(s)\n")

        print("4. Paging through a list: every page repeats the filters and the account")
        for payout in itertools.islice(shop.payouts.list(limit=2, status="paid").auto_paging_iter(), 3):
            print(f"   {type(payout).__name__} {payout.id[:24]}... {payout.amount} {payout.currency}")
        print()

        print("5. A destination charge on the platform, for the connected account")
        intent = platform.payment_intents.create(
            amount=2000,
            currency="usd",
            automatic_payment_methods={"enabled": True},
            application_fee_amount=200,
            transfer_data={"destination": "acct_1ShopOwner"},
        )
        print(f"   {type(intent).__name__} {intent.id[:24]}... status={intent.status}")


if __name__ == "__main__":
    main()
