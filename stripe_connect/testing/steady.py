"""Steady (npm `@stdy/cli`), an OpenAPI mock server, run on Stripe's document.

Steady validates each request against the spec (path, method, params, types, enums, required fields) and
answers with a generated, schema-valid body. Point a client's `api_base` at it.

    with SteadyServer(spec_path) as server:
        client = StripeClient("sk_test_123", api_base=server.url)
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

_STEADY_ENV = "STRIPE_CONNECT_STEADY"

# Lists in query strings are `expand[]=a` and objects `created[gt]=1`, as this SDK sends them;
# form bodies nest with brackets and index their lists: `items[0][price]=p`.
STEADY_FLAGS = (
    "--validator-form-object-format=brackets",
    "--validator-query-object-format=brackets",
    "--validator-query-array-format=brackets",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_steady() -> str:
    """The Steady executable: `$STRIPE_CONNECT_STEADY` when set, else `steady` on the PATH."""
    explicit = os.environ.get(_STEADY_ENV)
    if explicit:
        if not Path(explicit).is_file():
            raise FileNotFoundError(f"{_STEADY_ENV} names no file: {explicit}")
        return explicit
    found = shutil.which("steady")
    if found is None:
        raise FileNotFoundError(
            f"Steady is not installed: `npm install @stdy/cli` and set {_STEADY_ENV} to its executable "
            "(node_modules/.bin/steady), or put `steady` on the PATH"
        )
    return found


class SteadyServer:
    """A Steady process on 127.0.0.1 serving `spec`, started on enter and stopped on exit."""

    def __init__(self, spec: Path, *, port: int | None = None, seed: int = 1, extra_args: tuple[str, ...] = ()) -> None:
        self.spec = spec
        self.port = port or _free_port()
        self.seed = seed
        self.extra_args = extra_args
        self._process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop(); a pipe nobody reads could fill up

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> SteadyServer:
        command = [
            find_steady(),
            "--host",
            "127.0.0.1",
            "-p",
            str(self.port),
            *STEADY_FLAGS,
            f"--generator-seed={self.seed}",
            "-q",
            *self.extra_args,
            str(self.spec),
        ]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self._log)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                error = self._log.read().decode(errors="replace").strip()[-2000:]
                raise RuntimeError(f"Steady exited with {self._process.returncode}: {error}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"Steady did not listen on port {self.port} within {timeout} s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> SteadyServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
