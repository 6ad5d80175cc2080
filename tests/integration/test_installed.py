"""The package as users get it: the wheel installed into a fresh virtualenv (no editable install, nothing of
the checkout on sys.path), and there the Connect walk-through, the Steady integration tests and pyright.

Each runs from its own scratch directory holding copies of the files it needs, with the installed package
as the only `stripe_connect`; Steady and the pinned document are handed over by path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomllib

from stripe_connect.testing import find_steady
from tests.integration.test_docs import assert_walkthrough_succeeded
from tests.support.artifacts import ROOT, Artifacts, once, pinned_spec, run_temp
from tests.support.objects import CARD_PRESENT_DETAILS, charge, stripe_event
from tests.support.webhook_probe import UNUSED_BY_WEBHOOKS, fresh_parse

pytestmark = pytest.mark.slow

# What the Steady tests need besides the package (the same pytest as the dev tools).
TEST_REQUIREMENTS = [
    r
    for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    if r.startswith("pytest==")
]


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    env: dict[str, str]  # Steady and the pinned document, by path; nothing that reaches into the checkout

    def run(self, command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="session")
def installed(artifacts: Artifacts, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    def install(venv: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv)], check=True)
        # The dev environment's pip installs into the fresh one (--python), which then needs no pip of its own.
        pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet"]
        result = subprocess.run([*pip, str(artifacts.wheel), *TEST_REQUIREMENTS], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    venv = once(run_temp(tmp_path_factory) / "venv", install)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {
        "STRIPE_CONNECT_STEADY": find_steady(),
        "STRIPE_CONNECT_TEST_SPEC": str(pinned_spec()),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return Installed(venv, venv / "bin" / "python", env)


def scratch(tmp_path: Path, *files: str) -> Path:
    """A working directory holding copies of `files` (paths relative to the checkout), nothing else."""
    for relative in files:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, tmp_path / relative)
    return tmp_path


def test_the_package_is_imported_from_the_virtualenv_not_the_checkout(installed: Installed, tmp_path: Path) -> None:
    probe = (
        "import json, sys, importlib.metadata as m, stripe_connect, stripe_connect_generated\n"
        "dist = m.distribution('stripe-connect')\n"
        "print(json.dumps({'core': stripe_connect.__file__, 'generated': stripe_connect_generated.__file__,\n"
        "    'api_version': stripe_connect.API_VERSION, 'summary': dist.metadata['Summary'], 'path': sys.path,\n"
        "    'direct_url': dist.read_text('direct_url.json')}))"
    )
    result = installed.run([str(installed.python), "-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    site = str(installed.venv)
    assert seen["core"].startswith(site) and seen["generated"].startswith(site)
    assert not [entry for entry in seen["path"] if entry.startswith(str(ROOT))]
    assert seen["direct_url"] is None or '"editable": true' not in seen["direct_url"]
    assert seen["api_version"] == tomllib.loads((ROOT / "spec" / "pin.toml").read_text())["api_version"]
    assert seen["summary"].endswith(f"Stripe API version {seen['api_version']}.")


def test_the_connect_walkthrough_runs_from_the_installed_package(installed: Installed, tmp_path: Path) -> None:
    work = scratch(tmp_path, "examples/connect_walkthrough.py")
    spec = installed.env["STRIPE_CONNECT_TEST_SPEC"]
    result = installed.run([str(installed.python), "examples/connect_walkthrough.py", spec], work)
    assert_walkthrough_succeeded(result)


def test_the_steady_integration_tests_pass_against_the_installed_package(installed: Installed, tmp_path: Path) -> None:
    work = scratch(tmp_path, "tests/conftest.py", "tests/support/fault_server.py", "tests/integration/test_steady.py")
    command = [
        str(installed.python),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "tests/integration/test_steady.py",
    ]
    result = installed.run(command, work)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    collected = len(
        [
            line
            for line in (ROOT / "tests" / "integration" / "test_steady.py").read_text().splitlines()
            if line.startswith("def test_")
        ]
    )
    assert f"{collected} passed" in result.stdout


def test_pyright_sees_the_installed_types(installed: Installed, tmp_path: Path) -> None:
    work = scratch(tmp_path, "examples/typed_usage.py", "examples/typed_usage_async.py")
    (work / "mistake.py").write_text(
        "from stripe_connect import StripeClient\n\nStripeClient('sk_test_1').customers.create(emial='a@example.com')\n"
    )
    # pyright from the dev tools, resolving imports through the fresh virtualenv's interpreter.
    command = [
        sys.executable,
        "-m",
        "pyright",
        "--outputjson",
        "--pythonpath",
        str(installed.python),
        "examples",
        "mistake.py",
    ]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    errors = [(Path(d["file"]).name, d["message"]) for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert errors == [("mistake.py", 'No parameter named "emial"')]
    revealed = [d["message"] for d in report["generalDiagnostics"] if d["severity"] == "information"]
    assert any("ListObject[Capability]" in m for m in revealed), revealed


def test_a_first_webhook_from_the_installed_package_loads_what_it_uses(installed: Installed, tmp_path: Path) -> None:
    # The wheel's generated code defers kinds as the checkout's does: a terminal payment's `card_present`
    # (a deferred kind) parses into its class and no other kind is built; no HTTP stack is imported.
    event = stripe_event(charge(payment_method_details=CARD_PRESENT_DETAILS))
    parsed = fresh_parse(event, str(installed.python), cwd=tmp_path, env=installed.env)
    assert parsed["type"] == "Charge" and parsed["kind"] == "PaymentMethodDetailsCardPresent"
    assert "payment_method_details_card_present" in parsed["models"]
    # No other kind of payment is built (`card`, inline as the commonest, loads with the details model).
    others = [m for m in parsed["models"] if m.startswith("payment_method_details_") and "_card" not in m]
    assert others == [], others
    assert parsed["http"] == [] and [m for m in UNUSED_BY_WEBHOOKS if m in parsed["modules"]] == []
    assert parsed["generated_from"].startswith(str(installed.venv)), parsed["generated_from"]
