"""Case (j)'s baseline: the same cases as cases_ours.py, run by the runtime of an earlier revision (before
hooks, spans and last_response), which run.py extracts into $BENCH_BEFORE_RUNTIME. The generated package is
today's: the template contract it uses did not change."""

from __future__ import annotations

import os
import sys

RUNTIME = os.environ["BENCH_BEFORE_RUNTIME"]
sys.path.insert(0, RUNTIME)

import stripe_connect  # noqa: E402

if not stripe_connect.__file__ or not stripe_connect.__file__.startswith(RUNTIME):
    raise RuntimeError(f"the earlier runtime was not the one imported: {stripe_connect.__file__}")

from cases_ours import Cases  # noqa: E402

NAME = "stripe-connect (before)"
__all__ = ["NAME", "Cases"]
