"""Representative calls against Steady: every HTTP verb and path shape, nested and list params, `expand`,
search, files and binary responses. Each asserts that Steady validated the request against the spec and
that the response parsed into the method's declared type."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import httpx
import pytest

from stripe_connect import APIError, ListObject, SearchResult, StripeClient, models
from stripe_connect.models import (
    Balance,
    BankAccount,
    Capability,
    Card,
    Charge,
    CheckoutSession,
    Customer,
    DeletedCustomer,
    File,
    Invoice,
    PaymentIntent,
    Source,
    Subscription,
    TaxSettings,
)
from stripe_connect.testing import SteadyServer
from tests.conftest import API_KEY, SteadyLog


def test_retrieve_with_expand(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    charge = steady_client.charges.retrieve("ch_123", expand=["customer", "invoice.subscription"])
    steady_log.assert_valid("/v1/charges/{charge}")
    assert isinstance(charge, Charge)
    assert steady_log.last.request.url.params.get_list("expand[]") == ["customer", "invoice.subscription"]


def test_list_with_filters_and_nested_expand(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    page = steady_client.customers.list(
        limit=3,
        created={"gt": 1_600_000_000, "lte": 1_700_000_000},
        expand=["data.default_source", "data.test_clock"],
        stripe_account="acct_123",
    )
    steady_log.assert_valid("/v1/customers")
    assert isinstance(page, ListObject)
    assert all(isinstance(c, Customer) for c in page.data)
    for customer in page.data:  # an expandable field is an id or the model it expands to
        assert customer.default_source is None or isinstance(customer.default_source, str | BankAccount | Card | Source)
    query = steady_log.last.request.url.params
    assert query["created[gt]"] == "1600000000" and query["limit"] == "3"
    assert query.get_list("expand[]") == ["data.default_source", "data.test_clock"]
    assert steady_log.last.request.headers["stripe-account"] == "acct_123"


def test_list_under_a_resource_with_nested_expand(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    page = steady_client.quotes.list_line_items("qt_123", limit=2, expand=["data.price.product", "data.discounts"])
    steady_log.assert_valid("/v1/quotes/{quote}/line_items")
    assert isinstance(page, ListObject)
    assert steady_log.last.request.url.params.get_list("expand[]") == ["data.price.product", "data.discounts"]


def test_search(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    result = steady_client.charges.search(query="amount>999 AND status:'succeeded'", limit=5)
    steady_log.assert_valid("/v1/charges/search")
    assert isinstance(result, SearchResult)
    assert all(isinstance(c, Charge) for c in result.data)


def test_create_with_nested_params(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    customer = steady_client.customers.create(
        email="jenny@example.com",
        address={"line1": "1 Main St", "city": "Springfield", "country": "US"},
        invoice_settings={"custom_fields": [{"name": "PO", "value": "42"}], "footer": "Thanks"},
        metadata={"tenant": "t_1", "note": ""},
        preferred_locales=["en", "fr"],
        tax={"ip_address": "203.0.113.7"},
        expand=["tax"],
    )
    steady_log.assert_valid("/v1/customers")
    assert isinstance(customer, Customer)
    body = steady_log.last.request.content.decode()
    assert "invoice_settings[custom_fields][0][name]=PO" in body
    assert "preferred_locales[1]=fr" in body


def test_list_of_objects_in_a_namespace(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    session = steady_client.checkout.sessions.create(
        success_url="https://example.com/ok",
        mode="payment",
        line_items=[{"price": "price_1", "quantity": 2}, {"price": "price_2", "quantity": 1}],
        payment_method_types=["card"],
    )
    steady_log.assert_valid("/v1/checkout/sessions")
    assert isinstance(session, CheckoutSession)


def test_update_and_action(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    charge = steady_client.charges.update("ch_123", description="refill", metadata={"order": "6735"})
    steady_log.assert_valid("/v1/charges/{charge}")
    assert isinstance(charge, Charge)
    intent = steady_client.payment_intents.confirm("pi_123", payment_method="pm_card_visa", off_session=True)
    steady_log.assert_valid("/v1/payment_intents/{intent}/confirm")
    assert isinstance(intent, PaymentIntent)


def test_delete_and_polymorphic_retrieve(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    deleted = steady_client.customers.delete("cus_123")
    steady_log.assert_valid("/v1/customers/{customer}")
    assert isinstance(deleted, DeletedCustomer) and deleted.deleted is True
    customer = steady_client.customers.retrieve("cus_123")
    assert isinstance(customer, Customer | DeletedCustomer)
    external = steady_client.accounts.external_accounts.retrieve("acct_123", "ba_123")
    steady_log.assert_valid("/v1/accounts/{account}/external_accounts/{id}")
    assert isinstance(external, BankAccount | Card)


def test_delete_with_params(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    subscription = steady_client.subscriptions.cancel("sub_123", invoice_now=True, prorate=False)
    steady_log.assert_valid("/v1/subscriptions/{subscription_exposed_id}")
    assert isinstance(subscription, Subscription)


def test_nested_service(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    capabilities = steady_client.accounts.capabilities.list("acct_123")
    steady_log.assert_valid("/v1/accounts/{account}/capabilities")
    assert all(isinstance(c, Capability) for c in capabilities.data)
    capability = steady_client.accounts.capabilities.update("acct_123", "card_payments", requested=True)
    steady_log.assert_valid("/v1/accounts/{account}/capabilities/{capability}")
    assert isinstance(capability, Capability)


def test_singletons(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    assert isinstance(steady_client.balance.retrieve(), Balance)
    steady_log.assert_valid("/v1/balance")
    settings = steady_client.tax.settings.update(defaults={"tax_behavior": "exclusive", "tax_code": "txcd_10000000"})
    steady_log.assert_valid("/v1/tax/settings")
    assert isinstance(settings, TaxSettings)


def test_query_with_nested_lists(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    invoice = steady_client.invoices.upcoming(
        customer="cus_123",
        subscription_items=[{"price": "price_1", "quantity": 2, "tax_rates": ["txr_1", "txr_2"]}],
        automatic_tax={"enabled": True},
    )
    steady_log.assert_valid("/v1/invoices/upcoming")
    assert isinstance(invoice, Invoice)


def test_test_helpers_with_datetime(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    frozen = int(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    clock = steady_client.test_helpers.test_clocks.create(frozen_time=frozen, name="clock")
    steady_log.assert_valid("/v1/test_helpers/test_clocks")
    assert isinstance(clock, models.TestHelpersTestClock)


def test_file_upload_goes_multipart(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    uploaded = steady_client.files.create(
        file=io.BytesIO(b"%PDF-1.4 evidence"), purpose="dispute_evidence", file_link_data={"create": True}
    )
    steady_log.assert_valid("/v1/files")
    assert isinstance(uploaded, File)
    assert steady_log.last.request.headers["content-type"].startswith("multipart/form-data")


def test_file_upload_from_a_path(steady_client: StripeClient, steady_log: SteadyLog, tmp_path: Path) -> None:
    scan = tmp_path / "passport.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    uploaded = steady_client.files.create(
        file=scan,
        purpose="identity_document",
        file_link_data={"create": True, "expires_at": 1_900_000_000, "metadata": {"person": "p_1"}},
        expand=["links"],
        stripe_account="acct_123",
    )
    steady_log.assert_valid("/v1/files")
    assert isinstance(uploaded, File)
    request = steady_log.last.request
    assert request.headers["stripe-account"] == "acct_123"


def test_binary_response(steady_client: StripeClient, steady_log: SteadyLog) -> None:
    pdf = steady_client.quotes.pdf("qt_123")
    steady_log.assert_valid("/v1/quotes/{quote}/pdf")
    assert isinstance(pdf, bytes)


class _RenderedAtANewerVersion(httpx.HTTPTransport):
    """Steady's answers as an account on a newer API version gets them: a required field gone, a retyped one."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        body = json.loads(response.read())
        del body["billing_details"]
        body["amount"] = str(body["amount"])
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("x-steady")}
        return httpx.Response(response.status_code, headers=headers, json=body, request=request)


def test_a_call_at_another_api_version_parses_what_that_version_renders(
    steady: SteadyServer, steady_log: SteadyLog
) -> None:
    http = httpx.Client(transport=_RenderedAtANewerVersion(), event_hooks={"response": [steady_log.record]})
    with StripeClient(API_KEY, api_base=steady.url, max_retries=0, http_client=http) as client:
        charge = client.charges.retrieve("ch_123", stripe_version="2024-04-10", expand=["customer"])
        steady_log.assert_valid("/v1/charges/{charge}")
        assert steady_log.last.request.headers["stripe-version"] == "2024-04-10"
        assert isinstance(charge, Charge) and isinstance(charge.amount, str)
        assert "billing_details" not in charge.model_fields_set
        assert isinstance(charge.amount_captured, int) and isinstance(charge.livemode, bool)  # typed where it fits
        assert charge.customer is None or isinstance(charge.customer, str | Customer | DeletedCustomer)
        with pytest.raises(APIError, match="not a valid Charge"):
            client.charges.retrieve("ch_123", stripe_version="2024-04-10", strict=True)
    http.close()
