"""Fresh-process measurements: `python bench/cold.py <library> <import|first-call|rss> [base_url]`.

    import      import + construct a client + first service access (floor: `import httpx, pydantic`)
    first-call  import + client + the first retrieve (what a serverless cold start pays before its answer)
    rss         peak resident memory after import and one call of each kind
    modules     runs `rss` (`import` for the floor) and lists the source files of every module loaded,
                for run.py to compile them before timing anything

Prints `{"seconds": ..., "rss_mb": ...}`. The clock starts before any import but after the interpreter's
own start-up, which every library pays alike.
"""

import time

_START = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import API_KEY  # noqa: E402


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


def main() -> None:
    library, mode = sys.argv[1], sys.argv[2]
    if mode == "import" or (mode == "modules" and library == "floor"):
        IMPORTS[library]()
    else:
        from importlib import import_module

        cases = import_module(f"cases_{library}").Cases(sys.argv[3])
        cases.retrieve()
        if mode in ("rss", "modules"):
            cases.create()
            cases.list()
            cases.auto_paging()
            cases.derive()
            cases.async_retrieve()
        elif mode != "first-call":
            raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - _START
    if mode == "modules":
        files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
        print("\n".join(sorted(f for f in files if f and f.endswith(".py"))))
        return
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
