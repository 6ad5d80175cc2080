"""Python identifiers from Stripe's names: class names, module names, singular stems."""

from __future__ import annotations

import keyword
import re

_IRREGULAR: dict[str, str] = {}


def camel(name: str) -> str:
    """`checkout.session` -> `CheckoutSession`, `3d_secure` -> `ThreeDSecure`."""
    parts = [p for p in re.split(r"[._\-\s/]+", name) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    return re.sub(r"^3d", "ThreeD", out, flags=re.IGNORECASE)


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def module_name(name: str) -> str:
    """A Stripe schema or service name as a module name: `issuing.card` -> `issuing_card`."""
    out = re.sub(r"[^0-9a-zA-Z_]", "_", name).lower()
    return f"_{out}" if out[:1].isdigit() or keyword.iskeyword(out) else out
