"""A Connect platform's day, against a local mock of the Stripe API (no Stripe key, no network).

Starts Steady on Stripe's pinned OpenAPI document (it validates every request against the spec and
answers with generated, schema-valid objects), then drives it the way a platform drives Stripe: as the
platform, on behalf of connected accounts (client-level and per request), listing, paging and creating;
then onboards an account with OAuth against a local stand-in for connect.stripe.com (Steady cannot serve
OAuth: it is not in the OpenAPI document) and fans out over several accounts with the async client.

    make walkthrough        # or: .venv/bin/python examples/connect_walkthrough.py

With the package installed from a wheel, hand it Stripe's pinned document and Steady's executable:

    STRIPE_CONNECT_STEADY=node_modules/.bin/steady python connect_walkthrough.py path/to/spec3.yaml
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import sys
from pathlib import Path

import httpx

from stripe_connect import AsyncStripeClient, InvalidGrantError, OAuthState, ReplayedStateError, StripeClient
from stripe_connect.testing import ConnectOAuthServer, SteadyServer

PLATFORM_KEY = "sk_test_platform_walkthrough"
CLIENT_ID = "ca_walkthrough_platform"


def show(response: httpx.Response) -> None:
    request = response.request
    account = request.headers.get("stripe-account", "(platform)")
    valid = response.headers.get("x-steady-request-valid", "n/a (OAuth stand-in)")
    print(
        f"    -> {request.method} {request.url.path} [Stripe-Account: {account}] {response.status_code} valid={valid}"
    )


def pinned_spec() -> Path:
    """The document to serve: the path given on the command line, else the checkout's pinned one."""
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    from codegen.pin import materialize  # only a checkout has the pin and its generator

    return materialize()


def main() -> None:
    with SteadyServer(pinned_spec()) as steady, httpx.Client(event_hooks={"response": [show]}) as http:
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
        print(f"   {type(intent).__name__} {intent.id[:24]}... status={intent.status}\n")

        oauth_round_trip(platform)
        asyncio.run(async_fan_out(steady.url))


def oauth_round_trip(platform: StripeClient) -> None:
    print("6. Onboarding an account with OAuth (against a local stand-in for connect.stripe.com)")
    redirect_uri = "https://platform.example.com/oauth/callback"
    states = OAuthState(secret=secrets.token_bytes(32))
    with ConnectOAuthServer(client_id=CLIENT_ID, redirect_uris=[redirect_uri]) as connect:
        oauth = platform.with_options(client_id=CLIENT_ID, connect_base=connect.url)
        url = oauth.oauth.authorize_url(
            scope="read_write", redirect_uri=redirect_uri, state=states.create("session-42"), stripe_landing="register"
        )
        print(f"   authorize URL: {url.split('?')[0]}?{url.split('?')[1][:70]}...")
        location = httpx.get(url).headers["location"]  # the user approves; Stripe redirects to the callback
        callback = dict(httpx.URL(location).params)
        states.verify(callback["state"], "session-42")
        try:
            states.verify(callback["state"], "session-42")
        except ReplayedStateError:
            print(f"   callback: code={callback['code'][:8]}..., state verified (and refused when replayed)")
        token = oauth.oauth.token(grant_type="authorization_code", code=callback["code"])
        print(f"   token exchange -> {token!r}")
        assert token.access_token is not None and token.refresh_token is not None
        connected = oauth.customers.list(limit=1, stripe_account=token.stripe_user_id)
        print(f"   as the account, by its id: {type(connected).__name__}")
        own_key = oauth.customers.list(limit=1, api_key=token.access_token)
        print(f"   as the account, with its access token: {type(own_key).__name__}")
        refreshed = oauth.oauth.token(grant_type="refresh_token", refresh_token=token.refresh_token, scope="read_only")
        print(f"   refreshed: scope={refreshed.scope}")
        gone = oauth.oauth.deauthorize(stripe_user_id=token.stripe_user_id)
        print(f"   deauthorized {gone.stripe_user_id}")
        try:
            oauth.oauth.token(grant_type="refresh_token", refresh_token=token.refresh_token)
        except InvalidGrantError as error:
            print(f"   its refresh token now fails: {type(error).__name__} ({error.code})\n")


async def async_fan_out(api_base: str) -> None:
    print("7. An async fan-out: one AsyncStripeClient, several accounts at once (asyncio.gather)")
    accounts = ["acct_1ShopOwner", "acct_2OtherShop", "acct_3ThirdShop", "acct_4FourthShop"]
    async with (
        httpx.AsyncClient(event_hooks={"response": [show_async]}) as http,
        AsyncStripeClient(PLATFORM_KEY, api_base=api_base, http_client=http) as client,
    ):
        balances = await asyncio.gather(*(client.balance.retrieve(stripe_account=a) for a in accounts))
        print(f"   {len(balances)} {type(balances[0]).__name__}s, one per account")
        tenant = client.for_account(accounts[0])
        payouts = []
        async for payout in tenant.payouts.list(limit=2).auto_paging_iter():
            payouts.append(payout)
            if len(payouts) == 3:
                break
        print(f"   async paging as {tenant.options.stripe_account}: {len(payouts)} {type(payouts[0]).__name__}s")


async def show_async(response: httpx.Response) -> None:
    show(response)


if __name__ == "__main__":
    main()
