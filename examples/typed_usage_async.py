"""Static typing of the async client and of Connect OAuth: pyright checks this file with 0 errors
(tests/runtime/test_async.py runs it). `reveal_type` is only for pyright.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from stripe_connect import AsyncListObject, AsyncStripeClient, OAuthToken, StripeClient
from stripe_connect.models import Balance, Charge, Customer
from stripe_connect.services import AsyncChargeService


async def typed_async_calls(client: AsyncStripeClient, accounts: list[str], refresh_token: str) -> None:
    charge: Charge = await client.charges.retrieve("ch_123", expand=["customer"], stripe_account="acct_1")
    page: AsyncListObject[Customer] = await client.customers.list(limit=10)
    async for customer in page.auto_paging_iter_async():  # an async client's page walks with `async for`
        print(customer.id)
    async for customer in client.customers.list(limit=100).auto_paging_iter():
        email: str | None = customer.email
        print(email)

    tenant: AsyncStripeClient = client.with_options(stripe_account="acct_456")
    seed_style: Charge = await AsyncChargeService(tenant).retrieve("ch_123")
    balances: list[Balance] = await asyncio.gather(*(client.balance.retrieve(stripe_account=a) for a in accounts))

    url: str = client.oauth.authorize_url(scope="read_write", state="s", stripe_user={"email": "a@example.com"})
    token: OAuthToken = await client.oauth.token(grant_type="authorization_code", code="ac_123")
    account_id: str = token.stripe_user_id
    await client.oauth.deauthorize(stripe_user_id=account_id)
    print(charge.amount, page.data, seed_style.id, balances, url)

    if TYPE_CHECKING:
        reveal_type(client.customers.list(limit=1))  # noqa: F821
        reveal_type(client.customers.search(query="email:'a@example.com'"))  # noqa: F821
        reveal_type(client.oauth.token(grant_type="refresh_token", refresh_token=refresh_token))  # noqa: F821


def typed_sync_oauth(client: StripeClient, refresh_token: str) -> None:
    token: OAuthToken = client.oauth.token(grant_type="refresh_token", refresh_token=refresh_token, scope="read_only")
    if token.access_token is not None:
        client.customers.list(api_key=token.access_token)  # act as the connected account with its own key
    if TYPE_CHECKING:
        reveal_type(client.oauth.deauthorize(stripe_user_id="acct_1"))  # noqa: F821
