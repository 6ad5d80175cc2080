"""The generated API reference (generated/API.md): every service, method, route and return type, linked to the
models, rendered with the code and never committed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codegen.generate import build_api
from codegen.ir import Api
from codegen.reference import REFERENCE, model_anchor, service_anchor
from codegen.render import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api(spec: dict[str, Any]) -> Api:
    return build_api(spec)


@pytest.fixture(scope="module")
def page(api: Api) -> str:
    return render(api)[REFERENCE]


def service_section(page: str, api: Api, dotted: str) -> str:
    service = next(s for s in api.services if s.dotted == dotted)
    start = page.index(f'<a id="{service_anchor(service)}"></a>')
    return page[start : page.index("<a id=", start + 1)]


def test_the_reference_is_generated_with_the_code_and_not_committed(page: str) -> None:
    installed = ROOT / "generated" / REFERENCE
    assert installed.read_text() == page  # `make generate` wrote exactly this
    ignored = subprocess.run(["git", "check-ignore", "-q", str(installed)], cwd=ROOT, check=False)
    assert ignored.returncode == 0, "generated/API.md must be git-ignored"


def test_every_method_is_listed_with_route_and_return_type(page: str, api: Api) -> None:
    assert len(api.operations) == 468
    for service in api.services:
        section = service_section(page, api, service.dotted)
        assert section.splitlines()[1] == f"### `client.{service.dotted}`"
        for op in service.operations:
            rows = [line for line in section.splitlines() if f"| `{op.verb.upper()} {op.path}` |" in line]
            assert len(rows) == 1, (service.dotted, op.key)
            row = rows[0]
            assert row.startswith(f"| `{op.method}(")
            for name in op.model_deps:  # the return type links each model it names
                assert f"[{name}](#{model_anchor(name)})" in row, (op.key, name)
            if op.kind == "list":
                assert "ListObject\\[" in row
            if op.kind == "binary":
                assert "| bytes |" in row


def test_a_few_rows_read_as_expected(page: str, api: Api) -> None:
    charges = service_section(page, api, "charges")
    assert "| `capture(charge, …)` | `POST /v1/charges/{charge}/capture` | [Charge](#model-charge) |" in charges
    assert "| `list(…)` | `GET /v1/charges` | ListObject\\[[Charge](#model-charge)\\] |" in charges
    customers = service_section(page, api, "customers")
    assert (
        "| `retrieve(customer, …)` | `GET /v1/customers/{customer}` | "
        "Polymorphic\\[[Customer](#model-customer) \\| [DeletedCustomer](#model-deletedcustomer)\\] |"
    ) in customers


def test_every_link_resolves_and_every_model_has_a_section(page: str, api: Api) -> None:
    all_anchors = re.findall(r'<a id="([^"]+)"></a>', page)
    anchors = set(all_anchors)
    assert len(all_anchors) == len(anchors), "an anchor is defined twice"
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links - anchors == set()
    for model in api.models:
        assert model_anchor(model.name) in anchors
        for cls in model.classes:
            assert model_anchor(cls.name) in anchors
    for service in api.services:
        assert service_anchor(service) in anchors
    # Field types link the models they name.
    customer = "Expandable\\[[Customer](#model-customer) \\| [DeletedCustomer](#model-deletedcustomer)\\]"
    assert f"| `customer` | {customer}" in page


def test_event_types_are_listed(page: str, api: Api) -> None:
    for event_type in api.event_types:
        assert f"| `{event_type}` |" in page
    assert "| `charge.succeeded` | `CHARGE_SUCCEEDED` |" in page


def test_table_cells_never_break_the_table(page: str) -> None:
    # An unescaped `|` inside a cell would add a column: every row of a table has as many cells as its header.
    columns = 0
    for line in page.splitlines():
        if not line.startswith("|"):
            columns = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line)) - 1
        if columns == 0:
            columns = cells
        assert cells == columns, line
