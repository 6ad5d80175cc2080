"""Stage 4: write the rendered files, formatted, replacing the previous output as a whole."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def write_tree(files: dict[str, str], out_dir: Path) -> None:
    """Write `files` under `out_dir` (stale files vanish), then sort their imports and format them with ruff."""
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    for relative, content in sorted(files.items()):
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    # Our own interpreter running ruff on our own output: imports sorted, then formatted.
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--quiet", "--select", "I", "--fix", "--exit-zero", str(staging)], check=True)  # noqa: S603
    subprocess.run([*ruff, "format", "--quiet", "--line-length", "120", str(staging)], check=True)  # noqa: S603
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
