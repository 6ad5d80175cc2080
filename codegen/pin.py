"""The spec pin: which Stripe OpenAPI document we generate from, and how to get its exact bytes."""

from __future__ import annotations

import hashlib
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PIN_FILE = ROOT / "spec" / "pin.toml"
REFERENCES_FILE = ROOT / "spec" / "references.toml"
BUILD_DIR = ROOT / "build"
MATERIALIZED = BUILD_DIR / "spec3.yaml"
# Where copies of Stripe's documents may already sit on this machine (checked by sha256, never trusted by
# name): $STRIPE_SPEC_DIRS, then a `shared/spec` beside the checkout or beside any of its parents.
LOCAL_SPEC_DIRS = [Path(p) for p in os.environ.get("STRIPE_SPEC_DIRS", "").split(os.pathsep) if p] + [
    parent / "shared" / "spec" for parent in ROOT.parents
]
RAW_URL = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"


class PinError(RuntimeError):
    """The pinned document cannot be produced with the pinned sha256."""


@dataclass(frozen=True)
class Pin:
    repository: str
    commit: str
    path: str
    sha256: str
    api_version: str

    @property
    def url(self) -> str:
        return RAW_URL.format(repository=self.repository, commit=self.commit, path=self.path)

    def dump(self) -> str:
        return (
            "# The Stripe OpenAPI document this SDK is generated from.\n"
            "# `make spec` materializes it (from a local copy or the pinned commit) and refuses any other bytes.\n"
            "# `make update-spec SPEC=<path-or-commit>` rewrites this file.\n"
            f'repository = "{self.repository}"\n'
            f'commit = "{self.commit}"\n'
            f'path = "{self.path}"\n'
            f'sha256 = "{self.sha256}"\n'
            f'api_version = "{self.api_version}"\n'
        )


def read_pin(path: Path = PIN_FILE) -> Pin:
    data = tomllib.loads(path.read_text())
    return Pin(**{k: str(data[k]) for k in ("repository", "commit", "path", "sha256", "api_version")})


def read_references(path: Path = REFERENCES_FILE) -> dict[str, Pin]:
    """The other documents tests use, by name (`previous`, `sdk`)."""
    data = tomllib.loads(path.read_text())
    fields = ("repository", "commit", "path", "sha256", "api_version")
    return {name: Pin(**{k: str(entry[k]) for k in fields}) for name, entry in data.items()}


def reference_path(name: str) -> Path:
    return BUILD_DIR / f"reference-{name}.yaml"


def materialize_references() -> dict[str, Path]:
    return {name: materialize(pin, reference_path(name)) for name, pin in read_references().items()}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _local_copy(pin: Pin) -> bytes | None:
    for directory in LOCAL_SPEC_DIRS:
        if not directory.is_dir():
            continue
        for candidate in sorted(directory.glob("*.yaml")):
            data = candidate.read_bytes()
            if sha256_of(data) == pin.sha256:
                return data
    return None


def _download(pin: Pin) -> bytes:
    if not pin.commit:
        places = ", ".join(str(d) for d in LOCAL_SPEC_DIRS)
        raise PinError(
            f"no local copy of the pinned spec (sha256 {pin.sha256}) in {places}, and the pin names no commit to "
            "download it from (it was pinned from a local file): put the document there or set STRIPE_SPEC_DIRS"
        )
    try:
        with urllib.request.urlopen(pin.url, timeout=60) as response:  # noqa: S310 - fixed https URL
            return response.read()
    except OSError as exc:
        raise PinError(f"no local copy of the pinned spec and downloading {pin.url} failed: {exc}") from exc


def materialize(pin: Pin | None = None, target: Path = MATERIALIZED) -> Path:
    """Write the pinned document to `target`, verifying its sha256; reuse it when already correct."""
    pin = pin or read_pin()
    if target.exists() and sha256_of(target.read_bytes()) == pin.sha256:
        return target
    data = _local_copy(pin)
    if data is None:
        data = _download(pin)
    digest = sha256_of(data)
    if digest != pin.sha256:
        raise PinError(f"spec sha256 mismatch: pinned {pin.sha256}, got {digest} ({pin.url})")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target
