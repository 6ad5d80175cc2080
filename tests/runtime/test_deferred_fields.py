"""Deferred fields (the kinds of a "kinds" object, e.g. payment method details' `card_present`) load their model
when a value first arrives, and otherwise behave exactly as inline ones: the value is its typed class, errors
name their full path, instances are accepted, results dump back as received, pickle and copy."""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from stripe_connect._models import ModelRef
from stripe_connect._parse import parse_json
from stripe_connect.models import (
    Charge,
    PaymentMethodDetails,
    PaymentMethodDetailsCardPresent,
    PaymentMethodDetailsCardPresentReceipt,
)
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import construct_event
from tests.support.objects import CARD_PRESENT_DETAILS, CHARGE, stripe_event

SECRET = "whsec_deferred"
TERMINAL_CHARGE = {**CHARGE, "payment_method_details": CARD_PRESENT_DETAILS}


def with_card_present(**card: Any) -> dict[str, Any]:
    present = {**CARD_PRESENT_DETAILS["card_present"], **card}
    return {**CHARGE, "payment_method_details": {**CARD_PRESENT_DETAILS, "card_present": present}}


def test_the_kinds_of_payment_method_details_are_deferred_and_other_nested_models_inline() -> None:
    details = importlib.import_module("stripe_connect_generated.models.payment_method_details")
    present = "stripe_connect_generated.models.payment_method_details_card_present"
    assert details.PaymentMethodDetailsCardPresent == ModelRef(present, "PaymentMethodDetailsCardPresent")
    assert isinstance(details.PaymentMethodDetailsCard, type)  # the commonest kind stays inline
    # Not a kinds object: a card's own nested models (checks, wallet, ...) are imported, and inline ...
    card = importlib.import_module("stripe_connect_generated.models.payment_method_details_card")
    assert isinstance(card.PaymentMethodDetailsCardChecks, type)
    assert isinstance(card.PaymentMethodDetailsCardWallet, type)
    # ... while a wallet is a kinds object again.
    wallet = importlib.import_module("stripe_connect_generated.models.payment_method_details_card_wallet")
    assert isinstance(wallet.PaymentMethodDetailsCardWalletApplePay, ModelRef)


def test_a_fresh_process_loads_only_the_kind_it_parses() -> None:
    code = """
import json, sys
from stripe_connect_generated.models.payment_method_details import PaymentMethodDetails
def loaded(): return {m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("stripe_connect_generated.models.")}
before = loaded()
details = PaymentMethodDetails.model_validate({"type": "sepa_debit", "sepa_debit": {"bank_code": "37040044"}})
print(json.dumps([sorted(before), sorted(loaded() - before), type(details.sepa_debit).__name__]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, added, kind = json.loads(out)
    # The module itself and the inline card's (a card's wallet kinds are deferred in turn); none of ~40 others.
    assert before[:2] == ["payment_method_details", "payment_method_details_card"]
    assert not any(m.startswith("payment_method_details_card_wallet_") for m in before)
    assert len(before) < 10 and "payment_method_details_sepa_debit" not in before
    assert added == ["payment_method_details_sepa_debit"]
    assert kind == "PaymentMethodDetailsSepaDebit"


def test_an_event_holds_the_typed_kind_and_dumps_back_as_received() -> None:
    payload = json.dumps(stripe_event(TERMINAL_CHARGE)).encode()
    event = construct_event(payload, generate_test_header(payload, SECRET), SECRET)
    charge = event.data.object
    assert isinstance(charge, Charge) and charge.payment_method_details is not None
    # The real class, statically too (pyright checks this assignment).
    present: PaymentMethodDetailsCardPresent | None = charge.payment_method_details.card_present
    assert type(present) is PaymentMethodDetailsCardPresent
    assert type(present.receipt) is PaymentMethodDetailsCardPresentReceipt
    assert present.receipt.authorization_code == "123456"
    assert event.to_dict() == json.loads(payload)
    assert charge.model_dump(mode="json", exclude_unset=True) == TERMINAL_CHARGE
    assert json.loads(charge.model_dump_json(exclude_unset=True)) == TERMINAL_CHARGE


def test_a_deferred_value_travels_pickled_and_copied() -> None:
    charge = Charge.model_validate_json(json.dumps(TERMINAL_CHARGE))
    for travelled in (pickle.loads(pickle.dumps(charge)), copy.copy(charge), copy.deepcopy(charge)):
        assert travelled == charge
        assert travelled.payment_method_details is not None
        assert type(travelled.payment_method_details.card_present) is PaymentMethodDetailsCardPresent
        assert travelled.to_dict() == TERMINAL_CHARGE


def test_an_error_inside_a_deferred_field_names_its_full_path() -> None:
    with pytest.raises(ValidationError) as info:
        parse_json(Charge, json.dumps(with_card_present(brand=7)), strict=True)
    [error] = info.value.errors()
    assert error["loc"] == ("payment_method_details", "card_present", "brand")
    assert "payment_method_details.card_present.brand" in str(info.value)

    not_an_object = {**CHARGE, "payment_method_details": {"type": "card_present", "card_present": "visa"}}
    with pytest.raises(ValidationError) as info:
        Charge.model_validate(not_an_object)
    [error] = info.value.errors()
    assert error["loc"] == ("payment_method_details", "card_present")


def test_a_model_instance_is_accepted_in_a_deferred_field() -> None:
    present = PaymentMethodDetailsCardPresent.model_validate(CARD_PRESENT_DETAILS["card_present"])
    validated = PaymentMethodDetails.model_validate({"type": "card_present", "card_present": present})
    assert validated.card_present is present
    charge = Charge.model_validate({**CHARGE, "payment_method_details": validated})
    assert charge.payment_method_details is validated
