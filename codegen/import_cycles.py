"""Which model modules import each other in a cycle.

A model module imports the models its fields name before its classes, so that pydantic resolves every
annotation when it makes the class, once. Modules in one import cycle cannot all come first: those import
each other last, and annotations naming them are strings that pydantic resolves when the model is built.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping


def import_cycles(imports: Mapping[str, set[str]]) -> dict[str, int]:
    """The strongly connected component of each module of `imports` (module -> the modules it imports), by
    number: two modules import each other, directly or through others, iff they have the same number.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    numbers = itertools.count()
    # Tarjan's algorithm, iterative: the import graph of a Stripe document is deeper than Python's recursion.
    work: list[tuple[str, Iterator[str]]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        work.append((node, iter(sorted(imports.get(node, ())))))

    for root in sorted(imports):
        if root in index:
            continue
        visit(root)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    visit(target)
                    break
                if target not in component:  # still on the stack: in the cycle being walked
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    number = next(numbers)
                    while (member := stack.pop()) != node:
                        component[member] = number
                    component[node] = number
    return component
