"""Case (j)'s baseline: the same cases as cases_ours.py, run by the runtime of an earlier revision (before
hooks, spans and last_response), which run.py extracts into $BENCH_BEFORE_RUNTIME with the package that
revision's generator makes (in its `generated/`): the template contract between the two moves with them."""

from __future__ import annotations

import os
import sys

RUNTIME = os.environ["BENCH_BEFORE_RUNTIME"]
sys.path[:0] = [RUNTIME, os.path.join(RUNTIME, "generated")]

import stripe_connect  # noqa: E402
import stripe_connect_generated  # noqa: E402

for package in (stripe_connect, stripe_connect_generated):
    if not package.__file__ or not package.__file__.startswith(RUNTIME):
        raise RuntimeError(f"the earlier revision's package was not the one imported: {package.__file__}")

from cases_ours import Cases  # noqa: E402

NAME = "stripe-connect (before)"
__all__ = ["NAME", "Cases"]
