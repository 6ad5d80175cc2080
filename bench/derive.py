"""What a tenant-scoped client costs: `with_options(stripe_account=...)` against making a new client.

    .venv/bin/python bench/derive.py

Prints the time per derive (best of 5 runs of 20,000), per derive plus first service access (what a
`client_for_account(account_id)` helper pays per call), and per construction of a new `StripeClient`.
Then, against a local HTTP server, one request per tenant: through a derived client (the shared pool's
warm connection) and through a new client per tenant (a new pool, a new connection, closed after).
"""

from __future__ import annotations

import json
import threading
import time
import timeit
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stripe_connect import StripeClient

N = 20_000
BALANCE = json.dumps({"object": "balance", "available": [], "pending": [], "livemode": False}).encode()


class Balance(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BALANCE)))
        self.end_headers()
        self.wfile.write(BALANCE)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def per_request_ms(server_url: str, requests: int = 300) -> tuple[float, float]:
    platform = StripeClient("sk_test_bench", api_base=server_url)
    platform.balance.retrieve()  # warm: the pool and the response parser exist
    start = time.perf_counter()
    for i in range(requests):
        platform.for_account(f"acct_{i}").balance.retrieve()
    derived = (time.perf_counter() - start) / requests * 1e3
    start = time.perf_counter()
    for i in range(requests):
        with StripeClient("sk_test_bench", api_base=server_url, stripe_account=f"acct_{i}") as fresh:
            fresh.balance.retrieve()
    fresh_ms = (time.perf_counter() - start) / requests * 1e3
    platform.close()
    return derived, fresh_ms


def best_us(statement: str, namespace: dict[str, object]) -> float:
    return min(timeit.repeat(statement, globals=namespace, number=N, repeat=5)) / N * 1e6


def main() -> None:
    platform = StripeClient("sk_test_bench", client_id="ca_bench")
    platform._pool.get()  # a pool exists: deriving must not make another
    namespace: dict[str, object] = {"platform": platform, "StripeClient": StripeClient}
    derive = best_us("platform.with_options(stripe_account='acct_123')", namespace)
    derive_and_service = best_us("platform.for_account('acct_123').customers", namespace)
    construct = best_us("StripeClient('sk_test_bench', stripe_account='acct_123')", namespace)
    pools = {id(platform.for_account(f"acct_{i}")._pool) for i in range(1000)}
    print(f"with_options(stripe_account=...)        {derive:7.2f} µs per derive")
    print(f"for_account(...).customers              {derive_and_service:7.2f} µs (derive + first service)")
    print(f"StripeClient(...) (new client, no pool) {construct:7.2f} µs")
    print(f"connection pools behind 1,000 derived clients: {len(pools)}")
    platform.close()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Balance)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    derived, fresh = per_request_ms(f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    print(f"one request per tenant, derived client  {derived * 1000:7.0f} µs")
    print(f"one request per tenant, new client      {fresh * 1000:7.0f} µs (new pool and connection each)")


if __name__ == "__main__":
    main()
