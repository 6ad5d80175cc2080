"""A benchmark worker: one library's cases in a long-lived process, driven by run.py over stdin/stdout.

    python bench/worker.py <ours|httpx|stripe> <base_url>

Each line in is `{"case": name, "iterations": n, "inner": k, "clock": "wall" | "cpu"}`; each line out is
`{"times": [...]}`: the seconds per call (wall clock, or the process's CPU time), each timed over `inner`
back-to-back calls (for calls too quick to time one by one), or `{"error": text}`. Standard library only at
the top: this runs in the stripe-python environment too.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CASES = ("retrieve", "create", "list", "auto_paging", "derive", "fanout")


def main() -> None:
    library, base_url = sys.argv[1], sys.argv[2]
    cases = importlib.import_module(f"cases_{library}").Cases(base_url)
    out = sys.stdout
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        try:
            if command["case"] not in CASES:
                raise ValueError(f"unknown case {command['case']!r}")
            call = getattr(cases, command["case"])
            inner = int(command.get("inner", 1))
            # "cpu": this process's CPU time, what the client itself spends (not the server, not the wait).
            clock = time.process_time if command.get("clock") == "cpu" else time.perf_counter
            times: list[float] = []
            for _ in range(int(command["iterations"])):
                start = clock()
                for _ in range(inner):
                    call()
                times.append((clock() - start) / inner)
            reply: dict[str, object] = {"times": times}
        except Exception:
            reply = {"error": traceback.format_exc()}
        print(json.dumps(reply), file=out, flush=True)
    cases.close()


if __name__ == "__main__":
    main()
