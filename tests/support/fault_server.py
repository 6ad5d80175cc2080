"""A real HTTP server on 127.0.0.1 that answers from a script: responses and faults, one per request.

    server.script(Reply(500), Reset(), Reply(200, {"id": "ch_1"}))

Each request takes the next step of the script (the last step repeats once the script runs out). The
server behaves like Stripe's idempotency layer: a POST whose `Idempotency-Key` it has already applied
gets the stored response again (`Idempotent-Replayed: true`) without being applied a second time, and
`applications` counts how often something was really done.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    """An HTTP response. A dict or list body is sent as JSON; `applies` marks a POST as done."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    applies: bool | None = None  # default: 2xx applies
    delay: float = 0.0  # seconds before answering
    chunked: bool = False  # send the body with Transfer-Encoding: chunked (no Content-Length)

    def raw_body(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()

    @property
    def does_apply(self) -> bool:
        return self.applies if self.applies is not None else 200 <= self.status < 300


@dataclass(frozen=True)
class Reset:
    """Send the start of `reply` (`after` bytes of it: 0 means nothing at all), then drop the connection:
    with a reset (RST) when `hard`, else with an orderly close (FIN) mid-message."""

    reply: Reply = field(default_factory=lambda: Reply(200, {"id": "obj_1", "object": "thing", "padding": "x" * 200}))
    after: int = 0
    applies: bool = False  # True: the server did the work, then the response was lost
    hard: bool = True


@dataclass(frozen=True)
class Stall:
    """Answer nothing for `seconds` (beyond the client's read timeout), then hang up."""

    seconds: float = 2.0


@dataclass(frozen=True)
class Drip:
    """Send `reply` one byte every `every` seconds (its head at once when `body_only`): each read of the
    client succeeds well within any read timeout, yet the response takes as long as the server likes."""

    reply: Reply
    every: float = 0.5
    body_only: bool = False


Step = Reply | Reset | Stall | Drip


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


class FaultServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.applications = 0
        self.replays = 0
        self._steps: list[Step] = [Reply(200, {})]
        self._done: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *steps: Step) -> None:
        with self._lock:
            self._steps = list(steps)

    def attempts(self, method: str | None = None) -> int:
        return sum(1 for r in self.requests if method is None or r.method == method)

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _next(self, request: Recorded) -> Step:
        """The step for this request, doing the idempotency bookkeeping under the lock."""
        with self._lock:
            self.requests.append(request)
            key = request.idempotency_key
            if request.method == "POST" and key in self._done:
                self.replays += 1
                stored = self._done[key]
                return Reply(stored.status, stored.body, {**stored.headers, "Idempotent-Replayed": "true"})
            step = self._steps.pop(0) if len(self._steps) > 1 else self._steps[0]
            applied = step.reply if (isinstance(step, Reset) and step.applies) or isinstance(step, Drip) else step
            if isinstance(applied, Reply) and applied.does_apply:
                self.applications += 1
                if request.method == "POST" and key:
                    self._done[key] = applied
            return step


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the faults are deliberate: a client hanging up on a stalled answer is expected


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx's pool expects

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
            pass

        def _read_body(self) -> bytes:
            if self.headers.get("transfer-encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().strip().split(b";")[0], 16)
                    chunk = self.rfile.read(size)
                    self.rfile.readline()
                    if size == 0:
                        return b"".join(chunks)
                    chunks.append(chunk)
            return self.rfile.read(int(self.headers.get("content-length") or 0))

        def _serve(self) -> None:
            url = urlsplit(self.path)
            request = Recorded(
                self.command,
                url.path,
                url.query,
                {k.lower(): v for k, v in self.headers.items()},
                self._read_body(),
            )
            step = server._next(request)
            if isinstance(step, Reply):
                if step.delay:
                    server._stopping.wait(step.delay)
                self.wfile.write(_render(step))
            elif isinstance(step, Reset):
                self.wfile.write(_render(step.reply)[: step.after])
                self.wfile.flush()
                if step.hard:  # SO_LINGER 0: closing sends a RST, not a polite FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.connection.close()
                self.close_connection = True
            elif isinstance(step, Drip):
                message = _render(step.reply)
                start = message.index(b"\r\n\r\n") + 4 if step.body_only else 0
                self.wfile.write(message[:start])
                self.wfile.flush()
                for i in range(start, len(message)):
                    if server._stopping.wait(step.every):
                        break
                    try:
                        self.wfile.write(message[i : i + 1])
                        self.wfile.flush()
                    except OSError:  # the client gave up, as it should
                        break
                self.close_connection = True
            else:
                server._stopping.wait(step.seconds)
                self.close_connection = True

        do_GET = do_POST = do_DELETE = _serve

    return Handler


def _render(reply: Reply) -> bytes:
    body = reply.raw_body()
    reason = {200: "OK", 400: "Bad Request", 402: "Payment Required", 500: "Internal Server Error"}.get(
        reply.status, "Status"
    )
    headers = {"Content-Type": "application/json", "Request-Id": "req_fault", **reply.headers}
    if reply.chunked:
        headers["Transfer-Encoding"] = "chunked"
        size = 1024
        body = b"".join(
            b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)
        )
        body += b"0\r\n\r\n"
    else:
        headers["Content-Length"] = str(len(body))
    head = f"HTTP/1.1 {reply.status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode() + b"\r\n" + body
