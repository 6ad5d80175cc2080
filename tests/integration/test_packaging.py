"""The artifacts users install: what the wheel and the sdist hold, their metadata, and that they are
reproducible. Built once per run from a clean copy of the checkout (tests/support/artifacts.py)."""

from __future__ import annotations

import email
import email.message
import gzip
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomllib

from stripe_connect._version import VERSION
from tests.support.artifacts import ROOT, Artifacts

pytestmark = pytest.mark.slow

DIST_INFO = f"stripe_connect-{VERSION}.dist-info"
SDIST_TOP = f"stripe_connect-{VERSION}"


def files_under(directory: Path, base: Path) -> set[str]:
    return {
        path.relative_to(base).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def sdist_names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {m.name.removeprefix(f"{SDIST_TOP}/") for m in archive.getmembers() if m.isfile()}


def metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        return email.message_from_bytes(archive.read(f"{DIST_INFO}/METADATA"))


def pinned_api_version() -> str:
    return tomllib.loads((ROOT / "spec" / "pin.toml").read_text())["api_version"]


def test_the_wheel_holds_the_runtime_every_generated_module_and_nothing_else(artifacts: Artifacts) -> None:
    runtime = files_under(artifacts.checkout / "stripe_connect", artifacts.checkout)
    generated = files_under(
        artifacts.checkout / "generated" / "stripe_connect_generated", artifacts.checkout / "generated"
    )
    names = wheel_names(artifacts.wheel)
    assert names == runtime | generated | {
        f"{DIST_INFO}/{name}" for name in ("METADATA", "WHEEL", "RECORD", "licenses/LICENSE")
    }
    assert {"stripe_connect/py.typed", "stripe_connect_generated/py.typed"} <= names
    assert {"stripe_connect_generated/client.py", "stripe_connect_generated/models/charge.py"} <= names
    assert {f"stripe_connect/testing/{name}.py" for name in ("__init__", "steady", "oauth_server", "signing")} <= names
    assert len(generated) > 1000  # one module per model, service and service's parameters
    # No test data, spec document, generator or documentation rode along.
    assert not [n for n in names if n.endswith((".yaml", ".json", ".j2", ".md", ".pyc")) or n.startswith("tests/")]


def test_the_sdist_carries_what_a_build_from_it_needs(artifacts: Artifacts) -> None:
    names = sdist_names(artifacts.sdist)
    assert {name.split("/")[0] for name in names} == {
        "PKG-INFO",
        "pyproject.toml",
        ".gitignore",  # hatchling keeps it so that a build from the sdist ignores what a checkout's does
        "README.md",
        "LICENSE",
        "hatch_build.py",
        "stripe_connect",
        "generated",  # the generated package and its API reference (API.md): a build from here renders nothing
        "codegen",  # the generator and its templates, to render again
        "spec",  # the pin and the overrides
        "docs",
        "examples",
    }
    checkout = artifacts.checkout
    assert files_under(checkout / "codegen", checkout) <= names
    assert {"spec/pin.toml", "spec/overrides.toml", "generated/API.md"} <= names
    generated = {n for n in wheel_names(artifacts.wheel) if n.startswith("stripe_connect_generated/")}
    assert {f"generated/{n}" for n in generated} <= names
    assert not [n for n in names if n.endswith(".yaml") or n.startswith(("tests/", "build/", "node_modules/"))]


def test_every_way_of_building_gives_the_same_wheel_byte_for_byte(artifacts: Artifacts) -> None:
    # Rendered twice (in the copy for `python -m build`, in pip's own clone for git+file://), in different
    # directories at different times, and once more from the sdist offline: the same bytes.
    wheel = artifacts.wheel.read_bytes()
    assert artifacts.wheel_from_git.read_bytes() == wheel
    assert artifacts.wheel_offline.read_bytes() == wheel


def test_the_artifacts_hold_no_build_paths_or_build_times(artifacts: Artifacts) -> None:
    build_paths = [str(artifacts.checkout.parent).encode(), str(ROOT).encode(), b"pip-req-build", b"site-packages"]
    with zipfile.ZipFile(artifacts.wheel) as wheel:
        assert len({info.date_time for info in wheel.infolist()}) == 1
        for info in wheel.infolist():
            content = wheel.read(info)
            assert not [p for p in build_paths if p in content], info.filename
    with tarfile.open(artifacts.sdist) as sdist:
        members = sdist.getmembers()
        assert len({m.mtime for m in members}) == 1
        for member in members:
            reader = sdist.extractfile(member) if member.isfile() else None
            content = reader.read() if reader else b""
            assert not [p for p in build_paths if p in content], member.name
    with gzip.open(artifacts.sdist) as gz:
        gz.read(1)
        assert gz.mtime in (0, members[0].mtime)


def test_the_metadata_names_the_stripe_api_version_and_what_pypi_shows(artifacts: Artifacts) -> None:
    meta = metadata(artifacts.wheel)
    version = pinned_api_version()
    assert meta["Name"] == "stripe-connect"
    assert meta["Version"] == VERSION
    assert meta["Summary"].endswith(f"Stripe API version {version}.")
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    assert urls["Stripe API changelog"] == f"https://docs.stripe.com/upgrades#{version}"
    assert urls["OpenAPI document"].startswith("https://github.com/stripe/openapi/blob/")
    assert meta["License-Expression"] == "MIT"
    assert meta["Requires-Python"] == ">=3.10"
    classifiers = meta.get_all("Classifier") or []
    assert {"Typing :: Typed", "Programming Language :: Python :: 3.10"} <= set(classifiers)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert set(meta.get_all("Provides-Extra") or []) == set(extras) >= {"dev"}
    requires = meta.get_all("Requires-Dist") or []
    assert len([r for r in requires if r.startswith("sniffio")]) == 1


def test_twine_accepts_both_artifacts(artifacts: Artifacts) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(artifacts.sdist), str(artifacts.wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_a_build_renders_with_the_generator_tools_make_generate_uses() -> None:
    # Otherwise a wheel's modules could differ from generated/ (ruff's formatting is part of the output).
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    build_pins = pyproject["tool"]["hatch"]["build"]["hooks"]["custom"]["generator-requires"]
    assert build_pins
    assert set(build_pins) <= set(pyproject["project"]["optional-dependencies"]["dev"])


def test_an_sdist_without_the_generated_code_refuses_to_build(tmp_path: Path) -> None:
    # An unpacked sdist (PKG-INFO at its root) never renders: without generated/ it says so instead of
    # building a wheel that fails on its first import.
    for relative in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "spec/pin.toml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, tmp_path / relative)
    shutil.copytree(ROOT / "stripe_connect", tmp_path / "stripe_connect", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "PKG-INFO").write_text(f"Metadata-Version: 2.4\nName: stripe-connect\nVersion: {VERSION}\n")
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist")]
    result = subprocess.run(build, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "this sdist lacks generated/stripe_connect_generated" in result.stdout + result.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").glob("*.whl"))
