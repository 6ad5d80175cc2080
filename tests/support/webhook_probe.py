"""A fresh interpreter's first webhook: it verifies and parses a signed event, then says what it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from stripe_connect.testing import generate_test_header

SECRET = "whsec_test_cold"

# A fresh interpreter verifies and parses an event (argv: payload, signature, secret), then prints what it
# loaded (before importing `json` to print it).
PROBE = """
import sys
from stripe_connect.webhooks import construct_event

event = construct_event(sys.argv[1].encode(), sys.argv[2], sys.argv[3])
charge = event.data.object
details = charge.payment_method_details
kind = details and type(getattr(details, details.type, None)).__name__
modules = sorted(sys.modules)

import json
prefix = "stripe_connect_generated.models."
print(json.dumps({
    "amount": charge.amount,
    "type": type(charge).__name__,
    "kind": kind,
    "http": [m for m in ("httpx", "httpcore", "anyio", "ssl", "h11", "sniffio") if m in modules],
    "models": [m.removeprefix(prefix) for m in modules if m.startswith(prefix)],
    "modules": modules,
    "generated_from": sys.modules["stripe_connect_generated"].__file__,
}))
"""

# What a fresh process's first webhook does not use, and would pay for if a module it imports imported them:
# the clients' options, redaction (of logs and of error bodies), rebuilding a payload the models refuse (this
# one fits), and the standard modules only those need (`logging` and `json` cost a fresh process ~7 ms).
UNUSED_BY_WEBHOOKS = (
    "stripe_connect._options",
    "stripe_connect._redact",
    "stripe_connect._log_filter",
    "stripe_connect._lenient",
    "stripe_connect._client",
    "stripe_connect._async_pagination",
    "logging",
    "json",
)


def fresh_parse(
    event: dict[str, Any], python: str = sys.executable, cwd: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """What a fresh `python` (this interpreter, or an installed wheel's) loaded to verify and parse `event`."""
    payload = json.dumps(event)
    signature = generate_test_header(payload, SECRET)
    out = subprocess.run(
        [python, "-c", PROBE, payload, signature, SECRET], capture_output=True, text=True, check=True, cwd=cwd, env=env
    )
    return json.loads(out.stdout)
