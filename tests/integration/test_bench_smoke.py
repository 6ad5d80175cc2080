"""The benchmarks cannot rot: a smoke run of bench/run.py (one call per case), and the checks that keep
its comparison honest (realistic bodies, the same request from every library).

The smoke run leaves stripe-python out: installing it needs the network, and its column is the one thing
a smoke run does not exercise (`make bench` does, and fails loudly if it cannot install it).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from stripe_connect._encoding import flatten
from stripe_connect.models import BankAccount, Charge, Customer, ListObject, PaymentMethod

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
SMOKE_CASES = [
    "codegen",
    "import",
    "first-call",
    "first-call-https",
    "webhook",
    "retrieve",
    "create",
    "list",
    "auto-paging",
    "async",
    "rss",
    "derive",
    "tracing-off",
    "tracing-on",
]
# Cases comparing stripe-connect with itself (an earlier revision, tracing on) have no stripe-python column.
WITHOUT_STRIPE_COLUMN = ("(j)", "(k)")


def bench_module(name: str) -> ModuleType:
    """A module of bench/ (scripts, not a package) under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(table: str) -> dict[str, list[str]]:
    lines = [line for line in table.splitlines() if line.startswith("| (")]
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines)}


def test_a_smoke_run_measures_every_case_and_writes_the_table(tmp_path: Path) -> None:
    written = tmp_path / "RESULTS.md"
    command = [sys.executable, "bench/run.py", "--smoke", "--without-stripe", "--cases", ",".join(SMOKE_CASES)]
    run = subprocess.run([*command, "--write", str(written)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]

    table = rows(run.stdout)
    assert len(table) == len(SMOKE_CASES), run.stdout
    for title, (ours, stripe, baseline, ratio, _vs_stripe, _budget, verdict) in table.items():
        assert re.fullmatch(r"[\d,.]+ (s|ms|µs|MB|req/s)", ours), (title, ours)
        if not title.startswith("(a)"):
            assert stripe == ("" if title.startswith(WITHOUT_STRIPE_COLUMN) else "not run"), title
            assert baseline and ratio.endswith("×"), title
        assert verdict in ("", "(smoke run)"), title

    served = re.search(r"Requests served: ([\d,]+) \((.*)\)", run.stdout)
    assert served is not None
    routes = dict(item.rsplit(" ", 1) for item in served.group(2).split(", "))
    # Every route was used, and auto-paging walked all ten pages.
    assert {
        "retrieve_charge",
        "retrieve_event",
        "create_customer",
        "list_charges_page_0",
        "list_charges_page_9",
    } <= set(routes)

    assert rows(written.read_text()).keys() == table.keys()
    assert "bench/run.py --smoke" in written.read_text()


def test_bodies_are_full_objects_that_parse_into_the_models() -> None:
    from codegen.load import load_spec
    from codegen.pin import MATERIALIZED

    bodies = bench_module("bodies")
    builder = bodies.BodyBuilder(load_spec(MATERIALIZED))
    common = bench_module("common")

    charge = Charge.model_validate_json(bodies.dumps(builder.build("charge")))
    assert charge.model_fields_set == set(Charge.model_fields)  # every field present, none null
    assert all(getattr(charge, name) is not None for name in Charge.model_fields)
    details = charge.payment_method_details
    assert details is not None and details.type == "card" and details.card is not None
    assert details.ach_debit is None  # as Stripe sends it: only the details of the charge's own type

    customer = Customer.model_validate_json(bodies.dumps(builder.build("customer", expand=common.CUSTOMER_EXPAND)))
    assert isinstance(customer.default_source, BankAccount)
    assert customer.invoice_settings is not None
    assert isinstance(customer.invoice_settings.default_payment_method, PaymentMethod)
    assert isinstance(charge.customer, str)  # not expanded: the id

    page = builder.list_page("charge", 3, url="/v1/charges", has_more=True, ids=["ch_a", "ch_b", "ch_c"])
    parsed = ListObject[Charge].model_validate_json(bodies.dumps(page))
    assert [c.id for c in parsed.data] == ["ch_a", "ch_b", "ch_c"] and parsed.has_more


def test_every_library_sends_the_same_create_request() -> None:
    common: Any = bench_module("common")
    assert dict(flatten(common.CUSTOMER_PARAMS)) == common.RAW_CUSTOMER_FORM
    assert [k for k, _ in flatten(common.CUSTOMER_PARAMS)] == list(common.RAW_CUSTOMER_FORM)
