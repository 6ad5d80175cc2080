"""First-parse cost per response type: `adapter_for` (models built once, shared) against a bare TypeAdapter.

Each variant runs in a fresh interpreter (nothing built yet) and builds the parsers of the same ten common
response types in turn, as a process serving a Connect platform would on its first calls.

    .venv/bin/python bench/first_parse.py
"""

from __future__ import annotations

import subprocess
import sys

TYPES = (
    "Charge",
    "Customer",
    "PaymentIntent",
    "Invoice",
    "Account",
    "Subscription",
    "ListObject[Charge]",
    "Event",
    "Refund",
    "Payout",
)

PROBE = """
import sys, time
from pydantic import TypeAdapter
from stripe_connect import models
from stripe_connect._adapters import adapter_for

def build(tp):
    if sys.argv[1] == "adapter_for":
        adapter_for(tp)
    else:
        TypeAdapter(tp).validator.validate_python  # touching the validator builds it

def main():
    for name in sys.argv[2:]:
        outer, _, inner = name.rstrip("]").partition("[")
        tp = getattr(models, outer)[getattr(models, inner)] if inner else getattr(models, outer)
        start = time.perf_counter()
        build(tp)
        print(name, f"{(time.perf_counter() - start) * 1000:.0f}")

main()
"""


def run(variant: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", PROBE, variant, *TYPES], capture_output=True, text=True, check=True)
    return dict(line.split() for line in out.stdout.splitlines())


def main() -> None:
    shared, bare = run("adapter_for"), run("TypeAdapter")
    print(f"{'response type':<22}{'adapter_for ms':>16}{'bare TypeAdapter ms':>22}")
    for name in TYPES:
        print(f"{name:<22}{shared[name]:>16}{bare[name]:>22}")
    total = sum(int(v) for v in shared.values()), sum(int(v) for v in bare.values())
    print(f"{'total':<22}{total[0]:>16}{total[1]:>22}")


if __name__ == "__main__":
    main()
