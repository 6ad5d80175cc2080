"""Generated models resolve their annotations when their classes are made: a model module imports the models
its fields name before its classes, and only modules that import each other in a cycle import last and name
those models in string annotations. So building a model evaluates no annotation a second time."""

from __future__ import annotations

import json
import subprocess
import sys

from codegen.import_cycles import import_cycles
from codegen.render import annotation


def test_import_cycles_are_the_modules_that_reach_each_other() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": set(), "f": {"f"}, "x": {"a", "e"}}
    cycles = import_cycles(imports)
    assert set(cycles) == set(imports)
    assert cycles["a"] == cycles["b"] == cycles["c"]
    others = [cycles[m] for m in ("a", "d", "e", "f", "x")]
    assert len(set(others)) == len(others)


def test_a_long_import_chain_needs_no_recursion() -> None:
    chain = {f"m{i}": {f"m{i + 1}"} for i in range(5000)} | {"m5000": {"m0"}}
    assert len(set(import_cycles(chain).values())) == 1


def test_an_annotation_naming_a_model_not_bound_yet_is_a_string() -> None:
    assert annotation("Expandable[Invoice] | None", {"Invoice"}) == "'Expandable[Invoice] | None'"
    assert annotation('OpenEnum[Literal["a", "b"]] | None', {"Invoice"}) == 'OpenEnum[Literal["a", "b"]] | None'
    assert annotation("InvoiceItem | None", {"Invoice"}) == "InvoiceItem | None"


# A fresh interpreter imports every model module, then lists the model classes whose fields pydantic could not
# resolve when it made them, and the modules that import models after their classes (import cycles).
PROBE = """
import ast, importlib, inspect, json, pkgutil, sys
import stripe_connect_generated.models as package
from pydantic import BaseModel

names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
modules = [importlib.import_module(f"{package.__name__}.{name}") for name in names]
incomplete, string_annotations, importing_last = [], [], []
for module in modules:
    for cls in vars(module).values():
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
            if not cls.__pydantic_fields_complete__:
                incomplete.append(module.__name__)
            if any(isinstance(a, str) for a in cls.__dict__.get("__annotations__", {}).values()):
                string_annotations.append(module.__name__)
    body = ast.parse(inspect.getsource(module)).body
    first_class = next((i for i, node in enumerate(body) if isinstance(node, ast.ClassDef)), len(body))
    if any(isinstance(node, ast.ImportFrom) for node in body[first_class:]):
        importing_last.append(module.__name__)
print(json.dumps({"modules": len(modules), "incomplete": incomplete, "strings": string_annotations,
                  "last": importing_last}))
"""


def test_only_models_in_import_cycles_resolve_annotations_after_their_class_is_made() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    assert found["modules"] > 800
    cyclic = set(found["last"])
    # Stripe's objects refer to each other in cycles mostly through expandable fields (`ModelRef`s, never
    # imported); the few other cycles are the exception, not the shape of every module.
    assert 0 < len(cyclic) < 10, cyclic
    assert set(found["incomplete"]) <= cyclic
    # String annotations: names a class cannot see when it is made (a model imported last, itself).
    assert len(set(found["strings"])) < 20, found["strings"]
    assert "stripe_connect_generated.models.charge" not in set(found["strings"]) | set(found["incomplete"])
