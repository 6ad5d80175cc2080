"""The fixed-response HTTP/1.1 server every benchmarked client talks to: `python bench/server.py`.

One process on 127.0.0.1, keep-alive, answers precomputed bytes, so it costs every client the same and as
little as possible. It prints `PORT <n>` once listening. Routes (what the benchmark cases call):

    GET  /v1/charges/{id}     a full charge
    POST /v1/customers        a full customer with `default_source` and
                              `invoice_settings.default_payment_method` expanded
    GET  /v1/charges          pages of 100 full charges: the first page, or the page after `starting_after`
                              (10 pages, the last with has_more=false)
    GET  /v1/events/{id}      a `charge.succeeded` event holding a full charge (the webhook cases' payload)
    GET  /__stats             request counts per route (the smoke test checks them)

With `--tls-cert` and `--tls-key` it also serves the same routes over https on a second port (`TLSPORT <n>`).

The server only routes; it does not check what clients send (the SDK's own tests do that against Steady).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import ssl
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # codegen, for the spec's schemas

from bodies import BodyBuilder, dumps
from common import CUSTOMER_EXPAND, PAGE_SIZE

from codegen.load import load_spec

PAGES = 10

_REASONS = {200: b"OK", 400: b"Bad Request", 404: b"Not Found"}
# What api.stripe.com sends besides the body; clients parse every header, so they are part of the cost.
_STRIPE_HEADERS = (
    b"Server: nginx\r\n"
    b"Date: Thu, 17 Aug 2023 00:00:00 GMT\r\n"
    b"Content-Type: application/json\r\n"
    b"Access-Control-Allow-Credentials: true\r\n"
    b"Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE\r\n"
    b"Access-Control-Allow-Origin: *\r\n"
    b"Access-Control-Expose-Headers: Request-Id, Stripe-Manage-Version, Stripe-Should-Retry, "
    b"X-Stripe-External-Auth-Required, X-Stripe-Privileged-Session-Required\r\n"
    b"Access-Control-Max-Age: 300\r\n"
    b"Cache-Control: no-cache, no-store\r\n"
    b"Request-Id: req_benchQx7Kz0001\r\n"
    b"Stripe-Version: 2023-08-16\r\n"
    b"Vary: Origin\r\n"
    b"X-Stripe-Routing-Context-Priority-Tier: api-testmode\r\n"
    b"Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n"
)


def response(body: bytes, status: int = 200) -> bytes:
    head = b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])
    return head + _STRIPE_HEADERS + b"Content-Length: %d\r\n\r\n" % len(body) + body


def page_ids(page: int) -> list[str]:
    return [f"ch_1NbenchPage{page:02d}Item{i:03d}" for i in range(PAGE_SIZE)]


class Routes:
    """The precomputed responses, and which one a request gets."""

    def __init__(self, builder: BodyBuilder) -> None:
        self.charge = response(dumps(builder.build("charge")))
        self.customer = response(dumps(builder.build("customer", expand=CUSTOMER_EXPAND)))
        charge = builder.build("charge", status="succeeded", paid=True)
        self.event = response(dumps(builder.build("event", type="charge.succeeded", data={"object": charge})))
        self.pages: list[bytes] = []
        self.next_page: dict[str, int] = {}
        for page in range(PAGES):
            ids = page_ids(page)
            body = builder.list_page("charge", PAGE_SIZE, url="/v1/charges", has_more=page < PAGES - 1, ids=ids)
            self.pages.append(response(dumps(body)))
            self.next_page[ids[-1]] = page + 1
        self.stats: Counter[str] = Counter()

    def answer(self, method: bytes, target: bytes) -> bytes:
        path, _, query = target.decode("latin-1").partition("?")
        if method == b"GET" and path.startswith("/v1/charges/"):
            self.stats["retrieve_charge"] += 1
            return self.charge
        if method == b"GET" and path.startswith("/v1/events/"):
            self.stats["retrieve_event"] += 1
            return self.event
        if method == b"POST" and path == "/v1/customers":
            self.stats["create_customer"] += 1
            return self.customer
        if method == b"GET" and path == "/v1/charges":
            after = parse_qs(query).get("starting_after")
            page = 0 if after is None else self.next_page.get(after[0])
            if page is None or page >= PAGES:
                return _error(404, "resource_missing", f"No such charge: {after}")
            self.stats[f"list_charges_page_{page}"] += 1
            return self.pages[page]
        if method == b"GET" and path == "/__stats":
            return response(json.dumps(dict(self.stats)).encode())
        return _error(404, "resource_missing", f"Unrecognized request URL ({method.decode()}: {path})")


def _error(status: int, code: str, message: str) -> bytes:
    body = {"error": {"type": "invalid_request_error", "code": code, "message": message}}
    return response(json.dumps(body).encode(), status)


class Connection(asyncio.Protocol):
    """HTTP/1.1 with Content-Length bodies, pipelined or one at a time, kept alive."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = bytes(self.buffer[:end])
            length = _content_length(head)
            if length is None:
                self._reply(_error(400, "parameter_invalid", "chunked or unsized bodies are not supported"))
                self.buffer.clear()
                return
            if len(self.buffer) < end + 4 + length:
                return  # the rest of the body is still on its way
            del self.buffer[: end + 4 + length]
            method, target, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            self._reply(self.routes.answer(method, target))

    def _reply(self, payload: bytes) -> None:
        assert self.transport is not None
        self.transport.write(payload)


def _content_length(head: bytes) -> int | None:
    lowered = head.lower()
    if b"\r\ntransfer-encoding:" in lowered:
        return None
    start = lowered.find(b"\r\ncontent-length:")
    if start < 0:
        return 0
    start += len(b"\r\ncontent-length:")
    end = lowered.find(b"\r\n", start)
    return int(lowered[start : end if end >= 0 else None])


async def serve(routes: Routes, port: int, tls: ssl.SSLContext | None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Connection(routes), "127.0.0.1", port, backlog=1024)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    servers = [server]
    if tls is not None:
        servers.append(await loop.create_server(lambda: Connection(routes), "127.0.0.1", 0, ssl=tls, backlog=1024))
        print(f"TLSPORT {servers[1].sockets[0].getsockname()[1]}", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--spec", type=Path, help="the OpenAPI document (default: build/spec3.yaml)")
    parser.add_argument("--tls-cert", type=Path, help="also serve https with this certificate ...")
    parser.add_argument("--tls-key", type=Path, help="... and this key")
    args = parser.parse_args()
    spec_path = args.spec or Path(__file__).resolve().parent.parent / "build" / "spec3.yaml"
    routes = Routes(BodyBuilder(load_spec(spec_path)))
    tls = None
    if args.tls_cert is not None:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(routes, args.port, tls))


if __name__ == "__main__":
    main()
