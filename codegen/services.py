"""Stage 2c: operations -> methods on a tree of services, checked for everything that must not happen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib

from codegen.docs import docstring, plain
from codegen.identifiers import camel, class_name, is_plain, singular, snake_name, unique_names
from codegen.ir import PAGE_TYPES, Operation, Param, Service
from codegen.models import GenerationError, ModelBuilder, ref_name
from codegen.naming import OperationName, ServiceShape, iter_operations, name_operations
from codegen.params import ParamTypes

# Names a spec parameter must not take: they are our request options. The generator fails on one.
# This and CLIENT_ATTRIBUTES are written out because generation runs without the runtime's dependencies (a
# package build); tests keep them equal to `RequestOptions` and to the clients' public attributes.
REQUEST_OPTIONS = frozenset(
    {"stripe_account", "idempotency_key", "stripe_version", "api_key", "timeout", "max_retries", "extra_headers"}
    | {"strict", "deadline", "max_response_bytes"}
)

# Names a keyword argument must not take: the request options, and what a method's body refers to.
# A spec parameter spelled so in Python gets another name (`self` -> `self_`); its wire name is kept.
RESERVED = REQUEST_OPTIONS | {"request_options", "self", "path", "models"}

# What the clients already are (`client.webhooks`, `client.request`): a top-level service takes another name.
CLIENT_ATTRIBUTES = frozenset(
    {"aclose", "api_version", "close", "deserialize", "for_account", "oauth", "options", "raw_request", "request"}
    | {"webhooks", "with_options"}
)


@dataclass(frozen=True)
class Override:
    operation: str  # "POST /v1/invoices/{invoice}/finalize"
    method: str
    reason: str


def read_overrides(path: Path) -> list[Override]:
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    overrides = [Override(**entry) for entry in data.get("method", [])]
    for o in overrides:
        if not o.reason.strip():
            raise GenerationError(f"override of {o.operation} has no reason")
    return overrides


def read_host_overrides(path: Path) -> dict[str, str]:
    """`[[host]]` entries: operations served by another host than the spec says ("GET /v1/..." -> "files")."""
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    hosts: dict[str, str] = {}
    for entry in data.get("host", []):
        operation, base, reason = entry["operation"], entry["base"], entry.get("reason", "")
        if not reason.strip():
            raise GenerationError(f"host override of {operation} has no reason")
        if base not in ("api", "files", "connect"):
            raise GenerationError(f"host override of {operation}: unknown base {base!r}")
        hosts[operation] = base
    return hosts


def apply_overrides(names: dict[tuple[str, str], OperationName], overrides: list[Override]) -> list[str]:
    """Apply the method overrides; return a warning for each one this document made stale.

    A stale override (its operation is gone, or the rules now give its name) changes nothing: generation
    goes on and the change report lists it. One that would make a name unusable fails.
    """
    warnings: list[str] = []
    for o in overrides:
        if not is_plain(o.method):
            raise GenerationError(f"override of {o.operation}: method {o.method!r} is not a usable Python name")
        verb, _, path = o.operation.partition(" ")
        key = (path, verb.lower())
        if key not in names:
            warnings.append(f"stale override: {o.operation} is not in the spec (spec/overrides.toml)")
        elif names[key].method == o.method:
            warnings.append(f"stale override: {o.operation} is already named {o.method!r} (spec/overrides.toml)")
        else:
            names[key] = OperationName(names[key].service, o.method, names[key].resource)
    return warnings


def final_names(spec: Mapping[str, Any], overrides: list[Override]) -> dict[tuple[str, str], OperationName]:
    """Every operation's (service, method) as generated: the derived names with the overrides applied."""
    names, _ = name_operations(spec)
    apply_overrides(names, overrides)
    return names


class ServiceBuilder:
    def __init__(
        self,
        spec: Mapping[str, Any],
        models: ModelBuilder,
        overrides: list[Override],
        hosts: Mapping[str, str] | None = None,
    ) -> None:
        self.spec = spec
        self.models = models
        self.names, self.shapes = name_operations(spec)
        self.warnings = apply_overrides(self.names, overrides)
        self.hosts = self._current_hosts(hosts or {})
        self.python_paths = self._python_paths()
        # The TypedDict names each service's params module has given so far: its methods' types share it.
        self._typed_dict_names: dict[tuple[str, ...], set[str]] = defaultdict(set)
        # Service classes given so far (both twins), and the base classes their modules import.
        self._class_names = {"StripeService", "AsyncStripeService"}

    def _current_hosts(self, hosts: Mapping[str, str]) -> dict[str, str]:
        """The host overrides that still apply; a stale one is left out, with a warning."""
        current: dict[str, str] = {}
        for operation, base in hosts.items():
            verb, _, path = operation.partition(" ")
            op = self.spec["paths"].get(path, {}).get(verb.lower())
            if op is None:
                self.warnings.append(f"stale host override: {operation} is not in the spec (spec/overrides.toml)")
            elif _spec_base(op) == base:
                self.warnings.append(f"stale host override: the spec already serves {operation} from {base!r}")
            else:
                current[operation] = base
        return current

    def _python_paths(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Each service's path of spec segments -> its attributes: identifiers, distinct among siblings."""
        paths = {n.service[:i] for n in self.names.values() for i in range(1, len(n.service) + 1)}
        siblings: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for p in paths:
            siblings[p[:-1]].add(p[-1])
        attrs = {
            parent: unique_names(segments, reserved=() if parent else CLIENT_ATTRIBUTES)
            for parent, segments in siblings.items()
        }
        out: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        for p in sorted(paths, key=len):
            out[p] = (*out[p[:-1]], attrs[p[:-1]][p[-1]])
        return out

    def build(self) -> Service:
        root = Service((), "", "", "")
        by_path: dict[tuple[str, ...], Service] = {(): root}
        for raw in iter_operations(self.spec):
            name = self.names[(raw.path, raw.verb)]
            service = self._service(name.service, by_path)
            service.operations.append(self._operation(raw.path, raw.verb, raw.spec, name, service))
            if name.resource and not service.doc:
                service.doc = self._resource_doc(name.resource)
        for service in root.walk():
            service.children.sort(key=lambda s: s.attr)
            service.operations.sort(key=lambda o: o.method)
        self._check(root)
        return root

    def _service(self, path: tuple[str, ...], by_path: dict[tuple[str, ...], Service]) -> Service:
        if path in by_path:
            return by_path[path]
        parent = self._service(path[:-1], by_path)
        stem = base = class_name("".join(camel(self._segment(path[: i + 1])) for i in range(len(path))))
        n = 2
        # Two paths can spell one stem (`things.x_y_z`, a top-level `thing_x_y_z`): the later one is numbered.
        while {f"{stem}Service", f"Async{stem}Service"} & self._class_names:
            stem, n = f"{base}{n}", n + 1
        self._class_names |= {f"{stem}Service", f"Async{stem}Service"}
        service = Service(self.python_paths[path], f"{stem}Service", f"{_snake(stem)}_service", "")
        parent.children.append(service)
        by_path[path] = service
        return service

    def _segment(self, path: tuple[str, ...]) -> str:
        shape = self.shapes.get(path, ServiceShape(path, False))
        attr = self.python_paths[path][-1]
        return singular(attr) if shape.is_collection or self._lists(path) else attr

    def _lists(self, path: tuple[str, ...]) -> bool:
        return any(n.service == path and n.method in ("list", "create") for n in self.names.values())

    def _resource_doc(self, resource: str) -> str:
        schema = self.models.schemas.get(resource) or next(
            (s for s in self.models.schemas.values() if s.get("x-resourceId") == resource), {}
        )
        first = plain(schema.get("description")).split("\n\n")[0]
        return docstring(first) if first else ""

    def _operation(
        self, path: str, verb: str, op: Mapping[str, Any], name: OperationName, service: Service
    ) -> Operation:
        method = snake_name(name.method)
        prefix = f"{service.class_name.removesuffix('Service')}{camel(method)}Params"
        types = ParamTypes(prefix, self._typed_dict_names[service.path])
        content = op.get("requestBody", {}).get("content", {})
        multipart = "multipart/form-data" in content
        body = (content.get("multipart/form-data") or content.get("application/x-www-form-urlencoded") or {}).get(
            "schema", {}
        )
        spec_params = op.get("parameters", [])
        where = f"{verb.upper()} {path}"
        wires = [p["name"] for p in spec_params] + list(body.get("properties", {}))
        self._check_params(where, wires)
        python = unique_names(wires, reserved=RESERVED)
        path_params: list[Param] = []
        params: list[Param] = []
        for p in spec_params:
            location = p["in"]
            if location not in ("path", "query"):
                raise GenerationError(f"{where}: parameter {p['name']!r} in {location!r}")
            param = Param(
                python[p["name"]],
                "str" if location == "path" else types.type_of(p["schema"], f"{prefix}{camel(p['name'])}", p["name"]),
                location == "path" or bool(p.get("required")),
                docstring(p.get("description")),
                location,
                p["name"],
            )
            (path_params if location == "path" else params).append(param)
        required = set(body.get("required", []))
        for prop, sub in body.get("properties", {}).items():
            rendered = types.type_of(sub, f"{prefix}{camel(prop)}", prop)
            doc = docstring(sub.get("description"))
            params.append(Param(python[prop], rendered, prop in required, doc, "body", prop))
        path_params.sort(key=lambda p: path.index("{" + p.wire + "}"))
        params.sort(key=lambda p: (not p.required, p.name))
        returns, item, kind, deps = self._response(path, verb, op)
        return Operation(
            verb=verb,
            path=path,
            operation_id=op["operationId"],
            method=method,
            doc=docstring(op.get("description")),
            path_params=path_params,
            params=params,
            returns=returns,
            kind=kind,
            item=item,
            base=self.hosts.get(f"{verb.upper()} {path}") or _spec_base(op),
            multipart=multipart,
            deprecated=bool(op.get("deprecated")),
            model_deps=deps,
            typed_dicts=types.typed_dicts,
        )

    @staticmethod
    def _check_params(where: str, wires: list[str]) -> None:
        seen: set[str] = set()
        for wire in wires:
            if wire in REQUEST_OPTIONS:
                raise GenerationError(f"{where}: parameter {wire!r} collides with a request option")
            if wire in seen:
                raise GenerationError(f"{where}: parameter {wire!r} appears twice")
            seen.add(wire)

    def _response(self, path: str, verb: str, op: Mapping[str, Any]) -> tuple[str, str, str, set[str]]:
        """(annotation, item annotation, kind, model names) of the 200 response."""
        content = op["responses"]["200"]["content"]
        if "application/json" not in content:
            return "bytes", "", "binary", set()
        schema = content["application/json"]["schema"]
        props = schema.get("properties", {})
        object_values = props.get("object", {}).get("enum", [])
        if object_values in (["list"], ["search_result"]) and "data" in props:
            item, deps = self._models_union(props["data"]["items"], f"{verb} {path}")
            kind = "list" if object_values == ["list"] else "search"
            return f"models.{PAGE_TYPES[kind]}[{item}]", item, kind, deps
        expr, deps = self._models_union(schema, f"{verb} {path}")
        return expr, "", "object", deps

    def _models_union(self, schema: Mapping[str, Any], where: str) -> tuple[str, set[str]]:
        refs = schema.get("anyOf", [schema])
        if any("$ref" not in r for r in refs):
            raise GenerationError(f"{where}: a response that is not a (union of) model reference(s)")
        names = [ref_name(r["$ref"]) for r in refs]
        if len(names) == 1 and self.models.is_polymorphic(names[0]):
            cls = self.models.class_names[names[0]]
            return f"models.{cls}", {cls}
        classes = [self.models.class_names[n] for n in names]
        return self.models.union_of(classes, qualifier="models."), set(classes)

    @staticmethod
    def _check(root: Service) -> None:
        for service in root.walk()[1:]:
            methods = [op.method for op in service.operations]
            for method in methods:
                if methods.count(method) > 1:
                    clash = [op.key for op in service.operations if op.method == method]
                    raise GenerationError(f"{service.dotted}.{method} names two operations: {clash}")
            for child in service.children:
                if child.attr in methods:
                    raise GenerationError(f"{service.dotted}.{child.attr} is both a method and a service")


def _snake(stem: str) -> str:
    out = "".join(f"_{c.lower()}" if c.isupper() else c for c in stem)
    return out.lstrip("_")


def _spec_base(op: Mapping[str, Any]) -> str:
    """The host an operation's `servers` entry names ("files" for files.stripe.com), else the API's."""
    servers = op.get("servers", [])
    return "files" if servers and "files." in servers[0]["url"] else "api"
