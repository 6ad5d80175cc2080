"""Service paths and method names, derived from the shape of each operation's path and response.

The rules, in the order they apply (see `name_operations`):

* Leading static segments with no endpoint of their own are namespaces (`checkout`, `test_helpers`).
* A segment followed by `{id}` somewhere in the spec is a collection, hence a service (`charges`,
  `accounts.capabilities`); a top-level segment without ids is a singleton service (`balance`).
* On a service: `GET /coll` list, `POST /coll` create, `GET /coll/{id}` retrieve, `POST` update,
  `DELETE` delete; on a singleton `GET` retrieve and `POST` update (create when it has no `GET`).
* A static tail after a collection is an action named by the tail: `POST /charges/{charge}/capture`
  is `charges.capture`, `GET /charges/search` is `charges.search`, `/invoices/upcoming/lines` is
  `invoices.upcoming_lines`.
* A static tail after `{id}` whose response is another resource is a nested service when that resource
  lives only there (`accounts.login_links.create`, `invoices.lines.list`), and a method on the parent when
  the resource is shared with other parents (`quotes.list_line_items`, `subscriptions.delete_discount`).
* `/v1/account` is the current account: `accounts.retrieve_current` as in Stripe's SDKs.

Whatever these rules get wrong lives in `spec/overrides.toml`, each entry with its reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

HTTP_VERBS = ("get", "post", "delete")


@dataclass(frozen=True)
class RawOperation:
    path: str
    verb: str
    spec: Mapping[str, Any]


@dataclass(frozen=True)
class OperationName:
    service: tuple[str, ...]
    method: str
    # The resource (x-resourceId) the operation's service is about, used to compare with Stripe's own names.
    resource: str | None


@dataclass(frozen=True)
class ServiceShape:
    path: tuple[str, ...]
    is_collection: bool


def iter_operations(spec: Mapping[str, Any]) -> Iterable[RawOperation]:
    for path, item in spec["paths"].items():
        for verb in HTTP_VERBS:
            if verb in item:
                yield RawOperation(path, verb, item[verb])


def is_param(token: str) -> bool:
    return token.startswith("{")


def tokens_of(path: str) -> list[str]:
    return path.split("/")[2:]


def shape_of(path: str) -> str:
    return "/".join("{}" if is_param(t) else t for t in tokens_of(path))


def response_resource(spec: Mapping[str, Any], op: Mapping[str, Any]) -> str | None:
    """The x-resourceId an operation returns (list and search results: of their items)."""
    content = op.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    props = schema.get("properties", {})
    if "data" in props and "$ref" in props["data"].get("items", {}):
        schema = props["data"]["items"]
    refs = [schema] if "$ref" in schema else [s for s in schema.get("anyOf", []) if "$ref" in s]
    if not refs:
        return None
    name = refs[0]["$ref"].rsplit("/", 1)[-1]
    resource = spec["components"]["schemas"][name].get("x-resourceId", name)
    return resource.removeprefix("deleted_")


def returns_list(op: Mapping[str, Any]) -> bool:
    content = op.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return "data" in schema.get("properties", {})


class _PathIndex:
    def __init__(self, spec: Mapping[str, Any], ops: list[RawOperation]) -> None:
        self.spec = spec
        self.by_shape: dict[str, dict[str, RawOperation]] = defaultdict(dict)
        self.collections: set[str] = set()
        for op in ops:
            self.by_shape[shape_of(op.path)][op.verb] = op
            toks = shape_of(op.path).split("/")
            for i in range(len(toks) - 1):
                if toks[i] != "{}" and toks[i + 1] == "{}":
                    self.collections.add("/".join(toks[: i + 1]))
        # Resources reachable under more than one parent item (`/quotes/{}/line_items`, `/payment_links/{}/...`).
        parents: dict[str, set[str]] = defaultdict(set)
        for shape, verbs in self.by_shape.items():
            toks = shape.split("/")
            if len(toks) >= 3 and toks[-2] == "{}" and toks[-1] != "{}":
                parent = "/".join(toks[:-1])
                parent_resource = self.resource_at(parent)
                for op in verbs.values():
                    resource = response_resource(spec, op.spec)
                    if resource is not None and parent_resource is not None and resource != parent_resource:
                        parents[resource].add(parent)
        self.shared = {resource for resource, where in parents.items() if len(where) > 1}

    def resource_at(self, shape: str) -> str | None:
        verbs = self.by_shape.get(shape, {})
        op = verbs.get("get") or verbs.get("post")
        return response_resource(self.spec, op.spec) if op else None

    def is_own_subresource(self, shape: str) -> bool:
        """`/parent/{}/child` returns a resource other than the parent's that lives under no other parent."""
        resource = self.resource_at(shape)
        parent = self.resource_at(shape.rsplit("/", 1)[0])
        return None not in (resource, parent) and resource != parent and resource not in self.shared


def _plain_method(verb: str, on_item: bool, is_collection: bool, verbs: Mapping[str, RawOperation]) -> str:
    if on_item:
        return {"get": "retrieve", "post": "update", "delete": "delete"}[verb]
    get = verbs.get("get")
    get_lists = get is not None and returns_list(get.spec)
    if verb == "get":
        return "list" if get_lists else "retrieve"
    if verb == "post":
        return "create" if is_collection or get is None or get_lists else "update"
    return "delete"


def name_operations(
    spec: Mapping[str, Any],
) -> tuple[dict[tuple[str, str], OperationName], dict[tuple[str, ...], ServiceShape]]:
    ops = list(iter_operations(spec))
    index = _PathIndex(spec, ops)
    names: dict[tuple[str, str], OperationName] = {}
    shapes: dict[tuple[str, ...], ServiceShape] = {}
    for op in ops:
        name, shape = _name_one(index, op)
        names[(op.path, op.verb)] = name
        shapes.setdefault(shape.path, shape)
    _fill_resources(spec, names)
    return names, shapes


def _name_one(index: _PathIndex, op: RawOperation) -> tuple[OperationName, ServiceShape]:
    toks = shape_of(op.path).split("/")
    service: list[str] = []
    on_item = is_collection = False
    i = 0
    while i < len(toks):
        tok, prefix = toks[i], "/".join(toks[: i + 1])
        if tok == "{}":
            on_item = True
        elif prefix in index.collections:
            service.append(tok)
            on_item, is_collection = False, True
        elif not service or _only_namespaces(index, toks[:i]):
            service.append(tok)  # a namespace, or a top-level singleton such as `balance`
            is_collection = False
        elif on_item and index.is_own_subresource(prefix):
            service.append(tok)  # a singleton under an item: `customers.cash_balance`
            on_item = is_collection = False
        else:
            break
        i += 1
    tail = toks[i:]
    verbs = index.by_shape[shape_of(op.path)]
    if not tail:
        method = _plain_method(op.verb, on_item, is_collection, verbs)
        if len(service) == 1 and not is_collection and f"{service[0]}s" in index.collections:
            # `/v1/account` is the current account: `accounts.retrieve_current()`, as in Stripe's SDKs.
            return OperationName((f"{service[0]}s",), f"{method}_current", service[0]), ServiceShape(
                (f"{service[0]}s",), True
            )
        return OperationName(tuple(service), method, None), ServiceShape(tuple(service), is_collection)
    resource = response_resource(index.spec, op.spec)
    parent = index.resource_at("/".join(toks[:i]))
    if on_item and len(tail) == 1 and op.verb != "post" and parent is not None and resource not in (None, parent):
        # A view of a resource shared with other parents: `quotes.list_line_items(quote)`.
        verb = "delete" if op.verb == "delete" else "list" if returns_list(op.spec) else "retrieve"
        method = f"{verb}_{tail[0]}"
    else:
        method = "_".join(tail)
    return OperationName(tuple(service), method, None), ServiceShape(tuple(service), is_collection)


def _only_namespaces(index: _PathIndex, toks: list[str]) -> bool:
    """True when every token so far is a namespace: static, no endpoint of its own, not a collection."""
    for j in range(len(toks)):
        prefix = "/".join(toks[: j + 1])
        if toks[j] == "{}" or prefix in index.by_shape or prefix in index.collections:
            return False
    return True


def _fill_resources(spec: Mapping[str, Any], names: dict[tuple[str, str], OperationName]) -> None:
    """Give every operation the resource its service is about (the one its operations return most)."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for (path, verb), name in names.items():
        if name.resource is None:
            resource = response_resource(spec, spec["paths"][path][verb])
            if resource is not None:
                votes[name.service][resource] += 1
    for key, name in list(names.items()):
        if name.resource is None and votes[name.service]:
            top = votes[name.service].most_common(1)[0][0]
            names[key] = OperationName(name.service, name.method, top)
