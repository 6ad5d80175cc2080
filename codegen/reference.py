"""Stage 3b: the API reference, one markdown page (`generated/API.md`) rendered with the code.

Every service with its methods, HTTP routes and return types; every model with its fields; every event
type. Type expressions link the models they name to their sections (`#model-charge`).
"""

from __future__ import annotations

import re

import jinja2

from codegen.events import constants
from codegen.ir import Api, ModelModule, Operation, Service

REFERENCE = "API.md"
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def model_anchor(name: str) -> str:
    return f"model-{name.lower()}"


def service_anchor(service: Service) -> str:
    return "service-" + "-".join(service.path).replace("_", "-")


def first_sentence(doc: str, limit: int = 160) -> str:
    """The first sentence of a description as one line (cut at `limit`), for tables and summaries."""
    text = " ".join(doc.split())  # the IR's docs are plain text already
    # Stripe's descriptions link anchors of its own API reference; here they would point into this page.
    text = text.replace("](#", "](https://stripe.com/docs/api#")
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    if len(sentence) > limit:
        sentence = _LINK.sub(r"\1", sentence)  # a cut must not fall inside a link
        if len(sentence) > limit:
            sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence.replace("|", "\\|")


class _Linker:
    """Renders a type expression as markdown with every known class linked to its anchor."""

    def __init__(self, api: Api) -> None:
        self.anchors: dict[str, str] = {}
        for model in api.models:
            for cls in model.classes:
                self.anchors[cls.name] = model_anchor(cls.name)
            self.anchors[model.name] = model_anchor(model.name)

    def __call__(self, expr: str, in_table: bool = True) -> str:
        expr = expr.replace("models.", "")
        out: list[str] = []
        for token in re.split(r"(\w+)", expr):
            if token in self.anchors:
                out.append(f"[{token}](#{self.anchors[token]})")
            else:
                out.append(token.replace("[", "\\[").replace("]", "\\]").replace("|", "\\|" if in_table else "|"))
        return "".join(out)


def signature(op: Operation) -> str:
    ids = [p.name for p in op.path_params]
    return f"{op.method}({', '.join([*ids, '…'] if op.params else ids)})"


def render_reference(env: jinja2.Environment, api: Api) -> str:
    link = _Linker(api)
    env.filters["md_type"] = link
    env.filters["first_sentence"] = first_sentence
    env.globals["model_anchor"] = model_anchor
    env.globals["service_anchor"] = service_anchor
    env.globals["signature"] = signature
    models: list[ModelModule] = sorted(api.models, key=lambda m: m.name)
    return env.get_template("api.md.j2").render(
        api=api, models=models, event_constants={t: n for n, t in constants(api.event_types)}
    )
