"""Static typing, end to end: pyright checks this file with 0 errors (tests/integration/test_typing.py runs it).

Every value below has a precise type an IDE can complete on; `reveal_type` is only for pyright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_connect import ListObject, StripeClient
from stripe_connect.models import Charge, Customer, DeletedCustomer
from stripe_connect.params import CustomerCreateParamsAddress
from stripe_connect.services import ChargeService


def typed_calls(client: StripeClient) -> None:
    charge: Charge = client.charges.retrieve("ch_123", expand=["customer"])
    amount: int = charge.amount
    customer = charge.customer  # the id, or the Customer when expanded
    if customer is not None and not isinstance(customer, str):
        email: str | None = customer.email if isinstance(customer, Customer) else None
        print(email)

    page: ListObject[Customer] = client.customers.list(limit=10, created={"gte": 1_700_000_000})
    for each in page.auto_paging_iter():
        print(each.id)

    address: CustomerCreateParamsAddress = {"line1": "1 Main St", "country": "US"}
    created = client.customers.create(email="jenny@example.com", address=address, tax_exempt="none")
    gone: Customer | DeletedCustomer = client.customers.retrieve(created.id, stripe_account="acct_123")
    print(amount, gone.id)

    tenant = client.with_options(stripe_account="acct_456")
    status = ChargeService(tenant).retrieve("ch_123").status  # Literal['failed', 'pending', 'succeeded']
    if status == "succeeded":
        print("paid")

    if TYPE_CHECKING:
        reveal_type(client.accounts.capabilities.list("acct_123"))  # noqa: F821
