"""Builds the package the ways its users do, from a clean copy of the checkout, for the packaging tests.

- `python -m build` in the copy: the sdist (rendered by the build hook), then the wheel from that sdist;
- `pip wheel git+file://<copy>`: pip's own clone, rendered and built there;
- the wheel again from the unpacked sdist with no network and no build isolation: the offline path.

The copy holds what `git ls-files` lists (tracked files and new, not ignored ones): a clone of the
working tree as it would be committed, without generated/, build/, .venv or node_modules.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pytest import TempPathFactory

ROOT = Path(__file__).resolve().parents[2]
# Where a spec download would go through when the tests forbid the network: nothing listens on port 9.
NO_NETWORK = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "PIP_NO_INDEX": "1"}


@dataclass(frozen=True)
class Artifacts:
    checkout: Path  # the clean copy, after `python -m build` rendered its generated/
    sdist: Path
    wheel: Path  # built from the sdist by `python -m build`
    wheel_from_git: Path
    wheel_offline: Path  # built from the unpacked sdist without network


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def clean_copy(target: Path) -> Path:
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).split("\0")
    for relative in filter(None, listed):
        source = ROOT / relative
        if source.is_file():  # a tracked file deleted in the working tree is not part of the next commit
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    git = ["git", "-c", "user.name=build", "-c", "user.email=build@example.com", "-c", "commit.gpgsign=false"]
    run([*git, "init", "-q"], target)
    run([*git, "add", "-A"], target)
    run([*git, "commit", "-q", "-m", "clean copy"], target)
    return target


def pinned_spec() -> Path:
    from codegen.pin import MATERIALIZED, materialize

    return MATERIALIZED if MATERIALIZED.exists() else materialize()


def spec_dirs() -> dict[str, str]:
    """The build hook finds the pinned document (by its sha256) where `make spec` materialized it."""
    return {"STRIPE_SPEC_DIRS": str(pinned_spec().parent)}


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {directory}, found {found}"
    return found[0]


def run_temp(tmp_path_factory: TempPathFactory) -> Path:
    """This run's temporary directory, the same in every xdist worker (each has a subdirectory of it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(directory: Path, produce: Callable[[Path], None]) -> Path:
    """`directory`, made by `produce` once however many test processes (xdist workers) ask at the same time."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    done = directory.with_name(f"{directory.name}.done")
    with open(directory.with_name(f"{directory.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)  # what a failed attempt left
            directory.mkdir()
            produce(directory)
            done.touch()
    return directory


def build_all(tmp: Path) -> None:
    checkout = clean_copy(tmp / "checkout")
    python = sys.executable
    run([python, "-m", "build", "--outdir", str(tmp / "dist")], checkout, spec_dirs())
    sdist = only(tmp / "dist", "*.tar.gz")

    run(
        [python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "git"), f"git+file://{checkout}"],
        tmp,
        spec_dirs(),
    )

    with tarfile.open(sdist) as archive:
        archive.extractall(tmp / "unpacked", filter="data")
    unpacked = only(tmp / "unpacked", "*")
    offline = {**NO_NETWORK, "STRIPE_SPEC_DIRS": ""}
    run([python, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "offline")], unpacked, offline)


def located(tmp: Path) -> Artifacts:
    """What `build_all(tmp)` made."""
    dist = tmp / "dist"
    return Artifacts(
        tmp / "checkout",
        only(dist, "*.tar.gz"),
        only(dist, "*.whl"),
        only(tmp / "git", "*.whl"),
        only(tmp / "offline", "*.whl"),
    )
