"""Deferred fields (the kinds of a "kinds" object, e.g. payment method details' `card`) load their model when a
value first arrives, and otherwise behave exactly as inline ones: the value is its typed class, errors name
their full path, instances are accepted, results dump back as received, pickle and copy."""

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
from stripe_connect.models import Charge, PaymentMethodDetails, PaymentMethodDetailsCard
from stripe_connect.testing import generate_test_header
from stripe_connect.webhooks import construct_event
from tests.support.objects import CARD_DETAILS, CHARGE, stripe_event

SECRET = "whsec_deferred"
CARD_CHARGE = {**CHARGE, "payment_method_details": CARD_DETAILS}


def with_card(**card: Any) -> dict[str, Any]:
    return {**CHARGE, "payment_method_details": {**CARD_DETAILS, "card": {**CARD_DETAILS["card"], **card}}}


def test_the_kinds_of_payment_method_details_are_deferred_and_other_nested_models_inline() -> None:
    details = importlib.import_module("stripe_connect_generated.models.payment_method_details")
    card = importlib.import_module("stripe_connect_generated.models.payment_method_details_card")
    assert details.PaymentMethodDetailsCard == ModelRef(card.__name__, "PaymentMethodDetailsCard")
    # Not a kinds object: the card's own nested models (checks, wallet, ...) are imported, and inline.
    assert isinstance(card.PaymentMethodDetailsCardChecks, type)
    assert isinstance(card.PaymentMethodDetailsCardWallet, type)


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
    assert before == ["payment_method_details"]
    assert added == ["payment_method_details_sepa_debit"]
    assert kind == "PaymentMethodDetailsSepaDebit"


def test_an_event_holds_the_typed_kind_and_dumps_back_as_received() -> None:
    payload = json.dumps(stripe_event(CARD_CHARGE)).encode()
    event = construct_event(payload, generate_test_header(payload, SECRET), SECRET)
    charge = event.data.object
    assert isinstance(charge, Charge) and charge.payment_method_details is not None
    card: PaymentMethodDetailsCard | None = charge.payment_method_details.card  # the real class, statically too
    assert type(card) is PaymentMethodDetailsCard
    assert card.checks is not None and card.checks.cvc_check == "pass"
    assert event.to_dict() == json.loads(payload)
    assert charge.model_dump(mode="json", exclude_unset=True) == CARD_CHARGE
    assert json.loads(charge.model_dump_json(exclude_unset=True)) == CARD_CHARGE


def test_a_deferred_value_travels_pickled_and_copied() -> None:
    charge = Charge.model_validate_json(json.dumps(CARD_CHARGE))
    for travelled in (pickle.loads(pickle.dumps(charge)), copy.copy(charge), copy.deepcopy(charge)):
        assert travelled == charge
        assert travelled.payment_method_details is not None
        assert type(travelled.payment_method_details.card) is PaymentMethodDetailsCard
        assert travelled.to_dict() == CARD_CHARGE


def test_an_error_inside_a_deferred_field_names_its_full_path() -> None:
    with pytest.raises(ValidationError) as info:
        parse_json(Charge, json.dumps(with_card(brand=7)), strict=True)
    [error] = info.value.errors()
    assert error["loc"] == ("payment_method_details", "card", "brand")
    assert "payment_method_details.card.brand" in str(info.value)

    not_an_object = {**CHARGE, "payment_method_details": {"type": "card", "card": "visa"}}
    with pytest.raises(ValidationError) as info:
        Charge.model_validate(not_an_object)
    [error] = info.value.errors()
    assert error["loc"] == ("payment_method_details", "card")


def test_a_model_instance_is_accepted_in_a_deferred_field() -> None:
    card = PaymentMethodDetailsCard.model_validate(CARD_DETAILS["card"])
    details = PaymentMethodDetails(type="card", card=card)
    assert details.card is card
    assert PaymentMethodDetails.model_validate({"type": "card", "card": card}).card is card
