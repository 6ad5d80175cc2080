"""Python identifiers from Stripe's names: attribute and parameter names, class names, module names, stems.

Stripe's names are wire names: whatever a document says (`is`, `from`, `3d_secure`, `x-header`, `a.b`).
Every function here is total (any string gives a valid identifier, and the same one every time), so that
generation never depends on a document choosing Python-friendly names. Generated code keeps the wire name
beside the Python one wherever they differ (a pydantic alias, a dict key).

Hard keywords are renamed (`is` -> `is_`); soft keywords (`match`, `case`, `type`) are ordinary identifiers
wherever we use them and are kept (`event.type`), except `_`, which starts with an underscore: pydantic
treats such names as private, and a leading `__` is mangled in a class body.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable

_IRREGULAR: dict[str, str] = {}
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_NOT_WORD = re.compile(r"[^0-9A-Za-z_]+")


def is_plain(name: str) -> bool:
    """Usable as it is: an ASCII identifier, not a keyword, not starting with an underscore.

    ASCII because Python normalizes identifiers (NFKC): `ﬁle` in source is the attribute `file`.
    """
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


def _ascii(text: str) -> str:
    """Accents dropped (`café` -> `cafe`); what has no ASCII form goes, to be replaced like punctuation."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def snake_name(wire: str) -> str:
    """The Python spelling of a wire name for an attribute, parameter, method or module-level name.

    `is` -> `is_`, `x-header` -> `x_header`, `3d_secure` -> `n_3d_secure`, `café` -> `cafe`, `_` -> `unnamed`.
    """
    if is_plain(wire):
        return wire
    name = _NOT_WORD.sub("_", _ascii(wire)).strip("_") or "unnamed"
    if name[0].isdigit():
        name = f"n_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def camel(name: str) -> str:
    """`checkout.session` -> `CheckoutSession`, `3d_secure` -> `ThreeDSecure`: ASCII letters and digits only.

    A part of a class name (it may be empty or start with a digit); `class_name` makes a whole one.
    """
    out = "".join(p[:1].upper() + p[1:] for p in _NOT_ALNUM.split(_ascii(name)) if p)
    return re.sub(r"^3d", "ThreeD", out, flags=re.IGNORECASE)


def class_name(wire: str) -> str:
    """A class name for a wire name: `camel`, never empty, never starting with a digit, never a keyword."""
    name = camel(wire) or "Unnamed"
    if name[0].isdigit():
        name = f"N{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def unique_names(
    wires: Iterable[str], namer: Callable[[str], str] = snake_name, reserved: Collection[str] = ()
) -> dict[str, str]:
    """The Python name of each wire name of one scope: distinct, none in `reserved`, deterministic.

    Plain names keep their spelling first, so an awkward name never takes a plain one's (`foo-bar` next to
    `foo_bar` is `foo_bar2`); then names in sorted order. A reserved name gets a trailing `_` (`self_`), a
    name already taken a number.
    """
    taken = set(reserved)
    out: dict[str, str] = {}
    for wire in sorted(set(wires), key=lambda w: (not is_plain(w), w)):
        base = namer(wire)
        if base in reserved:
            base += "_"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        out[wire] = name
        taken.add(name)
    return out


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
    out = _NOT_WORD.sub("_", _ascii(name)).lower().strip("_") or "unnamed"
    return f"_{out}" if out[:1].isdigit() or keyword.iskeyword(out) else out
