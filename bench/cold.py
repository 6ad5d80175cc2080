"""Fresh-process measurements: `python bench/cold.py <library> <mode> <base_url> [<https_base_url>]`.

    import            import + construct a client + first service access (floor: `import httpx, pydantic`)
    first-call        import + client + the first retrieve (what a serverless cold start pays before its answer)
    first-call-https  the same over https (a local server whose authority each library is told to trust)
    webhook           import, verify and parse one signed `charge.succeeded` event, read `data.object.amount`
                      (floor: `import pydantic` and `json.loads` of the payload; raw: `hmac` and `json`;
                      pydantic: `hmac` and three small pydantic models)
    rss               peak resident memory after import and one call of each kind
    modules           runs `rss` and `webhook` (`import` for the floor) and lists the source files of every
                      module loaded, for run.py to compile them before timing anything

The webhook payload is the file named by BENCH_WEBHOOK_PAYLOAD, its `Stripe-Signature` header
BENCH_WEBHOOK_SIGNATURE (signed with common.WEBHOOK_SECRET just before the run). Prints
`{"seconds": ..., "cpu_seconds": ..., "rss_mb": ...}` (CPU time: what the process itself spent, which the
load of a shared machine disturbs less than the wall clock). The clocks start before any import but after
the interpreter's own start-up, which every library pays alike.
"""

import time

_START = time.perf_counter()
_CPU_START = time.process_time()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from importlib import import_module  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import API_KEY, WEBHOOK_SECRET  # noqa: E402


def import_floor() -> None:
    import httpx  # noqa: F401
    import pydantic  # noqa: F401


def import_ours() -> None:
    import stripe_connect

    client = stripe_connect.StripeClient(API_KEY)
    assert client.charges is not None


def import_stripe() -> None:
    import warnings

    import stripe  # pyright: ignore[reportMissingImports]

    warnings.simplefilter("ignore", DeprecationWarning)
    client = stripe.StripeClient(API_KEY)
    assert client.v1.charges is not None


def import_httpx() -> None:
    import httpx

    httpx.Client()


IMPORTS = {"floor": import_floor, "ours": import_ours, "stripe": import_stripe, "httpx": import_httpx}


def webhook_floor(payload: bytes, _signature: str) -> int:
    import pydantic  # noqa: F401

    return json.loads(payload)["data"]["object"]["amount"]


def webhook_pydantic(payload: bytes, signature: str) -> int:
    """What any pydantic-based parser pays at the least: three deferred models (event, data, object)."""
    from pydantic import BaseModel, ConfigDict

    config = ConfigDict(extra="allow", defer_build=True)

    class Obj(BaseModel):
        model_config = config
        amount: int

    class Data(BaseModel):
        model_config = config
        object: Obj

    class Event(BaseModel):
        model_config = config
        id: str
        data: Data

    webhook_raw(payload, signature)
    return Event.model_validate_json(payload).data.object.amount


def webhook_raw(payload: bytes, signature: str) -> int:
    """What a hand-written handler does at the least: check the v1 HMAC and the age, `json.loads`."""
    import hashlib
    import hmac

    fields = dict(item.split("=", 1) for item in signature.split(","))
    expected = hmac.new(WEBHOOK_SECRET.encode(), fields["t"].encode() + b"." + payload, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) <= 300
    return json.loads(payload)["data"]["object"]["amount"]


def webhook_ours(payload: bytes, signature: str) -> int:
    from stripe_connect.webhooks import construct_event

    event = construct_event(payload, signature, WEBHOOK_SECRET)
    return event.data.object.amount  # pyright: ignore[reportAttributeAccessIssue]


def webhook_stripe(payload: bytes, signature: str) -> int:
    import stripe  # pyright: ignore[reportMissingImports]

    event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
    return event.data.object.amount


WEBHOOKS = {
    "floor": webhook_floor,
    "raw": webhook_raw,
    "pydantic": webhook_pydantic,
    "ours": webhook_ours,
    "stripe": webhook_stripe,
}


def webhook(library: str) -> None:
    payload = Path(os.environ["BENCH_WEBHOOK_PAYLOAD"]).read_bytes()
    assert WEBHOOKS[library](payload, os.environ["BENCH_WEBHOOK_SIGNATURE"]) > 0


def main() -> None:
    library, mode = sys.argv[1], sys.argv[2]
    if mode == "import" or (mode == "modules" and library == "floor"):
        IMPORTS[library]()
    elif mode == "webhook":
        webhook(library)
    else:
        url = sys.argv[4] if mode == "first-call-https" else sys.argv[3]
        cases = import_module(f"cases_{library}").Cases(url)
        cases.retrieve()
        if mode in ("rss", "modules"):
            cases.create()
            cases.list()
            cases.auto_paging()
            cases.derive()
            cases.async_retrieve()
        elif mode not in ("first-call", "first-call-https"):
            raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - _START
    cpu_seconds = time.process_time() - _CPU_START
    if mode == "modules":
        if library in WEBHOOKS:
            webhook(library)
        if len(sys.argv) > 4 and library != "floor":
            import_module(f"cases_{library}").Cases(sys.argv[4]).retrieve()
        files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
        print("\n".join(sorted(f for f in files if f and f.endswith(".py"))))
        return
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
