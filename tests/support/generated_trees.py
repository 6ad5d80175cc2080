"""Generated trees other than the installed one: generate a document into a directory, check it with pyright
on its own, and run code against it in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def isolated_venv(root: Path) -> Path:
    """A venv view for pyright: this venv's packages without the editable install's path to generated/.

    Otherwise pyright would resolve a module missing from a generated tree in the installed package instead
    of reporting it.
    """
    site = Path(sysconfig.get_paths()["purelib"])
    target = root / "venv" / "lib" / site.parent.name / "site-packages"
    target.mkdir(parents=True)
    for entry in site.iterdir():
        if entry.suffix == ".pth" and str(ROOT / "generated") in entry.read_text():
            continue
        os.symlink(entry, target / entry.name)
    (target / "stripe_connect_core.pth").write_text(f"{ROOT}\n")  # the runtime core, not the generated package
    return root / "venv"


def pyright_errors(workdir: Path, tree: str) -> tuple[list[str], int]:
    """pyright's errors (`file:line: message`) on `workdir/tree` alone, and how many files it analyzed.

    The tree is checked against the runtime core and this venv's packages, never the installed generated
    package (see `isolated_venv`).
    """
    venv = isolated_venv(workdir)
    config = {
        "venvPath": str(venv.parent),
        "venv": venv.name,
        "pythonVersion": "3.10",
        "typeCheckingMode": "standard",
        "reportMissingModuleSource": False,
        "executionEnvironments": [{"root": tree}],
        "include": [tree],
    }
    (workdir / "pyrightconfig.json").write_text(json.dumps(config))
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson"], cwd=workdir, capture_output=True, text=True, check=False
    )
    report = json.loads(result.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    return errors, report["summary"]["filesAnalyzed"]


def run_against(tree: Path, code: str) -> str:
    """Run `code` in a fresh interpreter that imports the generated package from `tree` (ahead of the
    installed one); its stdout. A failure raises with the subprocess's stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout
