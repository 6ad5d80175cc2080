"""Building a call's HTTP request, once for all its attempts: the path, headers, encoded params and uploads."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import unquote

import httpx

from stripe_connect._encoding import flatten, urlencode
from stripe_connect._errors import AuthenticationError
from stripe_connect._identity import identity_headers
from stripe_connect._options import CallOptions
from stripe_connect._redact import redact_pairs

logger = logging.getLogger("stripe_connect")

FileInput = bytes | IO[bytes] | os.PathLike[str]
"""A file to upload: its bytes, a binary file object (streamed), or a path."""


class Uploads:
    """The files a request opened for its uploads: rewound before each retry, closed when the call ends."""

    __slots__ = ("_opened",)

    def __init__(self) -> None:
        self._opened: list[IO[bytes]] = []

    def field(self, name: str, value: Any) -> tuple[str, Any]:
        """A multipart file field (opening a path, reading a stream that cannot rewind)."""
        if isinstance(value, bytes):
            return name, value
        if isinstance(value, os.PathLike):
            handle = open(os.fspath(value), "rb")  # noqa: SIM115 - closed by close()  # pyright: ignore[reportUnknownArgumentType]
            self._opened.append(handle)
            return os.path.basename(handle.name), handle
        if hasattr(value, "read"):
            filename = os.path.basename(str(getattr(value, "name", name)))
            seekable = getattr(value, "seekable", None)
            if callable(seekable) and seekable():
                return filename, value  # streamed; httpx rewinds it for every attempt
            # A pipe or a network stream cannot be rewound: read it once, so that a retry sends it whole again.
            content = value.read()
            if not isinstance(content, bytes):
                raise TypeError(f"parameter {name!r}: the file must be opened in binary mode ('rb')")
            return filename, content
        raise TypeError(
            f"parameter {name!r}: expected bytes, a binary file object or a path, got {type(value).__name__}"
        )

    def rewind(self) -> None:
        """A retried upload streams each file it opened again from its start."""
        for handle in self._opened:
            handle.seek(0)

    def close(self) -> None:
        for handle in self._opened:
            handle.close()
        self._opened.clear()


def request_headers(method: str, options: CallOptions) -> dict[str, str]:
    if not options.api_key:
        raise AuthenticationError("No API key provided: pass api_key to StripeClient(...) or api_key=... to the call")
    built = {"Authorization": f"Bearer {options.api_key}", **identity_headers(options.app_info)}
    if options.stripe_version:
        built["Stripe-Version"] = options.stripe_version
    if options.stripe_account:
        built["Stripe-Account"] = options.stripe_account
    if options.idempotency_key is not None or method == "POST":
        built["Idempotency-Key"] = options.idempotency_key or str(uuid.uuid4())
    built.update(options.extra_headers)  # checked: none of the above, none the transport owns
    return built


def build_request(
    method: str,
    path: str,
    params: Mapping[str, Any],
    options: CallOptions,
    headers: dict[str, str],
    uploads: Uploads,
    *,
    multipart: bool,
) -> httpx.Request:
    """The request of `method path` with `params` encoded as the method and `multipart` say."""
    description = f"{method} {path}"
    url = options.base_url + path
    if method in ("GET", "DELETE"):
        pairs = flatten(params, query=True)
        _log_params(description, pairs, options)
        query = urlencode(pairs)
        return httpx.Request(method, f"{url}?{query}" if query else url, headers=headers)
    if multipart:
        files: dict[str, tuple[str, Any]] = {}
        data: dict[str, str] = {}
        for key, value in params.items():
            if value is None:
                continue
            if isinstance(value, bytes | os.PathLike) or hasattr(value, "read"):
                files[key] = uploads.field(key, value)
            else:
                data.update(flatten({key: value}))
        if not files:
            # Multipart exists to upload a file; without one, a wrong-typed file went out as text.
            given = ", ".join(f"{k}: {type(v).__name__}" for k, v in params.items() if v is not None)
            raise TypeError(
                f"{description} uploads a file: pass bytes, a binary file object or a path (pathlib.Path); got {given}"
            )
        _log_params(description, [*data.items(), *((k, f"<file {name}>") for k, (name, _) in files.items())], options)
        return httpx.Request(method, url, headers=headers, data=data, files=files)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    pairs = flatten(params)
    _log_params(description, pairs, options)
    return httpx.Request(method, url, headers=headers, content=urlencode(pairs).encode())


def _log_params(description: str, pairs: list[tuple[str, str]], options: CallOptions) -> None:
    # Bodies are for debugging only, and even then never with the secrets they may carry.
    if pairs and logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s params: %s", description, redact_pairs(pairs, (options.secret,)))


def check_path(path: str) -> None:
    """A path is relative to the API base (`/v1/...`): no other host, no query (params carry it), no dot
    segments (`..` would be resolved, by httpx or a server, into another endpoint)."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"path must be relative to the API base, like '/v1/charges', got {path!r}")
    if "?" in path or "#" in path or " " in path or not path.isprintable():
        raise ValueError(f"path must be a plain, percent-encoded path (pass query parameters in params), got {path!r}")
    # Without a dot or a percent sign no segment can be a dot segment, encoded or not (this runs for every call).
    if ("." in path or "%" in path) and any(unquote(segment) in (".", "..") for segment in path.split("/")):
        raise ValueError(f"path must not contain dot segments ('.' or '..', even percent-encoded), got {path!r}")
