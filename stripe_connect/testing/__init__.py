"""Helpers for testing code that uses this SDK, without a Stripe account.

- `SteadyServer` runs Steady, an OpenAPI mock server, on Stripe's document (`steady.py`). It finds the
  executable through `$STRIPE_CONNECT_STEADY`, else `steady` on the PATH (`find_steady`).
- `ConnectOAuthServer` stands in for connect.stripe.com's OAuth endpoints, which are not in the OpenAPI
  document, so Steady cannot serve them: point `connect_base` at it to test your OAuth callback
  (`oauth_server.py`).
- `generate_test_header` signs webhook payloads as Stripe would (`signing.py`).

    with SteadyServer(spec_path) as server:
        client = StripeClient("sk_test_123", api_base=server.url)
"""

from __future__ import annotations

from stripe_connect.testing.oauth_server import ConnectOAuthServer, RecordedOAuthRequest
from stripe_connect.testing.signing import generate_test_header
from stripe_connect.testing.steady import STEADY_FLAGS, SteadyServer, find_steady

__all__ = [
    "STEADY_FLAGS",
    "ConnectOAuthServer",
    "RecordedOAuthRequest",
    "SteadyServer",
    "find_steady",
    "generate_test_header",
]
