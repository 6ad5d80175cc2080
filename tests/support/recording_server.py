"""A small HTTP/1.1 keep-alive server that records which `Stripe-Account` each request carried.

Run as its own process (`python tests/support/recording_server.py`; it prints its port), so that it neither shares
the test's GIL nor its CPU core. Every request is answered with a small customer whose `id` is the last
path segment and whose `metadata.seen` echoes the `Stripe-Account` header (or "(platform)"), and is
recorded as `[tag, account]`; `GET /__records` returns the records as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys

PLATFORM = "(platform)"


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                target = head[0].split(" ")[1]
                headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in head[1:] if line)}
                if int(headers.get("content-length", 0)):
                    await reader.readexactly(int(headers["content-length"]))
                path = target.split("?")[0]
                if path == "/__records":
                    body = json.dumps(self.seen).encode()
                else:
                    tag = path.rsplit("/", 1)[-1]
                    account = headers.get("stripe-account", PLATFORM)
                    self.seen.append((tag, account))
                    customer = {"id": tag, "object": "customer", "created": 1, "livemode": False}
                    body = json.dumps({**customer, "metadata": {"seen": account}}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(body), body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def main() -> None:
    server = await asyncio.start_server(Recorder().handle, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
