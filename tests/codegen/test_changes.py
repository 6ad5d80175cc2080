"""Spec bumps: the API change report between the previous and the pinned document, checked against facts the
test reads from the two documents themselves; and `update-spec`. (Every document generating code that pyright
accepts: test_any_document.py.)"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import pytest

from codegen.__main__ import main
from codegen.changes import BREAKING, Change, diff_apis, render_report, type_shape
from codegen.generate import build_api
from codegen.identifiers import camel
from codegen.ir import Api
from codegen.load import load_spec
from codegen.pin import PinError, materialize, materialize_references, read_pin, reference_path, sha256_of
from codegen.update import update_spec

ROOT = Path(__file__).resolve().parents[2]
VERBS = ("get", "post", "delete")


@pytest.fixture(scope="module")
def previous_path() -> Path:
    materialize_references()
    return reference_path("previous")


@pytest.fixture(scope="module")
def previous(previous_path: Path) -> dict[str, Any]:
    return load_spec(previous_path)


@pytest.fixture(scope="module")
def apis(previous: dict[str, Any], spec: dict[str, Any]) -> tuple[Api, Api]:
    return build_api(previous), build_api(spec)


@pytest.fixture(scope="module")
def report(apis: tuple[Api, Api]) -> str:
    return render_report(*apis)


def part(report: str, title: str) -> str:
    """The text of one part of the report (`Breaking changes`, `Additions`, `Other changes`)."""
    match = re.search(rf"^## {title} \(\d+\)$(.*?)(?=^## |\Z)", report, re.MULTILINE | re.DOTALL)
    assert match, f"no part {title!r} in the report"
    return match.group(1)


def section(report: str, title: str) -> list[str]:
    match = re.search(rf"^### {title} \((\d+)\)\n\n(.*?)(?=\n\n|\Z)", report, re.MULTILINE | re.DOTALL)
    assert match, f"no section {title!r} in the report"
    lines = match.group(2).splitlines()
    assert len(lines) == int(match.group(1))
    return lines


# --- facts read from the documents, independently of codegen's IR --------------------------------------------------


def body_schema(op: dict[str, Any]) -> dict[str, Any]:
    content = op.get("requestBody", {}).get("content", {})
    return (content.get("application/x-www-form-urlencoded") or content.get("multipart/form-data") or {}).get(
        "schema", {}
    )


def param_paths(op: dict[str, Any]) -> set[str]:
    """Every parameter of an operation as a dotted path, through nested objects, lists and anyOf."""
    out: set[str] = set()

    def walk(schema: dict[str, Any], prefix: str) -> None:
        for member in schema.get("anyOf", []):
            walk(member, prefix)
        if "items" in schema:
            walk(schema["items"], prefix)
        for name, sub in schema.get("properties", {}).items():
            out.add(prefix + name)
            walk(sub, prefix + name + ".")

    for p in op.get("parameters", []):
        if p["in"] == "query":
            out.add(p["name"])
            walk(p.get("schema", {}), p["name"] + ".")
    walk(body_schema(op), "")
    return out


def operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{v.upper()} {p}": item[v] for p, item in spec["paths"].items() for v in VERBS if v in item}


def test_the_report_names_both_versions_and_puts_breaking_changes_first(report: str) -> None:
    assert report.startswith("# API changes: Stripe API 2022-11-15 → 2023-08-16\n")
    titles = re.findall(r"^## (.+) \(\d+\)$", report, re.MULTILINE)
    assert titles == ["Breaking changes", "Additions", "Other changes"]
    breaking = [t for t in re.findall(r"^### (.+) \(\d+\)$", part(report, "Breaking changes"), re.MULTILINE)]
    assert breaking and all(t in BREAKING for t in breaking)


def test_operations_only_in_the_newer_document_are_new_methods(
    previous: dict[str, Any], spec: dict[str, Any], report: str
) -> None:
    added = sorted(set(operations(spec)) - set(operations(previous)))
    assert len(added) >= 10  # the facts exist: 2023-08-16 added payment method domains, account sessions, ...
    new_methods = section(report, "New methods")
    for route in added:
        assert [line for line in new_methods if line.endswith(f" on `{route}`")], f"{route} is not listed as new"
    assert len(new_methods) == len(added)
    validate = "POST /v1/payment_method_domains/{payment_method_domain}/validate"
    assert f"- `client.payment_method_domains.validate()` on `{validate}`" in new_methods
    removed = sorted(set(operations(previous)) - set(operations(spec)))
    assert removed == [] and "### Removed methods" not in report


def test_removed_enum_values_are_breaking(previous: dict[str, Any], spec: dict[str, Any], report: str) -> None:
    removed: list[tuple[str, str, str]] = []
    old_schemas, new_schemas = previous["components"]["schemas"], spec["components"]["schemas"]
    for name in sorted(set(old_schemas) & set(new_schemas)):
        old_props = old_schemas[name].get("properties", {})
        new_props = new_schemas[name].get("properties", {})
        for prop in sorted(set(old_props) & set(new_props)):
            gone = set(old_props[prop].get("enum", [])) - set(new_props[prop].get("enum", []))
            removed.extend((camel(name), prop, value) for value in sorted(gone) if "enum" in new_props[prop])
    assert ("Dispute", "status", "charge_refunded") in removed
    lines = section(part(report, "Breaking changes"), "Removed model enum values")
    for model, prop, value in removed:
        assert any(line.startswith(f"- `{model}.{prop}`: ") and repr(value) in line for line in lines), (model, prop)


def test_removed_params_are_breaking(previous: dict[str, Any], spec: dict[str, Any], report: str) -> None:
    old_ops, new_ops = operations(previous), operations(spec)
    expected: list[tuple[str, str]] = []
    for route in sorted(set(old_ops) & set(new_ops)):
        gone = param_paths(old_ops[route]) - param_paths(new_ops[route])
        # A removed object is one change, not one per field inside it.
        expected += [(route, p) for p in gone if not any(p.startswith(q + ".") for q in gone)]
    assert ("POST /v1/setup_intents", "payment_method_options.blik") in expected
    lines = section(part(report, "Breaking changes"), "Removed parameters")
    for route, param in expected:
        assert any(f"({param}=…)` on `{route}`" in line for line in lines), (route, param)
    assert len(lines) == len(expected)


def test_schemas_removed_and_added_are_models(previous: dict[str, Any], spec: dict[str, Any], report: str) -> None:
    old_schemas, new_schemas = set(previous["components"]["schemas"]), set(spec["components"]["schemas"])
    removed = section(part(report, "Breaking changes"), "Removed models")
    assert sorted(removed) == sorted(f"- `{camel(s)}`: schema `{s}`" for s in old_schemas - new_schemas)
    added = section(part(report, "Additions"), "New models")
    assert sorted(added) == sorted(f"- `{camel(s)}`: schema `{s}`" for s in new_schemas - old_schemas)


def test_event_types_removed_and_added(previous: dict[str, Any], spec: dict[str, Any], report: str) -> None:
    def documented(doc: dict[str, Any]) -> set[str]:
        body = body_schema(doc["paths"]["/v1/webhook_endpoints"]["post"])
        return set(body["properties"]["enabled_events"]["items"]["enum"]) - {"*"}

    gone = documented(previous) - documented(spec)
    assert gone == {"invoiceitem.updated"}
    assert section(part(report, "Breaking changes"), "Removed event types") == ["- `invoiceitem.updated`"]
    if documented(spec) - documented(previous):
        assert len(section(report, "New event types")) == len(documented(spec) - documented(previous))


# --- the diff's rules, on targeted edits of the pinned document -----------------------------------------------------


def edited(spec: dict[str, Any], edit: Any) -> list[Change]:
    new = copy.deepcopy(spec)
    edit(new)
    return diff_apis(build_api(spec), build_api(new))


def capture_body(spec: dict[str, Any]) -> dict[str, Any]:
    return body_schema(spec["paths"]["/v1/charges/{charge}/capture"]["post"])


def test_rules_for_parameters(spec: dict[str, Any]) -> None:
    def edit(doc: dict[str, Any]) -> None:
        body = capture_body(doc)
        del body["properties"]["amount"]
        body["properties"]["statement_descriptor"]["maxLength"] = 10  # not visible to callers: no change
        body["properties"]["receipt_email"] = {"type": "integer"}
        body.setdefault("required", []).append("application_fee")
        body["properties"]["brand_new"] = {"type": "string"}
        body["properties"]["must_have"] = {"type": "string"}
        body["required"].append("must_have")

    found = edited(spec, edit)
    changes = {(c.section, c.subject) for c in found}
    assert all(c.route == "`POST /v1/charges/{charge}/capture`" for c in found)
    assert changes == {
        ("Removed parameters", "`client.charges.capture(amount=…)`"),
        ("Changed parameter types", "`client.charges.capture(receipt_email=…)`"),
        ("Parameters now required", "`client.charges.capture(application_fee=…)`"),
        ("New parameters", "`client.charges.capture(brand_new=…)`"),
        ("New required parameters", "`client.charges.capture(must_have=…)`"),
    }
    assert {c for c in changes if c[0] in BREAKING} == changes - {
        ("New parameters", "`client.charges.capture(brand_new=…)`")
    }


def test_rules_for_methods_fields_and_enums(spec: dict[str, Any]) -> None:
    def edit(doc: dict[str, Any]) -> None:
        del doc["paths"]["/v1/charges/{charge}/capture"]
        charge = doc["components"]["schemas"]["charge"]["properties"]
        charge["status"]["enum"] = [*charge["status"]["enum"], "teleported"]
        charge["status"]["enum"].remove("pending")
        charge["amount"]["nullable"] = True
        del charge["receipt_url"]
        charge["description"] = {"type": "integer", "nullable": True}

    changes = {(c.section, c.subject, c.detail) for c in edited(spec, edit)}
    assert ("Removed methods", "`client.charges.capture()`", "") in changes
    assert ("Removed model enum values", "`Charge.status`", "`'pending'`") in changes
    assert ("New model enum values", "`Charge.status`", "`'teleported'`") in changes
    assert ("Model fields now nullable", "`Charge.amount`", "`int` → `int | None`") in changes
    assert ("Removed model fields", "`Charge.receipt_url`", "") in changes
    assert ("Changed model field types", "`Charge.description`", "`str | None` → `int | None`") in changes


def test_an_identical_document_has_no_changes(spec: dict[str, Any]) -> None:
    api = build_api(spec)
    assert diff_apis(api, api) == []
    text = render_report(api, api)
    assert "0 breaking changes," in text and text.count("None.") == 3


def test_type_shapes() -> None:
    shape = type_shape("OpenEnum[Literal['a', 'b']] | None")
    assert (shape.members, shape.values, shape.nullable) == (frozenset({"OpenEnum[Literal]"}), {"a", "b"}, True)
    assert type_shape("A | B", opaque={"A", "B"}).members == {"{...}"}
    assert type_shape("B | A").members == type_shape("A | B").members


# --- the command ---------------------------------------------------------------------------------------------------


class Scratch(TypedDict):
    pin_file: Path
    materialized: Path
    out_dir: Path


@pytest.fixture
def scratch(tmp_path: Path, spec_path: Path) -> Iterator[Scratch]:
    """A pin, a materialized document and an output directory of our own, as update-spec would touch them."""
    pin = tmp_path / "pin.toml"
    pin.write_text((ROOT / "spec" / "pin.toml").read_text())
    materialized = tmp_path / "build" / "spec3.yaml"
    materialized.parent.mkdir()
    materialized.write_bytes(spec_path.read_bytes())
    yield {"pin_file": pin, "materialized": materialized, "out_dir": tmp_path / "generated"}


def test_update_spec_moves_the_pin_regenerates_and_reports(
    scratch: Scratch, previous_path: Path, tmp_path: Path
) -> None:
    before = read_pin(scratch["pin_file"])
    report = tmp_path / "changes.md"
    commit = "a" * 40
    result = update_spec(str(previous_path), commit=commit, report=report, **scratch)
    pin = read_pin(scratch["pin_file"])
    data = previous_path.read_bytes()
    assert (pin.sha256, pin.api_version, pin.commit) == (sha256_of(data), "2022-11-15", commit)
    assert (pin.repository, pin.path) == (before.repository, before.path)
    assert scratch["materialized"].read_bytes() == data
    package = (scratch["out_dir"] / "stripe_connect_generated" / "__init__.py").read_text()
    assert 'API_VERSION = "2022-11-15"' in package
    text = report.read_text()
    assert text.startswith("# API changes: Stripe API 2023-08-16 → 2022-11-15")
    # Going back in time removes what 2023-08-16 added: those are now breaking.
    assert "- `client.payment_method_domains.create()` on `POST /v1/payment_method_domains`" in part(
        text, "Breaking changes"
    )
    assert result.old.api_version == "2023-08-16" and result.new == pin
    assert "2022-11-15" in str(result) and str(report) in str(result)
    # The pin it wrote materializes (from the local copy, by sha256).
    assert materialize(pin, tmp_path / "again.yaml").read_bytes() == data


def test_update_spec_lists_overrides_the_new_document_makes_stale(
    scratch: Scratch, previous_path: Path, tmp_path: Path
) -> None:
    # An override of an operation 2023-08-16 has and 2022-11-15 does not: moving to 2022-11-15 must not fail.
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        (ROOT / "spec" / "overrides.toml").read_text()
        + '\n[[method]]\noperation = "GET /v1/payment_method_domains"\nmethod = "list_domains"\nreason = "test"\n'
    )
    report = tmp_path / "changes.md"
    result = update_spec(str(previous_path), overrides=overrides, report=report, **scratch)
    stale = "stale override: GET /v1/payment_method_domains is not in the spec (spec/overrides.toml)"
    assert result.warnings == [stale]
    assert f"warning: {stale}" in str(result)
    text = report.read_text()
    assert "\n1 warning(s): see the end.\n" in text
    assert text.endswith(f"## Warnings (1)\n\n{_warnings_intro('2022-11-15')}\n\n- {stale}\n")
    assert read_pin(scratch["pin_file"]).api_version == "2022-11-15"


def _warnings_intro(version: str) -> str:
    return (
        f"{version} generates, but these entries of spec/overrides.toml or of codegen's special cases no longer\n"
        "apply to it and were left out: remove them."
    )


def test_update_spec_without_network_fails_clearly_and_changes_nothing(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("codegen.pin.RAW_URL", "http://127.0.0.1:9/{repository}/{commit}/{path}")
    before = scratch["pin_file"].read_text()
    with pytest.raises(PinError, match=r"could not download openapi/spec3.yaml at commit b{40}.*pass a local copy"):
        update_spec("b" * 40, **scratch)
    assert scratch["pin_file"].read_text() == before
    assert not scratch["out_dir"].exists()


def test_update_spec_rejects_what_is_not_a_spec(scratch: Scratch, tmp_path: Path) -> None:
    with pytest.raises(PinError, match="neither a file nor a 40-hex commit"):
        update_spec("HEAD", **scratch)
    not_spec = tmp_path / "x.yaml"
    not_spec.write_text("hello: world\n")
    with pytest.raises(PinError, match="not an OpenAPI document"):
        update_spec(str(not_spec), **scratch)
    with pytest.raises(PinError, match="COMMIT must be a full 40-hex commit"):
        update_spec(str(not_spec), commit="main", **scratch)
    assert read_pin(scratch["pin_file"]) == read_pin()


def test_a_pin_without_commit_explains_how_to_materialize(tmp_path: Path) -> None:
    pin = read_pin()
    orphan = type(pin)(pin.repository, "", pin.path, "0" * 64, pin.api_version)
    with pytest.raises(PinError, match="names no commit to download it from"):
        materialize(orphan, tmp_path / "x.yaml")


def test_cli_changes(previous_path: Path, spec_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.md"
    assert main(["changes", str(previous_path), str(spec_path), "--out", str(out)]) == 0
    assert out.read_text().startswith("# API changes: Stripe API 2022-11-15 → 2023-08-16")
    assert main(["update-spec", "not-a-thing"]) == 1
    assert "neither a file nor a 40-hex commit" in capsys.readouterr().err
