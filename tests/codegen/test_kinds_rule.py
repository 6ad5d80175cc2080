"""The generator defers the fields of "kinds" objects (codegen/models.py, KINDS_MIN) and no other: at least
KINDS_MIN optional, non-nullable fields that each hold one model, half of the object's fields or more, of which
Stripe fills the one its `type` names; the kinds most payloads hold (INLINE_KINDS: `card`) stay inline."""

from __future__ import annotations

from typing import Any

from codegen.ir import Api, Service
from codegen.models import KINDS_MIN, ModelBuilder
from codegen.render import render


def ref(name: str, **extra: Any) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}", **extra}


def deferred_fields(schemas: dict[str, Any], name: str) -> set[str]:
    [module] = [m for m in ModelBuilder(schemas).build() if m.schema_name == name]
    return {f.wire for c in module.classes for f in c.fields if f.deferred}


def kinds_object(kinds: list[str], **more: Any) -> dict[str, Any]:
    props = {"type": {"type": "string"}, **{k: ref(k) for k in kinds}, **more}
    return {"type": "object", "properties": props, "required": ["type"]}


KINDS = [f"kind_{i}" for i in range(KINDS_MIN)]
LEAVES = {k: {"type": "object", "properties": {"x": {"type": "string"}}} for k in [*KINDS, "other"]}


def test_the_kinds_of_a_kinds_object_are_deferred() -> None:
    schemas = {**LEAVES, "details": kinds_object(KINDS, note={"type": "string"})}
    assert deferred_fields(schemas, "details") == set(KINDS)


def test_a_resource_with_a_few_optional_parts_among_many_fields_is_no_kinds_object() -> None:
    scalars = {f"field_{i}": {"type": "string"} for i in range(KINDS_MIN)}
    schemas = {**LEAVES, "details": kinds_object(KINDS, **scalars)}
    assert deferred_fields(schemas, "details") == set()  # 5 models among 11 fields: an account's parts
    del scalars["field_0"]
    schemas = {**LEAVES, "details": kinds_object(KINDS, **scalars)}
    assert deferred_fields(schemas, "details") == set(KINDS)  # 5 among 10


def test_the_commonest_kind_counts_but_stays_inline() -> None:
    schemas = {**LEAVES, "card": LEAVES["other"], "details": kinds_object([*KINDS[:-1], "card"])}
    assert deferred_fields(schemas, "details") == set(KINDS[:-1])


def test_fewer_kinds_than_the_threshold_stay_inline() -> None:
    schemas = {**LEAVES, "details": kinds_object(KINDS[:-1])}
    assert deferred_fields(schemas, "details") == set()


def test_nullable_required_and_polymorphic_fields_are_no_kinds() -> None:
    union = {"anyOf": [ref("kind_0"), ref("other")]}
    more = {"always": ref("other", nullable=True), "needed": ref("other"), "either": ref("union")}
    details = kinds_object(KINDS[:-1], **more)
    details["required"] = ["type", "needed"]
    schemas = {**LEAVES, "union": union, "details": details}
    assert deferred_fields(schemas, "details") == set()  # 4 kinds, the other three do not count
    details["properties"][KINDS[-1]] = ref(KINDS[-1])
    assert deferred_fields(schemas, "details") == set(KINDS)


def test_a_deferred_model_is_named_by_model_ref_unless_the_module_also_holds_it_inline() -> None:
    details = kinds_object(KINDS, listed={"type": "array", "items": ref("kind_0")})
    models = ModelBuilder({**LEAVES, "details": details}).build()
    api = Api(api_version="2099-01-01", models=models, root=Service(path=(), class_name="", module="", doc=""))
    source = render(api)["stripe_connect_generated/models/details.py"]
    assert 'Kind1 = ModelRef("stripe_connect_generated.models.kind_1", "Kind1")' in source
    assert "from stripe_connect_generated.models.kind_1 import Kind1\n" in source  # for type checkers
    assert "\nfrom stripe_connect_generated.models.kind_0 import Kind0\n" in source  # held inline too: imported
    assert 'ModelRef("stripe_connect_generated.models.kind_0"' not in source


def test_in_the_pinned_document_payment_kinds_are_deferred_and_resources_are_not(spec: dict[str, Any]) -> None:
    modules = {m.schema_name: m for m in ModelBuilder(spec["components"]["schemas"]).build()}

    def deferred(name: str) -> set[str]:
        return {f.wire for c in modules[name].classes for f in c.fields if f.deferred}

    assert {"card_present", "sepa_debit", "us_bank_account", "klarna"} <= deferred("payment_method_details")
    assert {"type", "card"}.isdisjoint(deferred("payment_method_details"))  # card: the commonest kind (INLINE_KINDS)
    assert {"card_present", "sepa_debit"} <= deferred("payment_method") and "card" not in deferred("payment_method")
    assert {"apple_pay", "google_pay"} <= deferred("payment_method_details_card_wallet")
    resources = ("charge", "customer", "invoice", "payment_intent", "account", "person", "event")
    for name in (*resources, "payment_method_details_card"):
        assert deferred(name) == set(), name
