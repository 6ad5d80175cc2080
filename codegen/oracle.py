"""Compare our service and method names with Stripe's own, from a document carrying `x-stripeOperations`.

Stripe's SDK-annotated document lists, on each resource schema, the operations its service exposes
(`method_on: service`) and their method names. An operation may be listed on several resources (the
capabilities list is both `capability.list` and `account.capabilities`); ours agrees when our
(resource, method) is one of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from codegen.naming import OperationName


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def stripe_service_names(sdk_spec: Mapping[str, Any]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    names: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for schema_name, schema in sdk_spec["components"]["schemas"].items():
        resource = schema.get("x-resourceId", schema_name)
        for entry in schema.get("x-stripeOperations", []):
            if entry.get("method_on") == "service":
                names[(entry["path"], entry["operation"])].add((resource, snake(entry["method_name"])))
    return dict(names)


@dataclass(frozen=True)
class Mismatch:
    path: str
    verb: str
    ours: tuple[str, str]
    stripes: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        theirs = " or ".join(f"{r}.{m}" for r, m in self.stripes)
        return f"{self.verb.upper():6} {self.path}: ours {self.ours[0]}.{self.ours[1]}, Stripe's {theirs}"


@dataclass(frozen=True)
class Agreement:
    compared: int
    mismatches: tuple[Mismatch, ...]

    @property
    def agreed(self) -> int:
        return self.compared - len(self.mismatches)

    @property
    def ratio(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0


def compare(ours: Mapping[tuple[str, str], OperationName], sdk_spec: Mapping[str, Any]) -> Agreement:
    theirs = stripe_service_names(sdk_spec)
    mismatches: list[Mismatch] = []
    compared = 0
    for key in sorted(set(ours) & set(theirs)):
        compared += 1
        name = ours[key]
        mine = (name.resource or "", name.method)
        if mine not in theirs[key]:
            mismatches.append(Mismatch(key[0], key[1], mine, tuple(sorted(theirs[key]))))
    return Agreement(compared, tuple(mismatches))
