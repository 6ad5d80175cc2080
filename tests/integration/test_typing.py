"""pyright on the package and on usage: 0 errors, and the mistakes users make are reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BAD_USAGE = """
from stripe_connect import StripeClient

client = StripeClient("sk_test_123")
client.customers.create(emial="jenny@example.com")
client.customers.create(balance="a lot")
client.charges.create(amount=100, currency="usd", capture="yes")
client.customers.create(tax_exempt="sometimes")
client.customers.create(address={"line1": "x", "postcode": "y"})
client.charges.retrieve("ch_1", stripe_acount="acct_1")
client.accounts.capabilities.list()
"""


def pyright(*paths: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return json.loads(result.stdout)


def errors_of(report: dict) -> list[dict]:
    return [d for d in report["generalDiagnostics"] if d["severity"] == "error"]


@pytest.mark.slow
def test_whole_project_and_typed_example_have_no_errors() -> None:
    # No paths: pyproject's `include` (the core, the generated package, codegen, tests, bench, examples).
    report = pyright()
    assert errors_of(report) == []
    assert report["summary"]["filesAnalyzed"] > 1000
    revealed = [d["message"] for d in report["generalDiagnostics"] if d["severity"] == "information"]
    assert any("ListObject[Capability]" in m for m in revealed), revealed


def test_mistakes_are_reported() -> None:
    target = ROOT / "build" / "typecheck" / "bad_usage.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(BAD_USAGE)
    errors = errors_of(pyright(str(target)))
    by_line = {e["range"]["start"]["line"] + 1: e["message"] for e in errors}
    lines = BAD_USAGE.splitlines()
    expected = {
        "emial=": 'No parameter named "emial"',
        'balance="a lot"': 'parameter "balance" of type "int | None"',
        'capture="yes"': 'parameter "capture" of type "bool | None"',
        'tax_exempt="sometimes"': "tax_exempt",
        '"postcode"': 'parameter "address" of type "CustomerCreateParamsAddress',
        "stripe_acount=": 'No parameter named "stripe_acount"',
        "capabilities.list()": 'Argument missing for parameter "account"',
    }
    for needle, message in expected.items():
        line = next(i + 1 for i, text in enumerate(lines) if needle in text)
        assert line in by_line, f"pyright did not flag: {lines[line - 1]}"
        assert message in by_line[line], (needle, by_line[line])
    assert len(errors) == len(expected)


PAGE_USAGE = """
from stripe_connect import AsyncStripeClient, StripeClient


async def main(client: StripeClient, aclient: AsyncStripeClient) -> None:
    page = client.customers.list()
    for customer in page.auto_paging_iter():
        print(customer.id)
    found = client.customers.search(query="name:'x'")
    for customer in found.auto_paging_iter():
        print(customer.id)
    apage = await aclient.customers.list()
    async for customer in apage.auto_paging_iter_async():
        print(customer.id)
    afound = await aclient.customers.search(query="name:'x'")
    async for customer in afound.auto_paging_iter_async():
        print(customer.id)
    async for customer in aclient.customers.list().auto_paging_iter():
        print(customer.id)
    page.auto_paging_iter_async()  # wrong
    found.auto_paging_iter_async()  # wrong
    apage.auto_paging_iter()  # wrong
    afound.auto_paging_iter()  # wrong
    async for customer in page.auto_paging_iter():  # wrong
        print(customer.id)
    for customer in aclient.customers.list().auto_paging_iter():  # wrong
        print(customer.id)
"""


def test_each_page_walks_only_the_way_its_client_can() -> None:
    """A sync client's pages iterate, an async client's async-iterate; pyright rejects the other walk."""
    target = ROOT / "build" / "typecheck" / "page_usage.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE_USAGE)
    errors = errors_of(pyright(str(target)))
    lines = PAGE_USAGE.splitlines()
    flagged = {e["range"]["start"]["line"] + 1 for e in errors}
    wrong = {i + 1 for i, text in enumerate(lines) if text.endswith("# wrong")}
    assert flagged == wrong, [(e["range"]["start"]["line"] + 1, e["message"]) for e in errors]
