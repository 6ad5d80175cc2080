"""Stage 3: IR -> source files, through the Jinja templates in `codegen/templates/`."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import jinja2

from codegen.events import constants
from codegen.import_cycles import import_cycles
from codegen.ir import Api, ModelModule, Operation, Service
from codegen.models import GenerationError
from codegen.reference import REFERENCE, render_reference

PACKAGE = "stripe_connect_generated"
TEMPLATES = Path(__file__).parent / "templates"

# Names a generated module may need from the runtime core, by the module that defines them.
_MODEL_HELPERS = {
    "Any": "typing",
    "Literal": "typing",
    "Field": "pydantic",
    "AnyObject": "stripe_connect._runtime",
    "EventType": "stripe_connect_generated.events",
    "Expandable": "stripe_connect._runtime",
    "OpenEnum": "stripe_connect._runtime",
    "Polymorphic": "stripe_connect._runtime",
    "StripeModel": "stripe_connect._runtime",
    "ListObject": "stripe_connect._runtime",
    "SearchResult": "stripe_connect._runtime",
    "ModelRef": "stripe_connect._runtime",
    "TYPE_CHECKING": "typing",
}
_PARAM_HELPERS = {"Any": "typing", "Literal": "typing", "FileInput": "stripe_connect._runtime"}


def _import_order(helper: tuple[str, str]) -> tuple[bool, bool, tuple[str, str]]:
    """The standard library first, then pydantic, then the core: the order a hand would write them in."""
    module = helper[1]
    return module.startswith("stripe_connect"), module == "pydantic", helper


def used_names(texts: list[str], helpers: dict[str, str], always: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """{module: [names]} of the helpers that occur as words in `texts` (plus `always`), stdlib modules first."""
    words = set(re.findall(r"\b\w+\b", " ".join(texts))) | set(always)
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(helpers.items(), key=_import_order):
        if name in words:
            by_module.setdefault(module, []).append(name)
    return by_module


def indent_doc(text: str, width: int) -> str:
    """A docstring's text with its continuation lines indented by `width` spaces."""
    return text.replace("\n", "\n" + " " * width).replace("\n" + " " * width + "\n", "\n\n")


def in_doc(text: str) -> str:
    """A string of the spec (a version, a route, a name) escaped to stand inside a docstring."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def path_ids(op: Operation) -> str:
    """The ids of `path(route, ...)`, named as in the route: `charge=charge`, `**{"is": is_}` for a renamed one."""
    ids = [f"{p.wire}={p.name}" for p in op.path_params if p.wire == p.name]
    renamed = [f"{p.wire!r}: {p.name}" for p in op.path_params if p.wire != p.name]
    return ", ".join([*ids, "**{" + ", ".join(renamed) + "}"] if renamed else ids)


def comment(text: str, width: int = 0) -> str:
    """A text as the body of `#` comment lines (after a first `# `), continuation lines indented by `width`."""
    return "\n".join(
        line if i == 0 else (" " * width + "# " + line).rstrip() for i, line in enumerate(text.splitlines())
    )


def summary(doc: str) -> str:
    """`: First sentence.` of a docstring, for one-line docs; empty when there is no doc."""
    text = " ".join(doc.split())
    if not text:
        return "."
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    return f": {sentence}" if len(sentence) <= 100 else "."


def method_doc(op: Operation) -> str:
    key = in_doc(op.key)
    parts = [op.doc or f"`{key}`."]
    if op.deprecated:
        parts.append("Deprecated by Stripe.")
    documented = [p for p in op.path_params + op.params if p.doc or p.wire != p.name]
    if documented:
        lines = ["Args:"]
        for p in documented:
            text = " ".join(p.doc.split())
            if p.wire != p.name:
                text = f"(`{in_doc(p.wire)}` in Stripe's API) {text}".rstrip()
            lines.extend(
                textwrap.wrap(
                    text,
                    96,
                    initial_indent=f"    {p.name}: ",
                    subsequent_indent=" " * 8,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
        parts.append("\n".join(lines))
    parts.append(f"`{key}`")
    return "\n\n".join(parts)


def environment() -> jinja2.Environment:
    """The Jinja environment of every template in codegen/templates/ (Python source and markdown alike)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - renders Python source, not HTML
    )
    env.filters["indent_doc"] = indent_doc
    env.filters["comment"] = comment
    env.filters["path_ids"] = path_ids
    env.filters["in_doc"] = in_doc
    env.filters["py"] = repr  # a string as a Python literal: wire names, routes and keys may hold any character
    env.filters["method_doc"] = method_doc
    env.filters["summary"] = summary
    env.filters["annotation"] = annotation
    env.globals["PACKAGE"] = PACKAGE
    return env


def render(api: Api) -> dict[str, str]:
    """Every generated file, keyed by its path relative to the output directory."""
    env = environment()
    models_by_name = {m.name: m for m in api.models}
    files: dict[str, str] = {}
    root = Path(PACKAGE)
    files[str(root / "__init__.py")] = env.get_template("package_init.py.j2").render(api=api)
    files[str(root / "py.typed")] = ""
    files[str(root / "client.py")] = env.get_template("client.py.j2").render(api=api)
    files[str(root / "events.py")] = env.get_template("events.py.j2").render(
        api=api, event_constants=constants(api.event_types)
    )
    cycles = import_cycles({m.name: _imported_models(m) for m in api.models})
    for model in api.models:
        files[str(root / "models" / f"{model.module}.py")] = _render_model(env, model, models_by_name, cycles)
    files[str(root / "models" / "__init__.py")] = env.get_template("models_init.py.j2").render(
        api=api, object_types=_object_types(api)
    )
    service_template = env.get_template("service.py.j2")
    params_template = env.get_template("params.py.j2")
    for service in api.services:
        files[str(root / "services" / f"{service.module}.py")] = _render_service(service_template, service)
        if any(op.typed_dicts for op in service.operations):
            files[str(root / "params" / f"{service.module}.py")] = _render_params(params_template, service)
    files[str(root / "services" / "__init__.py")] = env.get_template("services_init.py.j2").render(api=api)
    files[str(root / "params" / "__init__.py")] = env.get_template("params_init.py.j2").render(
        services=[s for s in api.services if any(op.typed_dicts for op in s.operations)]
    )
    files[REFERENCE] = render_reference(env, api)  # beside the package: documentation, not code
    return files


def _object_types(api: Api) -> list[tuple[str, str]]:
    """(`object` value, model name) pairs; an `object` value two models claim is an error."""
    owners: dict[str, str] = {}
    for model in api.models:
        for tag in model.object_tags:
            if tag in owners:
                raise GenerationError(f"models {owners[tag]} and {model.name} both have object {tag!r}")
            owners[tag] = model.name
    return sorted(owners.items())


_EXPANDABLE = re.compile(r"\bExpandable\[([^\[\]]*)\]")


def lazy_deps(types: list[str], deferred: list[str], deps: set[str]) -> set[str]:
    """The models a module refers to by `ModelRef` instead of importing them: those it names only inside
    `Expandable[...]` or in deferred fields (`deferred`, the types of the fields `ModelField.deferred` marks).
    Importing the module does not import them; a value of theirs builds their validator when it first arrives
    (see `stripe_connect._models`). A model the module also uses otherwise is imported, and inline everywhere."""
    text = " ".join(types)
    inside = set(re.findall(r"\w+", " ".join([*_EXPANDABLE.findall(text), *deferred])))
    outside = set(re.findall(r"\w+", _EXPANDABLE.sub(" ", text)))
    return {d for d in deps if d in inside and d not in outside}


def _lazy_models(model: ModelModule) -> set[str]:
    fields = [f for c in model.classes for f in c.fields]
    alias = [model.alias] if model.alias else []
    inline, deferred = [f.type for f in fields if not f.deferred], [f.type for f in fields if f.deferred]
    return lazy_deps(inline + alias, deferred, model.deps)


def _imported_models(model: ModelModule) -> set[str]:
    """The models a model's module imports when it is imported (not those it refers to by `ModelRef`)."""
    return model.deps - _lazy_models(model)


def annotation(type_: str, unbound: set[str]) -> str:
    """A field's annotation: its type, as a string if it names a model not bound yet when its class is made."""
    return repr(type_) if unbound & set(re.findall(r"\w+", type_)) else type_


def _render_model(
    env: jinja2.Environment, model: ModelModule, models_by_name: dict[str, ModelModule], cycles: dict[str, int]
) -> str:
    fields = [f for c in model.classes for f in c.fields]
    alias = [model.alias] if model.alias else []
    lazy = _lazy_models(model)
    imported = model.deps - lazy
    # Imported last: the models that import this one in turn. The rest come first, before the classes.
    last = {d for d in imported if cycles[d] == cycles[model.name]}
    deps = sorted((models_by_name[d].module, d) for d in imported - last)
    cyclic_deps = sorted((models_by_name[d].module, d) for d in last)
    refs = sorted((models_by_name[d].module, d) for d in lazy)
    # What a class's annotations may not name unquoted: the models imported last, this class and those after it.
    classes = [c.name for c in model.classes]
    unbound = {name: last | set(classes[i:]) for i, name in enumerate(classes)}
    always = (() if model.alias else ("StripeModel",)) + (("ModelRef", "TYPE_CHECKING") if lazy else ())
    if any(f.alias for f in fields):
        always += ("Field",)
    helpers = used_names([f.type for f in fields] + alias, _MODEL_HELPERS, always=always)
    return env.get_template("model.py.j2").render(
        model=model, helpers=helpers, deps=deps, cyclic_deps=cyclic_deps, lazy_deps=refs, unbound=unbound
    )


def _render_service(template: jinja2.Template, service: Service) -> str:
    texts = [p.type for op in service.operations for p in op.params]
    words = set(re.findall(r"\b\w+\b", " ".join(texts)))
    typed_dicts = sorted({td.name for op in service.operations for td in op.typed_dicts} & words)
    return template.render(
        service=service,
        typed_dicts=typed_dicts,
        param_helpers=used_names(texts, {"Any": "typing", "Literal": "typing"}),
        uses_file_input="FileInput" in " ".join(texts),
        uses_models=any(op.kind != "binary" for op in service.operations),
    )


def _render_params(template: jinja2.Template, service: Service) -> str:
    typed_dicts = [td for op in service.operations for td in op.typed_dicts]
    texts = [f.type for td in typed_dicts for f in td.fields]
    return template.render(
        service=service,
        typed_dicts=typed_dicts,
        helpers=used_names(texts, _PARAM_HELPERS),
        needs_not_required=any(not f.required for td in typed_dicts for f in td.fields),
    )
