"""Parsers (pydantic `TypeAdapter`s) for response types, built once per type and shared by all clients."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import TypeAdapter

_adapters: dict[Any, TypeAdapter[Any]] = {}
# Building a validator resolves and builds every model the type reaches; doing that from two threads at
# once is not something pydantic promises to support, so builds are serialised (lookups are not).
_build_lock = threading.Lock()


def adapter_for(tp: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(tp)
    if adapter is None:
        with _build_lock:
            adapter = _adapters.get(tp)
            if adapter is None:
                adapter = TypeAdapter(tp)
                # Build now, while holding the lock: for models (defer_build) TypeAdapter would wait for the
                # first validation, outside it, and hand out a stand-in validator until then.
                adapter.rebuild()
                _adapters[tp] = adapter
    return adapter
