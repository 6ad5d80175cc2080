"""Stage 5, on a spec bump: what changed for callers between two APIs, as a markdown report.

The diff runs on the IR (`build_api` of each document), so it speaks the SDK's language —
`client.charges.capture(amount=…)`, `Charge.outcome.type` — rather than the spec's paths and schemas:
services, methods and their routes, parameters (nested ones as dotted paths), return types, models and
their fields, enum values, and event types. Changes that can break code written against the old version
come first.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from codegen.ir import Api, ModelModule, Operation, Param
from codegen.render import environment

# Section titles, in report order within each part. A breaking change is one that can make code written
# against the old API fail: a name or value it used is gone, or a type it relied on is different.
BREAKING = (
    "Removed services",
    "Removed methods",
    "Changed method signatures",
    "Changed return types",
    "Removed parameters",
    "New required parameters",
    "Parameters now required",
    "Changed parameter types",
    "Removed parameter enum values",
    "Removed models",
    "Removed model fields",
    "Changed model field types",
    "Model fields now nullable",
    "Removed model enum values",
    "Removed event types",
)
ADDITIONS = (
    "New services",
    "New methods",
    "New parameters",
    "New parameter enum values",
    "New models",
    "New model fields",
    "New model enum values",
    "New event types",
)
OTHER = (
    "Parameter types widened",
    "Parameters now optional",
    "Model field types narrowed",
    "Model fields no longer nullable",
    "Changed routes",
)


@dataclass(frozen=True, order=True)
class Change:
    section: str
    subject: str  # what a caller wrote: `client.charges.capture(amount=…)`, `Charge.amount`
    detail: str = ""
    route: str = ""  # for methods and their parameters: `POST /v1/charges/{charge}/capture`

    @property
    def breaking(self) -> bool:
        return self.section in BREAKING


@dataclass(frozen=True)
class TypeShape:
    """A type expression with its enum values taken out, nullability apart, and opaque names blanked."""

    members: frozenset[str]  # the rest of the type's union members: `Literal`, `list[Literal]`, `str`, `{...}`
    values: frozenset[object]  # the values of every Literal in it
    nullable: bool


class _Blank(ast.NodeTransformer):
    def __init__(self, opaque: Collection[str]) -> None:
        self.opaque = opaque
        self.values: set[object] = set()

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "Literal":
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            self.values.update(ast.literal_eval(e) for e in elements)
            return ast.Name("Literal", ast.Load())
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name("{...}", ast.Load()) if node.id in self.opaque else node


def _members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    return [node]


def type_shape(expr: str, opaque: Collection[str] = ()) -> TypeShape:
    """Parse a rendered annotation; names in `opaque` (nested classes, compared field by field) are blanked."""
    blank = _Blank(opaque)
    members = _members(ast.parse(expr, mode="eval").body)
    nullable = any(isinstance(m, ast.Constant) and m.value is None for m in members)
    rest = {ast.unparse(blank.visit(m)) for m in members if not (isinstance(m, ast.Constant) and m.value is None)}
    return TypeShape(frozenset(rest), frozenset(blank.values), nullable)


def _values(values: Iterable[object]) -> str:
    return ", ".join(f"`{v!r}`" for v in sorted(values, key=repr))


@dataclass(frozen=True)
class _Slot:
    """A parameter or a field: its type and whether callers must pass it (or may rely on it being set)."""

    type: str
    required: bool


def _param_slots(op: Operation) -> tuple[dict[str, _Slot], set[str]]:
    """Every parameter of a method, nested ones as dotted paths; and the TypedDict names they use."""
    typed_dicts = {td.name: td for td in op.typed_dicts}
    slots: dict[str, _Slot] = {}

    def walk(path: str, type_expr: str, required: bool, seen: frozenset[str]) -> None:
        slots[path] = _Slot(type_expr, required)
        for name in re.findall(r"\b\w+\b", type_expr):
            if name in typed_dicts and name not in seen:
                for f in typed_dicts[name].fields:
                    walk(f"{path}.{f.name}", f.type, f.required, seen | {name})

    for p in op.params:
        walk(p.name, p.type, p.required, frozenset())
    return slots, set(typed_dicts)


def _field_slots(model: ModelModule) -> tuple[dict[str, _Slot], set[str]]:
    """Every field of a model, fields of its inline classes as dotted paths; and those inline class names."""
    if model.alias is not None:
        return {model.name: _Slot(model.alias, True)}, set()
    classes = {c.name: c for c in model.classes}
    slots: dict[str, _Slot] = {}

    def walk(path: str, class_name: str, seen: frozenset[str]) -> None:
        for f in classes[class_name].fields:
            slots[f"{path}.{f.name}"] = _Slot(f.type, f.required)
            for name in re.findall(r"\b\w+\b", f.type):
                if name in classes and name not in seen:
                    walk(f"{path}.{f.name}", name, seen | {name})

    walk(model.name, model.name, frozenset({model.name}))
    return slots, set(classes) - {model.name}


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths none of whose ancestors is in the set: a removed object, not each of its fields."""
    chosen = set(paths)
    return sorted(p for p in chosen if not any(p.startswith(q + ".") for q in chosen if q != p))


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, section: str, subject: str, detail: str = "", route: str = "") -> None:
        self.changes.append(Change(section, subject, detail, route))

    def slots(
        self,
        old: dict[str, _Slot],
        new: dict[str, _Slot],
        old_opaque: set[str],
        new_opaque: set[str],
        subject: Callable[[str], str],  # a slot's path -> how the report names it
        kind: str,  # "param" or "field"
        route: str = "",
    ) -> None:
        removed = _outermost(set(old) - set(new))
        added = _outermost(set(new) - set(old))
        for path in removed:
            self.add("Removed parameters" if kind == "param" else "Removed model fields", subject(path), route=route)
        for path in added:
            if kind == "param":
                # Outermost: a nested one sits in an object callers already pass, so required binds them too.
                section = "New required parameters" if new[path].required else "New parameters"
                self.add(section, subject(path), f"`{new[path].type}`", route)
            else:
                self.add("New model fields", subject(path), f"`{new[path].type}`")
        for path in sorted(set(old) & set(new)):
            self._slot(old[path], new[path], old_opaque, new_opaque, subject(path), kind, route)

    def _slot(
        self,
        old: _Slot,
        new: _Slot,
        old_opaque: set[str],
        new_opaque: set[str],
        subject: str,
        kind: str,
        route: str,
    ) -> None:
        a, b = type_shape(old.type, old_opaque), type_shape(new.type, new_opaque)
        label = "parameter" if kind == "param" else "model"
        change = f"`{old.type}` → `{new.type}`"
        if a.members != b.members:
            # Callers may pass more than before (a param widened) and receive less (a field narrowed) safely.
            if kind == "param":
                section = "Parameter types widened" if a.members < b.members else "Changed parameter types"
            else:
                section = "Model field types narrowed" if b.members < a.members else "Changed model field types"
            self.add(section, subject, change, route)
            return
        if a.values - b.values:
            self.add(f"Removed {label} enum values", subject, _values(a.values - b.values), route)
        if b.values - a.values:
            self.add(f"New {label} enum values", subject, _values(b.values - a.values), route)
        if kind == "param":
            if new.required and not old.required:
                self.add("Parameters now required", subject, route=route)
            elif old.required and not new.required:
                self.add("Parameters now optional", subject, route=route)
        elif b.nullable and not a.nullable:
            self.add("Model fields now nullable", subject, change)
        elif a.nullable and not b.nullable:
            self.add("Model fields no longer nullable", subject, change)


def _call(service: str, op: Operation, params: str = "") -> str:
    return f"`client.{service}.{op.method}({params})`"


def _route(op: Operation) -> str:
    return f"`{op.key}`"


def diff_apis(old: Api, new: Api) -> list[Change]:
    """Every change between two APIs that a caller of the SDK can notice, sorted by section and subject."""
    d = _Differ()
    old_services = {s.dotted: s for s in old.services}
    new_services = {s.dotted: s for s in new.services}
    for name in sorted(set(old_services) - set(new_services)):
        d.add("Removed services", f"`client.{name}`")
    for name in sorted(set(new_services) - set(old_services)):
        d.add("New services", f"`client.{name}`")

    old_ops = {(s.dotted, op.method): op for s in old.services for op in s.operations}
    new_ops = {(s.dotted, op.method): op for s in new.services for op in s.operations}
    for service, method in sorted(set(old_ops) - set(new_ops)):
        op = old_ops[(service, method)]
        d.add("Removed methods", _call(service, op), route=_route(op))
    for service, method in sorted(set(new_ops) - set(old_ops)):
        op = new_ops[(service, method)]
        d.add("New methods", _call(service, op), route=_route(op))
    for key in sorted(set(old_ops) & set(new_ops)):
        service = key[0]
        a, b = old_ops[key], new_ops[key]
        if [p.name for p in a.path_params] != [p.name for p in b.path_params]:
            d.add(
                "Changed method signatures",
                _call(service, b),
                f"ids {_ids(a.path_params)} → {_ids(b.path_params)}",
                _route(b),
            )
        if a.key != b.key:
            d.add("Changed routes", _call(service, b), f"{_route(a)} → {_route(b)}")
        if type_shape(a.returns) != type_shape(b.returns):
            d.add("Changed return types", _call(service, b), f"`{a.returns}` → `{b.returns}`", _route(b))
        (old_slots, old_opaque), (new_slots, new_opaque) = _param_slots(a), _param_slots(b)
        d.slots(
            old_slots,
            new_slots,
            old_opaque,
            new_opaque,
            lambda path, service=service, op=b: _call(service, op, f"{path}=…"),
            "param",
            _route(b),
        )

    old_models = {m.name: m for m in old.models}
    new_models = {m.name: m for m in new.models}
    for name in sorted(set(old_models) - set(new_models)):
        d.add("Removed models", f"`{name}`", f"schema `{old_models[name].schema_name}`")
    for name in sorted(set(new_models) - set(old_models)):
        d.add("New models", f"`{name}`", f"schema `{new_models[name].schema_name}`")
    for name in sorted(set(old_models) & set(new_models)):
        old_slots, old_opaque = _field_slots(old_models[name])
        new_slots, new_opaque = _field_slots(new_models[name])
        d.slots(old_slots, new_slots, old_opaque, new_opaque, lambda path: f"`{path}`", "field")

    for event_type in sorted(set(old.event_types) - set(new.event_types)):
        d.add("Removed event types", f"`{event_type}`")
    for event_type in sorted(set(new.event_types) - set(old.event_types)):
        d.add("New event types", f"`{event_type}`")
    return sorted(d.changes)


def _ids(params: list[Param]) -> str:
    return "(" + ", ".join(p.name for p in params) + ")"


@dataclass(frozen=True)
class Section:
    title: str
    changes: list[Change]


def sections(changes: list[Change], titles: tuple[str, ...]) -> list[Section]:
    by_title: dict[str, list[Change]] = {}
    for change in changes:
        by_title.setdefault(change.section, []).append(change)
    unknown = set(by_title) - set(BREAKING + ADDITIONS + OTHER)
    if unknown:
        raise ValueError(f"changes in sections the report does not know: {sorted(unknown)}")
    return [Section(t, by_title[t]) for t in titles if t in by_title]


def render_report(old: Api, new: Api, changes: list[Change] | None = None) -> str:
    """The markdown report of what changed from `old` to `new`, breaking changes first."""
    changes = diff_apis(old, new) if changes is None else changes
    env = environment()
    parts = [("Breaking changes", BREAKING), ("Additions", ADDITIONS), ("Other changes", OTHER)]
    return env.get_template("changes.md.j2").render(
        old=old,
        new=new,
        parts=[
            (title, sections(changes, titles), sum(c.section in titles for c in changes)) for title, titles in parts
        ],
    )
