"""The layers hold: `lint-imports` keeps the contracts in pyproject.toml (`[tool.importlinter]`).

The runtime core imports nothing generated, nothing in the runtime or the generated package imports in a
circle, and the generator never imports what it renders. Imports inside functions count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
