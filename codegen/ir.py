"""The intermediate representation: everything templates need, already decided and named.

Type expressions are rendered Python source (`"Expandable[Customer] | None"`); each declaration lists the
model classes it refers to so the renderer can write the imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.identifiers import is_plain


@dataclass
class ModelField:
    name: str  # the Python attribute
    type: str
    required: bool
    doc: str
    wire: str  # the name Stripe sends; the field's alias when it differs from `name`
    deferred: bool = False  # its model is imported and built when a value first arrives (see KINDS_MIN)

    @property
    def alias(self) -> str | None:
        return self.wire if self.wire != self.name else None


@dataclass
class ModelClass:
    name: str
    doc: str
    fields: list[ModelField]


@dataclass
class ModelModule:
    """One schema of `components/schemas`: its module holds its class and any inline object classes."""

    schema_name: str
    module: str
    name: str  # the public name: a class, or a type alias for a polymorphic schema
    doc: str
    classes: list[ModelClass] = field(default_factory=list)  # inline classes first, the main one last
    alias: str | None = None  # for a polymorphic schema: its type expression
    deps: set[str] = field(default_factory=set)  # model names referred to
    object_tags: list[str] = field(default_factory=list)  # `object` values this model is the type of


@dataclass
class TypedDictField:
    name: str  # the key, as sent: keys are wire names
    type: str
    required: bool
    doc: str


@dataclass
class TypedDictDef:
    name: str
    doc: str
    fields: list[TypedDictField]

    @property
    def functional(self) -> bool:
        """Whether a key cannot be a class attribute (a keyword, not an ASCII identifier, or mangled like
        `__x`): such a TypedDict is spelled `Name = TypedDict("Name", {...})`, its keys still the wire names."""
        return not all(is_plain(f.name) for f in self.fields)


@dataclass
class Param:
    name: str  # the keyword argument
    type: str
    required: bool
    doc: str
    location: str  # "path", "query" or "body"
    wire: str = ""  # the name Stripe knows it by; defaults to `name`

    def __post_init__(self) -> None:
        self.wire = self.wire or self.name


# The page type a list or search operation answers with (a sync client's; an async client's adds `Async`).
PAGE_TYPES = {"list": "ListObject", "search": "SearchResult"}


@dataclass
class Operation:
    verb: str  # get / post / delete
    path: str  # as in the spec: /v1/charges/{charge}
    operation_id: str
    method: str
    doc: str
    path_params: list[Param]
    params: list[Param]
    returns: str  # the annotation and runtime response type: `models.Charge`, `models.ListObject[models.Charge]`
    kind: str  # "object", "list", "search" or "binary"
    item: str = ""  # for lists and searches: the annotation of one item
    base: str = "api"  # which host: "api" or "files"
    multipart: bool = False
    deprecated: bool = False
    model_deps: set[str] = field(default_factory=set)
    typed_dicts: list[TypedDictDef] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.verb.upper()} {self.path}"

    @property
    def cast_to(self) -> str:
        """The type the call's response is parsed into (the runtime's `cast_to`)."""
        return self.returns

    @property
    def async_cast_to(self) -> str:
        """What an async client parses the response into: its own pages, which walk with `async for`."""
        page = PAGE_TYPES.get(self.kind)
        return f"models.Async{page}[{self.item}]" if page else self.returns


@dataclass
class Service:
    path: tuple[str, ...]  # ("accounts", "capabilities"): client.accounts.capabilities
    class_name: str
    module: str
    doc: str
    operations: list[Operation] = field(default_factory=list)
    children: list[Service] = field(default_factory=list)

    @property
    def attr(self) -> str:
        return self.path[-1]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def walk(self) -> list[Service]:
        out: list[Service] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Api:
    api_version: str
    models: list[ModelModule]
    root: Service  # a nameless service whose children are the client's top-level attributes
    event_types: list[str] = field(default_factory=list)
    # What generation noticed without failing: overrides and special cases this document made stale.
    warnings: list[str] = field(default_factory=list)

    @property
    def services(self) -> list[Service]:
        return [s for s in self.root.walk() if s.path]

    @property
    def operations(self) -> list[Operation]:
        return [op for s in self.services for op in s.operations]
