"""Moving the pin to another Stripe document: `make update-spec SPEC=<path-or-commit>`.

The new document comes from a local file or from a commit of the pinned repository (`stripe/openapi`),
downloaded. Both documents are built into the IR first, so a document the generator cannot handle fails
before anything changes; then the SDK is regenerated, the document takes the place of `build/spec3.yaml`,
`spec/pin.toml` records its commit, sha256 and API version, and the API change report is written.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from codegen.changes import Change, diff_apis, render_report
from codegen.generate import OUTPUT, OVERRIDES, build_api, generate
from codegen.load import load_spec
from codegen.pin import BUILD_DIR, MATERIALIZED, PIN_FILE, Pin, PinError, materialize, read_pin, sha256_of

COMMIT = re.compile(r"[0-9a-f]{40}")


@dataclass
class Update:
    old: Pin
    new: Pin
    changes: list[Change]
    report: Path
    warnings: list[str]  # what the new document made stale (in the report too)

    def __str__(self) -> str:
        breaking = sum(c.breaking for c in self.changes)
        warnings = "".join(f"\nwarning: {w}" for w in self.warnings)
        return (
            f"pinned Stripe API {self.new.api_version} (sha256 {self.new.sha256[:12]}…, was {self.old.api_version}); "
            f"{len(self.changes)} change(s), {breaking} breaking: {self.report}{warnings}"
        )


def fetch(source: str, current: Pin, commit: str | None = None) -> tuple[bytes, str]:
    """The new document's bytes and the commit it comes from ("" when a local file's commit is not given)."""
    path = Path(source).expanduser()
    if source and path.is_file():
        if commit is not None and not COMMIT.fullmatch(commit):
            raise PinError(f"COMMIT must be a full 40-hex commit of {current.repository}, got {commit!r}")
        return path.read_bytes(), commit or ""
    if COMMIT.fullmatch(source):
        url = replace(current, commit=source).url
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - an https URL of ours
                return response.read(), source
        except OSError as exc:
            raise PinError(
                f"could not download {current.path} at commit {source} ({url}): {exc}. "
                "Without network access, pass a local copy: make update-spec SPEC=path/to/spec3.yaml COMMIT=<commit>"
            ) from exc
    raise PinError(
        f"SPEC={source!r} is neither a file nor a 40-hex commit of {current.repository}: "
        "make update-spec SPEC=path/to/spec3.yaml (or SPEC=<commit>)"
    )


def update_spec(
    source: str,
    *,
    commit: str | None = None,
    pin_file: Path = PIN_FILE,
    materialized: Path = MATERIALIZED,
    out_dir: Path = OUTPUT,
    overrides: Path = OVERRIDES,
    report: Path | None = None,
) -> Update:
    """Pin the document at `source` (a file or a commit), regenerate, and write the API change report."""
    old_pin = read_pin(pin_file)
    data, new_commit = fetch(source, old_pin, commit)
    staged = materialized.with_name(materialized.name + ".new")
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(data)
    try:
        new_spec = load_spec(staged)
        version = new_spec.get("info", {}).get("version") if isinstance(new_spec, dict) else None
        if not isinstance(version, str) or "paths" not in new_spec:
            raise PinError(f"{source} is not an OpenAPI document with info.version (is it Stripe's spec3.yaml?)")
        new_pin = replace(old_pin, commit=new_commit, sha256=sha256_of(data), api_version=version)
        try:
            old_path = materialize(old_pin, materialized)
        except PinError as exc:
            raise PinError(f"the current pin cannot be materialized to compare with: {exc}") from exc
        old_api = build_api(load_spec(old_path), overrides)
        new_api = build_api(new_spec, overrides)  # a document the generator cannot handle stops here
        changes = diff_apis(old_api, new_api)
        text = render_report(old_api, new_api, changes)
        generate(staged, out_dir, overrides)
        staged.replace(materialized)
    finally:
        staged.unlink(missing_ok=True)
    pin_file.write_text(new_pin.dump())
    report = report or BUILD_DIR / f"api-changes-{old_pin.api_version}-to-{new_pin.api_version}.md"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text)
    return Update(old_pin, new_pin, changes, report, new_api.warnings)
