"""A path with the route template it was made from, so that hooks and spans can name the operation."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class Route:
    """`Route("/v1/charges/{charge}", "/v1/charges/ch_123")`: what generated methods pass for a path with ids
    (a plain string path is its own template). `raw_request` paths have no template: `Route(None, path)`."""

    template: str | None
    path: str
