"""Nothing loads before it is used: importing, constructing a client and touching services load no model
and not pydantic; a call loads only the models its response can contain."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from stripe_connect import StripeClient
client = StripeClient("sk_test_123", stripe_account="acct_1")
client.charges
client.checkout.sessions
client.accounts.capabilities
loaded = sorted(sys.modules)
print(json.dumps({
    "pydantic": [m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core")],
    "models": [m for m in loaded if m.startswith("stripe_connect_generated.models.")],
    "services": [m for m in loaded if m.startswith("stripe_connect_generated.services.")],
    "params": [m for m in loaded if m.startswith("stripe_connect_generated.params")],
}))
"""


def test_client_and_services_load_no_models_and_no_pydantic() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert loaded["pydantic"] == []
    assert loaded["models"] == []
    assert loaded["params"] == []
    assert loaded["services"] == [
        "stripe_connect_generated.services.account_capability_service",
        "stripe_connect_generated.services.account_service",
        "stripe_connect_generated.services.charge_service",
        "stripe_connect_generated.services.checkout_service",
        "stripe_connect_generated.services.checkout_session_service",
    ]


CALL = """
import json, sys
import httpx
from stripe_connect import StripeClient
body = {"object": "balance", "available": [], "pending": [], "livemode": False}
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)))
balance = StripeClient("sk_test_123", http_client=http).balance.retrieve()
assert type(balance).__name__ == "Balance"
print(json.dumps(sorted(m for m in sys.modules if m.startswith("stripe_connect_generated.models."))))
"""


def test_a_call_loads_only_the_models_its_response_reaches() -> None:
    out = subprocess.run([sys.executable, "-c", CALL], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert "stripe_connect_generated.models.balance" in loaded
    assert "stripe_connect_generated.models.charge" not in loaded
    assert len(loaded) < 10, loaded  # the balance and the few models it contains, not all 819
