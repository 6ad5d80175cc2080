"""Build hooks: every wheel and sdist carries the generated SDK, and the metadata names its Stripe API version.

A build from a checkout renders `generated/` first (`python -m codegen generate`: the pinned document,
materialized and checked against its sha256, then the generator), so `pip install .`, `pip install git+...`
and `python -m build` need no `make generate`. An sdist carries the generated code, so a build from it
renders nothing and needs neither the generator's dependencies nor the network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

if sys.version_info >= (3, 11):
    import tomllib
else:  # hatchling itself depends on tomli before 3.11
    import tomli as tomllib

GENERATED_PACKAGE = Path("generated") / "stripe_connect_generated"


def _from_sdist(root: Path) -> bool:
    """An unpacked sdist has PKG-INFO at its root; a checkout has none."""
    return (root / "PKG-INFO").is_file()


class GenerateHook(BuildHookInterface):
    """Renders the generated package before a build from a checkout."""

    PLUGIN_NAME = "custom"

    def _must_generate(self, version: str) -> bool:
        root = Path(self.root)
        present = (root / GENERATED_PACKAGE / "__init__.py").is_file()
        if _from_sdist(root):
            if not present:
                raise RuntimeError(f"this sdist lacks {GENERATED_PACKAGE}: it was not built by this project's hooks")
            return False
        # An editable install keeps what `make generate` left; any other build renders afresh, so that the
        # artifact is what this commit's pin, overrides and templates produce.
        return not (version == "editable" and present)

    def dependencies(self) -> list[str]:
        # Only a build that renders needs the generator's pinned tools (ruff formats the output, so its
        # version is part of what the generated modules look like).
        return list(self.config.get("generator-requires", [])) if not _from_sdist(Path(self.root)) else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not self._must_generate(version):
            return
        self.app.display_info("rendering generated/ from the pinned Stripe document (python -m codegen generate)")
        subprocess.run([sys.executable, "-m", "codegen", "generate"], cwd=self.root, check=True)


class ApiVersionMetadata(MetadataHookInterface):
    """The summary and project URLs name the Stripe API version the SDK is generated for (spec/pin.toml)."""

    PLUGIN_NAME = "custom"

    def update(self, metadata: dict[str, Any]) -> None:
        pin = tomllib.loads((Path(self.root) / "spec" / "pin.toml").read_text())
        version = pin["api_version"]
        metadata["description"] = f"{self.config['summary']} Stripe API version {version}."
        urls = {**self.config.get("urls", {}), "Stripe API changelog": f"https://docs.stripe.com/upgrades#{version}"}
        if pin["commit"]:  # empty when the pin was taken from a local file
            urls["OpenAPI document"] = f"https://github.com/{pin['repository']}/blob/{pin['commit']}/{pin['path']}"
        metadata["urls"] = urls
