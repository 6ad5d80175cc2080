"""Stage 1: load an OpenAPI document, caching the parsed form by the file's sha256.

Parsing Stripe's 4 MB YAML takes seconds even with libyaml; the JSON cache brings repeat loads to ~0.1 s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from codegen.pin import BUILD_DIR, sha256_of

CACHE_DIR = BUILD_DIR / "cache"

Spec = dict[str, Any]


def load_spec(path: Path, cache_dir: Path = CACHE_DIR) -> Spec:
    raw = path.read_bytes()
    cached = cache_dir / f"{sha256_of(raw)}.json"
    if cached.exists():
        return json.loads(cached.read_bytes())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: Spec = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps(document))
    tmp.replace(cached)
    return document
