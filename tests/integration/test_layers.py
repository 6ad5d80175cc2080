"""The layers hold: `lint-imports` keeps the contracts in pyproject.toml (`[tool.importlinter]`).

The runtime core imports nothing generated, nothing in the runtime or the generated package imports in a
circle, the generator never imports what it renders, and nothing imports the helpers for users' tests
(`stripe_connect.testing`) but those tests. Imports inside functions count.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

from codegen.pin import read_pin

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


GENERATED = ROOT / "generated" / "stripe_connect_generated"


def _runtime_imports(tree: ast.Module) -> set[str]:
    """Every `stripe_connect` module a generated module imports, type-checking blocks and functions included."""
    found: set[str] = set()
    for node in ast.walk(tree):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found.update(n for n in names if n == "stripe_connect" or n.startswith("stripe_connect."))
    return found


def test_generated_code_imports_only_the_template_contract() -> None:
    offenders = {
        str(file.relative_to(GENERATED)): imports - {"stripe_connect._runtime"}
        for file in GENERATED.rglob("*.py")
        if (imports := _runtime_imports(ast.parse(file.read_text())))
    }
    assert {name: sorted(mods) for name, mods in offenders.items() if mods} == {}
    assert any(mods == set() for mods in offenders.values())  # the walk saw the contract's imports


def test_the_template_contract_lists_what_it_exports() -> None:
    from stripe_connect import _runtime

    assert sorted(_runtime.__all__) == sorted([*_runtime._EXPORTS, "lazy_exports"])  # pyright: ignore[reportPrivateUsage]
    for name in _runtime.__all__:
        assert getattr(_runtime, name) is not None, name


def test_every_generated_module_says_it_is_generated_from_the_pinned_document() -> None:
    header = f"# Generated from spec3.yaml (sha256 {read_pin().sha256}) by `python -m codegen generate`: do not edit."
    files = sorted(GENERATED.rglob("*.py"))
    assert len(files) > 100
    assert [str(f.relative_to(GENERATED)) for f in files if f.read_text().splitlines()[0] != header] == []


def test_nothing_the_sdk_runs_on_imports_the_helpers_for_users_tests() -> None:
    graph = grimp.build_graph(
        "stripe_connect", "stripe_connect_generated", "codegen", exclude_type_checking_imports=True
    )
    assert {"stripe_connect.testing.steady", "stripe_connect.testing.oauth_server"} <= graph.modules
    assert graph.find_downstream_modules("stripe_connect.testing", as_package=True) == set()
