"""Warm parse time of two checkouts, side by side: what a change to the models costs every parse after the first.

    .venv/bin/python bench/warm_parse.py /path/to/other/checkout [rounds]

Parses the benchmark's bodies (bench/server.py: a full charge, a customer with its expanded objects, a page of
100 charges) with `stripe_connect._parse.parse_json`, the way every response is read, in a process of each
checkout's own `.venv` (its own code and generated models), the checkouts alternating round after round so
the noise of a shared machine falls on both alike. Each process warms up, then takes samples of CPU time
(`time.process_time`) over a batch of parses; the table gives, per body and checkout, the best and the
median of all its samples, per parse, and the ratio of this checkout to the other.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

CHILD = """
import gc, json, sys, time
from stripe_connect._parse import parse_json
from stripe_connect.models import Charge, Customer, ListObject

bodies = json.loads(open(sys.argv[1]).read())
types = {"charge": Charge, "customer": Customer, "page of 100 charges": ListObject[Charge]}
batch = {"charge": 200, "customer": 40, "page of 100 charges": 2}
samples = {}
for name, tp in types.items():
    body = bodies[name].encode()
    for _ in range(max(20, batch[name] * 5)):
        parse_json(tp, body)
    samples[name] = []
    for _ in range(int(sys.argv[2])):
        gc.collect()
        start = time.process_time()
        for _ in range(batch[name]):
            parse_json(tp, body)
        samples[name].append((time.process_time() - start) / batch[name])
print(json.dumps(samples))
"""


def bodies() -> dict[str, str]:
    from bodies import BodyBuilder
    from server import CUSTOMER_EXPAND

    from codegen.load import load_spec
    from codegen.pin import MATERIALIZED, materialize

    builder = BodyBuilder(load_spec(MATERIALIZED if MATERIALIZED.exists() else materialize()))
    page = builder.list_page("charge", 100, url="/v1/charges", has_more=True)
    return {
        "charge": json.dumps(builder.build("charge")),
        "customer": json.dumps(builder.build("customer", expand=CUSTOMER_EXPAND)),
        "page of 100 charges": json.dumps(page),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    other = Path(sys.argv[1]).resolve()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    trees = {"this": ROOT, "other": other}
    samples: dict[str, dict[str, list[float]]] = {tree: {} for tree in trees}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bodies.json"
        path.write_text(json.dumps(bodies()))
        for i in range(rounds):
            for tree in list(trees)[:: 1 if i % 2 == 0 else -1]:
                python = str(trees[tree] / ".venv" / "bin" / "python")
                command = [python, "-c", CHILD, str(path), "30"]
                out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=trees[tree]).stdout
                for name, values in json.loads(out).items():
                    samples[tree].setdefault(name, []).extend(values)
    print(f"{'body':<22}{'this best':>11}{'other best':>12}{'ratio':>7}{'this med':>11}{'other med':>11}{'ratio':>7}")
    for name in samples["this"]:
        ours, theirs = samples["this"][name], samples["other"][name]
        best = min(ours), min(theirs)
        median = statistics.median(ours), statistics.median(theirs)
        print(
            f"{name:<22}{best[0] * 1e6:>9.1f}µs{best[1] * 1e6:>10.1f}µs{best[0] / best[1]:>7.3f}"
            f"{median[0] * 1e6:>9.1f}µs{median[1] * 1e6:>9.1f}µs{median[0] / median[1]:>7.3f}"
        )
    count = len(samples["this"]["charge"])
    print(f"({rounds} rounds alternating, {count} samples per body and checkout; other: {other})")


if __name__ == "__main__":
    main()
