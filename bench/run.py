"""The benchmarks: stripe-connect against stripe-python 16.1.0 and raw httpx, in one run (`make bench`).

    .venv/bin/python bench/run.py                          # every case, prints the table
    .venv/bin/python bench/run.py --cases codegen,import   # the quick check: generation and import time
    .venv/bin/python bench/run.py --write bench/RESULTS.md # ... and records it

Every library talks to the same local fixed-response server (bench/server.py, its own process) and runs in
its own long-lived worker process (bench/worker.py); the cases run interleaved, batch by batch, so that
the noise of a shared machine falls on all of them alike. Tables show medians and ratios measured in this
run. stripe-python is installed on first use into bench/.venv-stripe (with the httpx we use, for its async
client).
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import functools
import hashlib
import hmac
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
STRIPE_VENV = BENCH / ".venv-stripe"
OURS_VENV = BENCH / ".venv-ours"
STRIPE_REQUIREMENT = "stripe[async]==16.1.0"
SHARED_STACK = ("httpx", "httpcore", "sniffio")

OURS, STRIPE, HTTPX, FLOOR, RAW, PYDANTIC = "ours", "stripe", "httpx", "floor", "raw", "pydantic"
# The tracing cases compare stripe-connect with itself: before hooks and spans existed (the runtime of the
# revision BEFORE_TRACING, extracted by git), and with OpenTelemetry spans going to an in-memory exporter.
BEFORE, TRACED = "before", "traced"
BEFORE_TRACING = "e630065"
LABELS = {
    OURS: "stripe-connect",
    STRIPE: "stripe-python 16.1.0",
    HTTPX: "raw httpx",
    FLOOR: "floor",
    RAW: "hmac + json",
    PYDANTIC: "hmac + 3 pydantic models",
    BEFORE: f"stripe-connect at {BEFORE_TRACING}",
    TRACED: "stripe-connect, spans to an in-memory exporter",
}


# --- what is measured ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """`ours <= factor * other` (for throughput: `ours >= factor * other`), or an absolute limit."""

    against: str | None  # HTTPX, STRIPE, FLOOR, or None for an absolute limit in the case's unit
    limit: float
    higher_is_better: bool = False

    def text(self, case: Case) -> str:
        if self.against is None:
            return f"≤ {case.format(self.limit)}"
        sign = "≥" if self.higher_is_better else "≤"
        return f"{sign} {self.limit:g}× {LABELS[self.against] if self.against != FLOOR else 'floor'}"

    def check(self, values: dict[str, float], ours_from: str = OURS) -> bool | None:
        ours = values.get(ours_from)
        if ours is None:
            return None
        if self.against is None:
            return ours <= self.limit
        other = values.get(self.against)
        if other is None:
            return None
        return ours >= self.limit * other if self.higher_is_better else ours <= self.limit * other


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    kind: str  # "worker": timed in the long-lived workers; "cold": fresh processes; "codegen"; "wheel": built
    libraries: tuple[str, ...]
    unit: str  # "s", "ms", "µs", "MB", "req/s"
    rounds: int
    iterations: int = 1  # calls per batch (worker cases)
    inner: int = 1  # calls per timed sample, for calls too quick to time alone
    budgets: tuple[Budget, ...] = ()
    baseline: str | None = None  # the column ratios are taken against, besides stripe-python
    note: str = ""
    ours: str = OURS  # the worker measured in the stripe-connect column
    clock: str = "wall"  # "cpu": the worker process's CPU time per call, steadier on a busy machine

    def format(self, value: float) -> str:
        scale = {"s": 1, "ms": 1e3, "µs": 1e6, "MB": 1, "req/s": 1}[self.unit]
        scaled = value * scale
        digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
        return f"{scaled:,.{digits}f} {self.unit}"


CASES = [
    Case(
        "codegen",
        "(a) codegen, parse cache warm",
        "codegen",
        (OURS,),
        "s",
        rounds=3,
        budgets=(Budget(None, 15.0),),
        note="`python -m codegen generate` into a temporary directory",
    ),
    Case(
        "codegen-cold",
        "(a) codegen, parse cache cold",
        "codegen",
        (OURS,),
        "s",
        rounds=2,
        budgets=(Budget(None, 15.0),),
        note="the same with an empty parse cache (YAML parsed from scratch)",
    ),
    Case(
        "import",
        "(b) import + client + first service",
        "cold",
        (FLOOR, OURS, STRIPE),
        "ms",
        rounds=12,
        budgets=(Budget(FLOOR, 1.3), Budget(STRIPE, 1.0)),
        baseline=FLOOR,
        note="fresh process, bytecode compiled; floor: `import httpx, pydantic`",
    ),
    Case(
        "first-call",
        "(b') import + client + first retrieve",
        "cold",
        (HTTPX, OURS, STRIPE),
        "ms",
        rounds=5,
        baseline=HTTPX,
        note="fresh process: what a cold start pays before its first answer. httpx builds its TLS context "
        "(certifi's bundle, ~40 ms here) when a client is made, even for this http:// server; requests "
        "(stripe-python) only on its first https connection, which this benchmark never makes",
    ),
    Case(
        "first-call-https",
        "(b'') import + client + first retrieve, https",
        "cold",
        (HTTPX, OURS, STRIPE),
        "ms",
        rounds=9,
        budgets=(Budget(STRIPE, 1.0),),
        baseline=HTTPX,
        note="fresh process, as (b') over https: a local server whose authority every library trusts with the same "
        "bundle (certifi's and a test authority; httpx through SSL_CERT_FILE, stripe-python through "
        "`stripe.ca_bundle_path`), so each sets up TLS as it would against api.stripe.com",
    ),
    Case(
        "webhook",
        "(b''') import, verify + parse a webhook event",
        "cold",
        (FLOOR, RAW, PYDANTIC, OURS, STRIPE),
        "ms",
        rounds=15,
        budgets=(Budget(STRIPE, 0.7),),
        baseline=FLOOR,
        note="fresh process: verify the signature of a `charge.succeeded` event (4 KB, a full charge), parse it, read "
        "`data.object.amount`; stripe-connect `stripe_connect.webhooks.construct_event`, stripe-python "
        "`stripe.Webhook.construct_event`; floor: `import pydantic` + `json.loads` of the payload; "
        "hmac + json: a hand-written handler (HMAC, age, `json.loads`); hmac + 3 pydantic models: the same "
        "parsed into three minimal pydantic models (event, data, object), the least any pydantic-based parser pays",
    ),
    Case(
        "retrieve",
        "(c) retrieve one charge",
        "worker",
        (HTTPX, OURS, STRIPE),
        "µs",
        rounds=25,
        iterations=20,
        budgets=(Budget(HTTPX, 1.3), Budget(STRIPE, 0.7)),
        baseline=HTTPX,
    ),
    Case(
        "create",
        "(d) create customer, nested params + expand",
        "worker",
        (HTTPX, OURS, STRIPE),
        "µs",
        rounds=30,
        iterations=10,
        budgets=(Budget(HTTPX, 1.3),),
        baseline=HTTPX,
    ),
    Case(
        "list",
        "(e) list 100 full charges",
        "worker",
        (HTTPX, OURS, STRIPE),
        "ms",
        rounds=20,
        iterations=2,
        budgets=(Budget(HTTPX, 3.0), Budget(STRIPE, 0.2)),
        baseline=HTTPX,
        note="raw httpx includes `json.loads`",
    ),
    Case(
        "auto-paging",
        "(f) auto-paging 1,000 charges over 10 pages",
        "worker",
        (HTTPX, OURS, STRIPE),
        "ms",
        rounds=5,
        iterations=1,
        baseline=HTTPX,
    ),
    Case(
        "async",
        "(g) async: 1,000 concurrent retrieves over 100 accounts",
        "worker",
        (HTTPX, OURS, STRIPE),
        "req/s",
        rounds=3,
        budgets=(Budget(HTTPX, 0.8, higher_is_better=True),),
        baseline=HTTPX,
        note="throughput; 1,000 tasks (50 with --smoke), at most 100 requests in flight for every library "
        "(httpx's connection limit); raw httpx.AsyncClient sends the same headers; every library runs on the "
        "same httpx, httpcore and sniffio",
    ),
    Case(
        "rss",
        "(h) peak RSS after import + one call of each kind",
        "cold",
        (HTTPX, OURS, STRIPE),
        "MB",
        rounds=3,
        budgets=(Budget(STRIPE, 1.0),),
        baseline=HTTPX,
        note="retrieve, create, list, auto-paging, derive, one async retrieve; fresh process",
    ),
    Case(
        "derive",
        "(i) derive a per-account client",
        "worker",
        (HTTPX, OURS, STRIPE),
        "µs",
        rounds=10,
        iterations=5,
        inner=200,
        baseline=HTTPX,
        note="`with_options(stripe_account=...)`; stripe-python: a new StripeClient sharing its HTTP client; "
        "raw httpx: a headers dict",
    ),
]
CASES += [
    Case(
        "tracing-off",
        "(j) retrieve, no tracing configured, against before tracing existed (client CPU)",
        "worker",
        (BEFORE, OURS),
        "µs",
        rounds=40,
        iterations=20,
        clock="cpu",
        budgets=(Budget(BEFORE, 1.02),),
        baseline=BEFORE,
        note=f"the same worker with the runtime of {BEFORE_TRACING} (no hooks, spans or last_response); "
        "`--before REV` picks another revision. CPU time of the worker process per call: what the client "
        "adds, without the server's share or the scheduler's on a busy machine",
    ),
    Case(
        "tracing-on",
        "(k) retrieve, spans to an in-memory exporter (client CPU)",
        "worker",
        (OURS, TRACED),
        "µs",
        rounds=40,
        iterations=20,
        clock="cpu",
        baseline=OURS,
        ours=TRACED,
        note="opentelemetry-sdk's TracerProvider, SimpleSpanProcessor and InMemorySpanExporter, set globally: "
        "one span with an event per call; baseline: the same retrieve without tracing",
    ),
    Case("wheel", "(l) wheel size", "wheel", (OURS,), "MB", rounds=1, note="`pip wheel .` (the build hook renders)"),
    Case(
        "wheel-import",
        "(l') import + client + first service, from the wheel",
        "wheel",
        (FLOOR, OURS),
        "ms",
        rounds=12,
        baseline=FLOOR,
        note="as (b), with the wheel installed (`pip install --target`, bytecode compiled) first on sys.path",
    ),
]
WORKER_METHODS = {"auto-paging": "auto_paging", "async": "fanout", "tracing-off": "retrieve", "tracing-on": "retrieve"}


@dataclass
class Result:
    case: Case
    samples: dict[str, list[float]] = field(default_factory=dict)
    fanout: int = 1  # requests per sample, for throughput
    rss_mb: dict[str, list[float]] = field(default_factory=dict)  # fresh processes: peak RSS of each sample
    cpu: dict[str, list[float]] = field(default_factory=dict)  # ... and the CPU time it spent

    def value(self, library: str) -> float | None:
        samples = self.samples.get(library)
        if not samples:
            return None
        median = statistics.median(samples)
        return self.fanout / median if self.case.unit == "req/s" else median

    def values(self) -> dict[str, float]:
        return {lib: v for lib in self.case.libraries if (v := self.value(lib)) is not None}


# --- the processes ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stripe_python(install: bool) -> Path:
    """bench/.venv-stripe's interpreter, with stripe 16.1.0 and our versions of httpx, httpcore and sniffio
    (the same httpx stack, so that the async case compares the SDKs rather than their environments)."""
    from importlib.metadata import version

    python = STRIPE_VENV / "bin" / "python"
    wanted = {"stripe": "16.1.0", **{name: version(name) for name in SHARED_STACK}}
    probe = "import json, importlib.metadata as m, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    check = [str(python), "-c", probe, *wanted]

    def installed() -> dict[str, str]:
        out = subprocess.run(check, capture_output=True, text=True) if python.exists() else None
        return json.loads(out.stdout) if out is not None and out.returncode == 0 else {}

    if installed() == wanted:
        return python
    if not install:
        raise SystemExit(f"{STRIPE_VENV} does not have {wanted}; run without --no-install to install them")
    log(f"installing {STRIPE_REQUIREMENT} into {STRIPE_VENV.relative_to(ROOT)} ...")
    shutil.rmtree(STRIPE_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(STRIPE_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, STRIPE_REQUIREMENT, *(f"{n}=={v}" for n, v in wanted.items() if n != "stripe")], check=True)
    if installed() != wanted:
        raise SystemExit(f"{STRIPE_VENV}: installing {wanted} left {installed()}")
    return python


@dataclass(frozen=True)
class Server:
    url: str
    https_url: str
    ca_bundle: Path  # what the https clients trust
    event: Path  # the webhook cases' payload


def runtime_closure() -> dict[str, str]:
    """stripe-connect's runtime dependencies and theirs (no extras), at the versions .venv has."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pending, found = ["stripe-connect"], {}
    while pending:
        for text in distribution(pending.pop()).requires or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonicalize_name(requirement.name)
            if name not in found:
                found[name] = distribution(name).version
                pending.append(name)
    return found


def ours_python(install: bool) -> Path:
    """bench/.venv-ours's interpreter: stripe-connect (this tree, by a .pth) with its runtime dependencies
    only, as bench/.venv-stripe holds stripe-python with its own. Fresh processes run there, not in .venv
    with its development tools: what a process finds installed is part of what it pays for (pydantic scans
    every installed distribution for plugins when it builds its first validator)."""
    python = OURS_VENV / "bin" / "python"
    wanted = runtime_closure()
    paths = f"{ROOT}\n{ROOT / 'generated'}\n"
    probe = (
        "import json, sys, sysconfig, pathlib, importlib.metadata as m\n"
        "pth = pathlib.Path(sysconfig.get_paths()['purelib']) / '_stripe_connect.pth'\n"
        "names = {m.distribution(n).metadata['Name'] for n in sys.argv[1:]}\n"
        "print(json.dumps({'pth': pth.read_text() if pth.exists() else '', 'purelib': str(pth.parent),"
        " 'versions': {n: m.version(n) for n in sys.argv[1:]}, 'count': len(list(m.distributions()))}))"
    )

    def state() -> dict[str, object]:
        out = (
            subprocess.run([str(python), "-c", probe, *wanted], capture_output=True, text=True)
            if python.exists()
            else None
        )
        return json.loads(out.stdout) if out is not None and out.returncode == 0 else {}

    current = state()
    if current.get("versions") == wanted and current.get("pth") == paths:
        return python
    if not install:
        raise SystemExit(f"{OURS_VENV} does not have {wanted}; run without --no-install to install them")
    log(f"installing stripe-connect's runtime dependencies into {OURS_VENV.relative_to(ROOT)} ...")
    shutil.rmtree(OURS_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(OURS_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    subprocess.run([*pip, *(f"{name}=={version}" for name, version in wanted.items())], check=True)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "_stripe_connect.pth").write_text(paths)
    if state().get("versions") != wanted:
        raise SystemExit(f"{OURS_VENV}: installing {wanted} left {state()}")
    return python


@contextmanager
def fixed_server(directory: Path) -> Iterator[tuple[Server, Callable[[], dict[str, int]]]]:
    from common import EVENT_ID
    from tls import make_certificates

    certificates = make_certificates(directory)
    command = [sys.executable, str(BENCH / "server.py"), "--tls-cert", str(certificates.cert)]
    process = subprocess.Popen(
        [*command, "--tls-key", str(certificates.key)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        if not lines[0].startswith("PORT ") or not lines[1].startswith("TLSPORT "):
            raise RuntimeError(f"the benchmark server did not start: {''.join(lines)}{process.communicate()[1]}")
        url = f"http://127.0.0.1:{int(lines[0].split()[1])}"
        event = directory / "event.json"
        with urllib.request.urlopen(f"{url}/v1/events/{EVENT_ID}") as response:
            event.write_bytes(response.read())
        server = Server(url, f"https://127.0.0.1:{int(lines[1].split()[1])}", certificates.bundle, event)

        def stats() -> dict[str, int]:
            with urllib.request.urlopen(f"{url}/__stats") as response:
                return json.loads(response.read())

        yield server, stats
    finally:
        process.terminate()
        process.wait(timeout=10)


class Worker:
    """One library's long-lived worker process."""

    def __init__(self, library: str, python: Path, url: str) -> None:
        self.library = library
        self.process = subprocess.Popen(
            [str(python), str(BENCH / "worker.py"), library, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self._reply()

    def _reply(self) -> dict[str, object]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {LABELS[self.library]} worker exited ({self.process.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"the {LABELS[self.library]} worker failed:\n{reply['error']}")
        return reply

    def run(self, method: str, iterations: int, inner: int, clock: str = "wall") -> list[float]:
        assert self.process.stdin is not None
        command = {"case": method, "iterations": iterations, "inner": inner, "clock": clock}
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        times = self._reply()["times"]
        assert isinstance(times, list)
        return [float(t) for t in times]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def cold_environment(server: Server) -> dict[str, str]:
    """What a fresh process is told: the https authority to trust, and a freshly signed webhook."""
    from common import WEBHOOK_SECRET

    timestamp = int(time.time())
    payload = server.event.read_bytes()
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return {
        **os.environ,
        "SSL_CERT_FILE": str(server.ca_bundle),
        "BENCH_CA_BUNDLE": str(server.ca_bundle),
        "BENCH_WEBHOOK_PAYLOAD": str(server.event),
        "BENCH_WEBHOOK_SIGNATURE": f"t={timestamp},v1={signature}",
    }


def run_cold(
    python: Path, library: str, mode: str, server: Server, env: dict[str, str] | None = None
) -> dict[str, float]:
    out = subprocess.run(
        [str(python), str(BENCH / "cold.py"), library, mode, server.url, server.https_url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**cold_environment(server), **(env or {})},
    )
    if out.returncode != 0:
        raise RuntimeError(f"{LABELS[library]} {mode} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compile_bytecode(python: Path, library: str, server: Server) -> None:
    """Compile every module a library's cold cases load (PYTHONDONTWRITEBYTECODE=1 would leave them raw)."""
    listing = subprocess.run(
        [str(python), str(BENCH / "cold.py"), library, "modules", server.url, server.https_url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=cold_environment(server),
    )
    if listing.returncode != 0:
        raise RuntimeError(f"listing the modules of {LABELS[library]} failed:\n{listing.stderr}")
    subprocess.run(
        [str(python), "-m", "compileall", "-q", "-i", "-"], input=listing.stdout, text=True, check=True, cwd=ROOT
    )


def extract_runtime(revision: str, into: Path) -> bool:
    """A git revision's `stripe_connect` and the package its generator makes from the pinned spec, into a
    directory (False, and said, if git cannot): the runtime and the generated code agree on the template
    contract of their own revision, which moves."""
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        log(f"case (j) not run: `git archive {revision}` failed: {archive.stderr.decode().strip()}")
        return False
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    spec = ROOT / "build" / "spec3.yaml"
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(into / "generated")]
    subprocess.run(command, cwd=into, check=True, capture_output=True)
    return True


def rotated(items: Sequence[str], by: int) -> list[str]:
    by %= len(items)
    return [*items[by:], *items[:by]]


# --- running the cases --------------------------------------------------------------------------------


# The cold runs give load_spec an empty cache directory (its default argument is the only knob).
_COLD_CODEGEN = (
    "import sys, pathlib, codegen.load as load\n"
    "load.load_spec.__defaults__ = (pathlib.Path(sys.argv[2]),)\n"
    "from codegen.__main__ import main\n"
    "sys.exit(main(['generate', '--out', sys.argv[1]]))\n"
)


def run_codegen(case: Case, rounds: int) -> Result:
    result = Result(case)
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            out = str(Path(tmp) / "generated")
            if case.name == "codegen-cold":
                command = [sys.executable, "-c", _COLD_CODEGEN, out, str(Path(tmp) / "cache")]
            else:
                command = [sys.executable, "-m", "codegen", "generate", "--out", out]
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            result.samples.setdefault(OURS, []).append(time.perf_counter() - start)
            if not (Path(out) / "stripe_connect_generated" / "client.py").exists():
                raise RuntimeError(f"{case.title}: nothing was generated")
    return result


def run_cold_case(case: Case, rounds: int, pythons: dict[str, Path], server: Server) -> Result:
    result = Result(case)
    libraries = [lib for lib in case.libraries if lib in pythons]
    for round_ in range(rounds):
        for library in rotated(libraries, round_):
            measured = run_cold(pythons[library], library, case.name, server)
            value = measured["rss_mb"] if case.unit == "MB" else measured["seconds"]
            result.samples.setdefault(library, []).append(value)
            result.rss_mb.setdefault(library, []).append(measured["rss_mb"])
            result.cpu.setdefault(library, []).append(measured["cpu_seconds"])
    return result


@functools.cache
def installed_wheel() -> tuple[Path, Path]:
    """The wheel `pip wheel .` builds, and a directory it is installed into (removed when the run ends)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-wheel-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp), str(ROOT)], check=True)
    wheel = next(tmp.glob("*.whl"))
    site = tmp / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(site)], check=True)
    return wheel, site


def run_wheel_case(case: Case, rounds: int, server: Server) -> Result:
    wheel, site = installed_wheel()
    result = Result(case)
    if case.unit == "MB":
        result.samples[OURS] = [wheel.stat().st_size / 1e6]
        return result
    env = {"PYTHONPATH": str(site)}
    where = [sys.executable, "-P", "-c", "import stripe_connect; print(stripe_connect.__file__)"]  # as cold.py: no cwd
    if not subprocess.run(where, env={**os.environ, **env}, capture_output=True, text=True).stdout.startswith(
        str(site)
    ):
        raise RuntimeError(f"{case.title}: stripe_connect was not imported from the installed wheel")
    for round_ in range(rounds):
        for library in rotated(case.libraries, round_):
            value = run_cold(Path(sys.executable), library, "import", server, env)["seconds"]
            result.samples.setdefault(library, []).append(value)
    return result


def run_worker_case(case: Case, rounds: int, iterations: int, workers: dict[str, Worker]) -> Result:
    from common import FANOUT

    result = Result(case, fanout=FANOUT)
    method = WORKER_METHODS.get(case.name, case.name)
    libraries = [lib for lib in case.libraries if lib in workers]
    for library in libraries:  # warm up: connections, validators, caches
        workers[library].run(method, 1, case.inner, case.clock)
    for round_ in range(rounds):
        for library in rotated(libraries, round_):
            samples = workers[library].run(method, iterations, case.inner, case.clock)
            result.samples.setdefault(library, []).extend(samples)
    return result


# --- the table ----------------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else ""


def table(results: list[Result], with_stripe: bool, smoke: bool) -> str:
    lines = [
        "| case | stripe-connect | stripe-python 16.1.0 | baseline | ÷ baseline | ÷ stripe-python | budget | holds |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        case, values = result.case, result.values()
        ours = values.get(case.ours)
        stripe = values.get(STRIPE)
        base = values.get(case.baseline) if case.baseline else None
        cells = [
            case.title,
            case.format(ours) if ours is not None else "",
            case.format(stripe) if stripe is not None else ("" if STRIPE not in case.libraries else "not run"),
            f"{case.format(base)} ({LABELS[case.baseline]})" if base is not None and case.baseline else "",
            ratio(ours, base),
            ratio(ours, stripe),
            ", ".join(b.text(case) for b in case.budgets),
            "(smoke run)" if smoke and case.budgets else verdict(case, values, with_stripe),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(case: Case, values: dict[str, float], with_stripe: bool) -> str:
    if not case.budgets:
        return ""
    checks = [budget.check(values, case.ours) for budget in case.budgets]
    if any(c is False for c in checks):
        return "**no**"
    if any(c is None for c in checks):
        return "yes (stripe-python not run)" if not with_stripe and all(c is not False for c in checks) else "?"
    return "yes"


def notes(results: list[Result]) -> str:
    lines = []
    for result in results:
        counts = ", ".join(f"{LABELS[lib]} {len(s)}" for lib, s in result.samples.items())
        line = f"- {result.case.title}: {result.case.note + '; ' if result.case.note else ''}samples: {counts}"
        if result.case.kind == "cold" and result.case.unit != "MB":
            line += "; " + spread(result)
        lines.append(line)
    return "\n".join(lines)


def spread(result: Result) -> str:
    """Every library's median with its quartiles, its median CPU time and peak RSS: the noise, shown."""
    case, parts = result.case, []
    for library, samples in result.samples.items():
        quartiles = statistics.quantiles(samples, n=4) if len(samples) > 1 else [samples[0]] * 3
        cpu = statistics.median(result.cpu[library])
        rss = statistics.median(result.rss_mb[library])
        parts.append(
            f"{LABELS[library]} {case.format(statistics.median(samples))} "
            f"(quartiles {case.format(quartiles[0])}–{case.format(quartiles[2])}; CPU {case.format(cpu)}; "
            f"peak RSS {rss:.1f} MB)"
        )
    return "medians " + ", ".join(parts)


def machine() -> str:
    cpus = os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {cpus} CPUs, load {load}"


# --- main ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [case.name for case in CASES]
    parser.add_argument("--cases", default=",".join(names), help=f"comma-separated, of: {', '.join(names)}")
    parser.add_argument(
        "--without-stripe",
        action="store_true",
        help="leave stripe-python out, and run fresh processes in .venv (installs nothing)",
    )
    parser.add_argument("--no-install", action="store_true", help="fail instead of installing stripe-python")
    parser.add_argument("--smoke", action="store_true", help="one round of one call per case: checks, not numbers")
    parser.add_argument("--write", type=Path, help="also write the table, with this command, to a file")
    parser.add_argument("--before", default=BEFORE_TRACING, help="the revision case (j) compares with")
    args = parser.parse_args(argv)
    if args.smoke:
        os.environ["BENCH_SMOKE"] = "1"  # for common.py, here and in every process started from here
    sys.path.insert(0, str(BENCH))

    selected = [c for c in CASES if c.name in args.cases.split(",")]
    unknown = set(args.cases.split(",")) - set(names)
    if unknown:
        parser.error(f"unknown case(s) {sorted(unknown)}; choose from {names}")
    started = datetime.datetime.now(datetime.timezone.utc)

    pythons = {lib: Path(sys.executable) for lib in (OURS, HTTPX, FLOOR, RAW, PYDANTIC)}
    pythons[TRACED] = Path(sys.executable)
    before = tempfile.TemporaryDirectory(prefix="bench-before-")
    if any(BEFORE in c.libraries for c in selected) and extract_runtime(args.before, Path(before.name)):
        os.environ["BENCH_BEFORE_RUNTIME"] = before.name  # for the worker's cases_before.py
        pythons[BEFORE] = Path(sys.executable)
    if not args.without_stripe and any(STRIPE in c.libraries for c in selected):
        pythons[STRIPE] = stripe_python(install=not args.no_install)
    cold_pythons = dict(pythons)
    if not args.without_stripe and any(c.kind == "cold" for c in selected):
        runtime = ours_python(install=not args.no_install)
        cold_pythons.update({lib: runtime for lib in (OURS, HTTPX, FLOOR, RAW, PYDANTIC)})

    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, fixed_server(Path(tmp)) as (server, server_stats):
        url = server.url
        if any(c.kind in ("cold", "wheel") for c in selected):
            log("compiling bytecode ...")
            # RAW and PYDANTIC load nothing the floor's listing does not; the wheel cases run in .venv.
            targets = {
                (cold_pythons[lib], lib)
                for c in selected
                if c.kind == "cold"
                for lib in c.libraries
                if lib in cold_pythons and lib not in (RAW, PYDANTIC)
            }
            if any(c.kind == "wheel" for c in selected):
                targets.add((pythons[OURS], OURS))
            for python, library in sorted(targets):
                compile_bytecode(python, library, server)
        workers: dict[str, Worker] = {}
        try:
            for case in selected:
                rounds = 1 if args.smoke else case.rounds
                log(f"{case.title} ...")
                case_started = time.perf_counter()
                if case.kind == "codegen":
                    results.append(run_codegen(case, rounds))
                elif case.kind == "cold":
                    results.append(run_cold_case(case, rounds, cold_pythons, server))
                elif case.kind == "wheel":
                    results.append(run_wheel_case(case, rounds, server))
                else:
                    for library in case.libraries:
                        if library in pythons and library not in workers:
                            workers[library] = Worker(library, pythons[library], url)
                    iterations = 1 if args.smoke else case.iterations
                    results.append(run_worker_case(case, rounds, iterations, workers))
                log(f"    {time.perf_counter() - case_started:.1f} s")
        finally:
            for worker in workers.values():
                worker.close()
            before.cleanup()
        requests = server_stats()

    command = "bench/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    seconds = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()
    report = "\n\n".join(
        [
            table(results, STRIPE in pythons, args.smoke),
            notes(results),
            f"Command: `.venv/bin/python {command}` ({seconds:.0f} s, {started:%Y-%m-%d %H:%M} UTC; {machine()}).\n"
            f"Requests served: {sum(requests.values()):,} "
            f"({', '.join(f'{route} {count}' for route, count in sorted(requests.items()))}).",
        ]
    )
    print(report)
    if args.write:
        args.write.write_text(
            "# Benchmark results\n\nThe latest run of `make bench` (medians; ratios within the same run).\n\n"
            + report
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
