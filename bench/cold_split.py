"""Where a fresh process's webhook time goes, stage by stage (CPU time, medians of fresh processes).

    .venv/bin/python bench/cold_split.py [runs]

The stages run in bench/.venv-ours (stripe-connect with its runtime dependencies only; `make bench` makes it),
with the bytecode of every module they load compiled first, as `make bench` does.

Each run is a fresh interpreter that imports and calls one stage after the other, so a stage's time is
what it adds to the ones before it. Stages: `import pydantic` (the floor's import), what the first model
class needs of pydantic besides (`pydantic.main`, `pydantic.fields` and `pydantic.types`), pydantic's scan of
the installed distributions for plugins (done when the first validator is built), this SDK's runtime and
webhook modules, the `Event` model, then `construct_event` on the benchmark's `charge.succeeded` payload:
verifying, and parsing, which imports and builds the models the payload holds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

STAGES = """
import time, sys, json
marks = [time.process_time()]
def mark():
    marks.append(time.process_time())
import pydantic; mark()
import pydantic.main, pydantic.fields, pydantic.types; mark()
from pydantic.plugin._loader import get_plugins; get_plugins(); mark()
import stripe_connect.webhooks, stripe_connect._models, stripe_connect._adapters; mark()
from stripe_connect_generated.models import Event; mark()
from stripe_connect.webhooks import construct_event, verify_header
payload = open(sys.argv[1], "rb").read()
verify_header(payload, sys.argv[2], sys.argv[3]); mark()
event = construct_event(payload, sys.argv[2], sys.argv[3]); mark()
models = sum(1 for m in sys.modules if m.startswith("stripe_connect_generated.models."))
print(json.dumps({"stages": [b - a for a, b in zip(marks, marks[1:])], "models": models}))
"""
NAMES = (
    "import pydantic",
    "pydantic.main, .fields, .types",
    "pydantic's plugin scan",
    "stripe_connect runtime + webhooks",
    "the Event model",
    "verify the signature",
    "first parse (imports + builds)",
)


def main() -> None:
    from common import WEBHOOK_SECRET
    from run import OURS, Server, cold_environment, compile_bytecode, fixed_server, ours_python

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    python = str(ours_python(install=False))
    samples: list[list[float]] = []
    models = 0
    with tempfile.TemporaryDirectory() as tmp, fixed_server(Path(tmp)) as (server, _stats):
        assert isinstance(server, Server)
        compile_bytecode(Path(python), OURS, server)  # as run.py does: timing imports, not compiling sources
        for _ in range(runs):
            env = cold_environment(server)
            command = [python, "-c", STAGES, str(server.event), env["BENCH_WEBHOOK_SIGNATURE"], WEBHOOK_SECRET]
            out = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
            samples.append(out["stages"])
            models = out["models"]
    medians = [statistics.median(column) * 1e3 for column in zip(*samples, strict=True)]
    for name, value in zip(NAMES, medians, strict=True):
        print(f"{name:<36}{value:8.1f} ms")
    print(f"{'total':<36}{sum(medians):8.1f} ms   ({models} model modules loaded, {runs} runs, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
