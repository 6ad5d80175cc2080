"""The pipeline: load -> IR -> render -> write, with the checks that make generation fail loudly."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.events import event_types
from codegen.ir import Api
from codegen.load import load_spec
from codegen.models import GenerationError, ModelBuilder
from codegen.naming import iter_operations
from codegen.pin import ROOT, sha256_of
from codegen.render import render
from codegen.services import ServiceBuilder, read_host_overrides, read_overrides
from codegen.write import write_tree

OVERRIDES = ROOT / "spec" / "overrides.toml"
OUTPUT = ROOT / "generated"


def build_api(spec: Mapping[str, Any], overrides_path: Path = OVERRIDES) -> Api:
    models = ModelBuilder(spec["components"]["schemas"])
    model_modules = models.build()
    services = ServiceBuilder(spec, models, read_overrides(overrides_path), read_host_overrides(overrides_path))
    api = Api(
        api_version=str(spec["info"]["version"]),
        models=model_modules,
        root=services.build(),
        event_types=event_types(spec),
        warnings=models.warnings + services.warnings,
    )
    expected = {(op.path, op.verb) for op in iter_operations(spec)}
    generated = {(op.path, op.verb) for op in api.operations}
    if generated != expected:
        missing = sorted(f"{v.upper()} {p}" for p, v in expected - generated)
        raise GenerationError(f"{len(missing)} operation(s) of the spec have no method: {missing[:10]}")
    return api


def generated_header(spec_path: Path) -> str:
    """The first line of every generated module: that it is generated, from which document, by which command."""
    digest = sha256_of(spec_path.read_bytes())
    return f"# Generated from {spec_path.name} (sha256 {digest}) by `python -m codegen generate`: do not edit.\n"


@dataclass
class Report:
    operations: int
    services: int
    models: int
    files: int
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        warnings = "".join(f"\nwarning: {w}" for w in self.warnings)
        return (
            f"generated {self.operations} operations on {self.services} services, {self.models} models, "
            f"{self.files} files ({stages}){warnings}"
        )


def generate(spec_path: Path, out_dir: Path = OUTPUT, overrides_path: Path = OVERRIDES) -> Report:
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    spec = load_spec(spec_path)
    lap("load")
    api = build_api(spec, overrides_path)
    lap("ir")
    header = generated_header(spec_path)
    files = {name: header + text if name.endswith(".py") else text for name, text in render(api).items()}
    lap("render")
    write_tree(files, out_dir)
    lap("write+format")
    return Report(len(api.operations), len(api.services), len(api.models), len(files), seconds, api.warnings)
