"""The generator: every operation becomes a method, output is deterministic, names follow Stripe's,
and whatever must not happen makes generation fail loudly."""

from __future__ import annotations

import copy
import filecmp
from pathlib import Path
from typing import Any

import pytest

from codegen.generate import OVERRIDES, build_api, generate
from codegen.load import load_spec
from codegen.models import GenerationError
from codegen.naming import iter_operations
from codegen.oracle import compare
from codegen.pin import materialize_references, reference_path
from codegen.services import final_names, read_overrides
from stripe_connect import StripeClient


def test_every_operation_has_a_generated_method(spec: dict[str, Any]) -> None:
    operations = {(op.path, op.verb) for op in iter_operations(spec)}
    assert len(operations) == 468
    client = StripeClient("sk_test_123")
    found = set()
    for op_key, name in final_names(spec, read_overrides(OVERRIDES)).items():
        service: Any = client
        for attr in name.service:
            service = getattr(service, attr)
        method = getattr(service, name.method)
        # Each method's docstring ends with the operation it sends.
        assert method.__doc__.rstrip().endswith(f"`{op_key[1].upper()} {op_key[0]}`"), (op_key, name)
        found.add(op_key)
    assert found == operations


def test_two_generations_are_byte_identical(spec_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    generate(spec_path, first)
    generate(spec_path, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) > 1000
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])
    # ... and identical to the package the tests import.
    installed = Path(__file__).resolve().parents[2] / "generated"
    assert filecmp.cmpfiles(first, installed, [str(f) for f in files], shallow=False)[1:] == ([], [])


def test_names_agree_with_stripes_own(spec: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    materialize_references()
    agreement = compare(final_names(spec, read_overrides(OVERRIDES)), load_spec(reference_path("sdk")))
    with capsys.disabled():
        print(
            f"\nnaming: {agreement.agreed}/{agreement.compared} as Stripe's x-stripeOperations ({agreement.ratio:.1%})"
        )
        for mismatch in agreement.mismatches:
            print(f"  {mismatch}")
    assert agreement.compared > 300
    assert agreement.ratio >= 0.97


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("POST /v1/charges/{charge}/capture", ("charges", "capture")),
        ("GET /v1/quotes/{quote}/line_items", ("quotes", "list_line_items")),
        ("GET /v1/accounts/{account}/capabilities", ("accounts.capabilities", "list")),
        ("POST /v1/checkout/sessions", ("checkout.sessions", "create")),
        ("POST /v1/billing_portal/sessions", ("billing_portal.sessions", "create")),
        ("GET /v1/issuing/cards/{card}", ("issuing.cards", "retrieve")),
        ("POST /v1/test_helpers/test_clocks/{test_clock}/advance", ("test_helpers.test_clocks", "advance")),
        ("GET /v1/account", ("accounts", "retrieve_current")),
        ("POST /v1/invoices/{invoice}/finalize", ("invoices", "finalize_invoice")),
    ],
)
def test_names_of_well_known_operations(spec: dict[str, Any], operation: str, expected: tuple[str, str]) -> None:
    verb, path = operation.split(" ")
    name = final_names(spec, read_overrides(OVERRIDES))[(path, verb.lower())]
    assert (".".join(name.service), name.method) == expected


def _write_overrides(tmp_path: Path, operation: str, method: str) -> Path:
    path = tmp_path / "overrides.toml"
    path.write_text(f'[[method]]\noperation = "{operation}"\nmethod = "{method}"\nreason = "test"\n')
    return path


def test_stale_override_of_a_missing_operation_is_a_warning(spec: dict[str, Any], tmp_path: Path) -> None:
    api = build_api(spec, _write_overrides(tmp_path, "GET /v1/nowhere", "x"))
    assert api.warnings == ["stale override: GET /v1/nowhere is not in the spec (spec/overrides.toml)"]
    assert len(api.operations) == 468


def test_override_that_changes_nothing_is_a_warning(spec: dict[str, Any], tmp_path: Path) -> None:
    api = build_api(spec, _write_overrides(tmp_path, "POST /v1/charges/{charge}/capture", "capture"))
    assert api.warnings == [
        "stale override: POST /v1/charges/{charge}/capture is already named 'capture' (spec/overrides.toml)"
    ]


def test_the_pinned_document_has_no_stale_overrides(spec: dict[str, Any]) -> None:
    assert build_api(spec).warnings == []


def test_two_methods_with_one_name_fail(spec: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match=r"charges.retrieve names two operations"):
        build_api(spec, _write_overrides(tmp_path, "POST /v1/charges/{charge}/capture", "retrieve"))


def test_a_param_named_like_a_request_option_fails(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    body = broken["paths"]["/v1/charges"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    body["schema"]["properties"]["stripe_account"] = {"type": "string"}
    with pytest.raises(GenerationError, match="'stripe_account' collides with a request option"):
        build_api(broken)


def test_a_method_that_would_be_a_keyword_gets_a_python_name(spec: dict[str, Any]) -> None:
    changed = copy.deepcopy(spec)
    changed["paths"]["/v1/charges/{charge}/import"] = changed["paths"]["/v1/charges/{charge}/capture"]
    api = build_api(changed)
    charges = next(s for s in api.services if s.dotted == "charges")
    assert {op.key for op in charges.operations if op.method == "import_"} == {"POST /v1/charges/{charge}/import"}


def test_an_unrenderable_schema_fails(spec: dict[str, Any]) -> None:
    broken = copy.deepcopy(spec)
    broken["components"]["schemas"]["charge"]["properties"]["amount"] = {"type": "tuple"}
    with pytest.raises(GenerationError, match=r"charge.amount: unsupported schema"):
        build_api(broken)
