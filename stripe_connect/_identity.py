"""Who is calling: the `User-Agent` and `X-Stripe-Client-User-Agent` headers, as Stripe's SDKs send them.

A platform or plugin names itself with `app_info` so that Stripe can attribute its traffic (and its
partner id). The JSON header carries what stripe-python's does, minus anything that would identify the
machine or its users (no hostname, no `uname`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import platform
from collections.abc import Mapping

import httpx
from typing_extensions import Required, TypedDict

from stripe_connect._version import VERSION

USER_AGENT = f"stripe-connect/{VERSION} python/{platform.python_version()} httpx/{httpx.__version__}"


class AppInfo(TypedDict, total=False):
    """`app_info={"name": "MyPlatform", "version": "1.2.3", "url": "https://...", "partner_id": "pp_..."}`."""

    name: Required[str]
    version: str
    url: str
    partner_id: str


@dataclasses.dataclass(frozen=True, slots=True)
class App:
    """A validated `app_info`: its values go into a header, so they must be printable ASCII."""

    name: str
    version: str | None = None
    url: str | None = None
    partner_id: str | None = None

    @classmethod
    def of(cls, info: Mapping[str, object]) -> App:
        if not isinstance(info, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"app_info must be a dict with a 'name', got {type(info).__name__}")
        unknown = set(info) - set(AppInfo.__annotations__)
        if unknown:
            raise TypeError(f"app_info: unknown key(s) {sorted(unknown)}; expected name, version, url, partner_id")
        values: dict[str, str | None] = {}
        for key in AppInfo.__annotations__:
            value = info.get(key)
            if value is None and key != "name":
                values[key] = None
                continue
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"app_info[{key!r}] must be a non-empty string")
            if not value.isascii() or not value.isprintable():
                raise ValueError(f"app_info[{key!r}] must be printable ASCII (it is sent in a header)")
            values[key] = value
        return cls(**values)  # pyright: ignore[reportArgumentType]

    def user_agent(self) -> str:
        """`name/version (url)`, formatted as Stripe's SDKs format it."""
        text = self.name
        if self.version:
            text += f"/{self.version}"
        if self.url:
            text += f" ({self.url})"
        return text

    def as_json(self) -> dict[str, str | None]:
        """The `application` object of `X-Stripe-Client-User-Agent`: every key, null when not given."""
        return {"name": self.name, "partner_id": self.partner_id, "url": self.url, "version": self.version}


@functools.lru_cache(maxsize=64)
def identity_headers(app: App | None) -> dict[str, str]:
    """The identity headers of every request (computed once per `app_info`; do not mutate the result)."""
    client: dict[str, object] = {
        "bindings_version": VERSION,
        "lang": "python",
        "publisher": "stripe-connect",
        "httplib": "httpx",
        "lang_version": platform.python_version(),
        "platform": platform.platform(),  # system, release, machine and libc: nothing naming the host
    }
    user_agent = USER_AGENT
    if app is not None:
        client["application"] = app.as_json()
        user_agent += " " + app.user_agent()
    # Compact: every request carries it, and h11 validates a header value space by space.
    return {"User-Agent": user_agent, "X-Stripe-Client-User-Agent": json.dumps(client, separators=(",", ":"))}
