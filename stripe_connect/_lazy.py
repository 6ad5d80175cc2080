"""Module-level lazy exports: a name's module is imported the first time the name is used."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module `__getattr__`: `exports` maps each name to its module (absolute, or relative to `package`)."""

    def __getattr__(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(package + target if target.startswith(".") else target)
        value = getattr(module, name)
        namespace[name] = value  # later lookups are plain attribute reads
        return value

    return __getattr__
