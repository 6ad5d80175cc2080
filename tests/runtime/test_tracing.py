"""OpenTelemetry: one CLIENT span per call, an event per attempt, nothing secret, no trace headers sent.

Spans go to opentelemetry-sdk's in-memory exporter (the dev extra installs it) through the client's
`tracer_provider`; the global provider is tested in a fresh interpreter, where it can be set once.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from stripe_connect import API_VERSION, APIConnectionError, AsyncStripeClient, CardError, StripeClient
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Reply, Reset
from tests.support.objects import CHARGE


class Spans:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider()
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))

    def finished(self) -> tuple[ReadableSpan, ...]:
        return self.exporter.get_finished_spans()


@pytest.fixture
def spans() -> Spans:
    return Spans()


@pytest.fixture
def client(fault: FaultServer, spans: Spans) -> Iterator[StripeClient]:
    with StripeClient(
        API_KEY, api_base=fault.url, stripe_account="acct_1", tracer_provider=spans.provider, sleep=lambda _s: None
    ) as client:
        yield client


def test_a_retried_call_is_one_span_with_an_event_per_attempt(
    fault: FaultServer, client: StripeClient, spans: Spans
) -> None:
    fault.script(Reply(500, headers={"Request-Id": "req_a"}), Reset(), Reply(200, CHARGE, {"Request-Id": "req_c"}))
    client.charges.retrieve("ch_1")
    (span,) = spans.finished()
    assert (span.name, span.kind) == ("GET /v1/charges/{charge}", SpanKind.CLIENT)
    assert span.status.status_code == StatusCode.UNSET
    port = int(fault.url.rsplit(":", 1)[1])
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.template": "/v1/charges/{charge}",
        "server.address": "127.0.0.1",
        "server.port": port,
        "stripe.account": "acct_1",
        "stripe.api_version": API_VERSION,
        "http.response.status_code": 200,
        "stripe.request_id": "req_c",
        "http.request.resend_count": 2,
    }
    events = [(e.name, dict(e.attributes or {})) for e in span.events]
    assert [name for name, _ in events] == ["stripe.attempt"] * 3
    assert [{k: v for k, v in attributes.items() if k != "stripe.attempt.elapsed"} for _, attributes in events] == [
        {"http.request.resend_count": 0, "http.response.status_code": 500, "stripe.request_id": "req_a"},
        {"http.request.resend_count": 1, "error.type": events[1][1]["error.type"]},
        {"http.request.resend_count": 2, "http.response.status_code": 200, "stripe.request_id": "req_c"},
    ]
    assert str(events[1][1]["error.type"]).startswith("httpx.")
    assert all(float(attributes["stripe.attempt.elapsed"]) > 0 for _, attributes in events)  # type: ignore[arg-type]


def test_a_failed_call(fault: FaultServer, client: StripeClient, spans: Spans) -> None:
    fault.script(Reply(402, {"error": {"type": "card_error", "code": "card_declined"}}, {"Request-Id": "req_d"}))
    with pytest.raises(CardError):
        client.charges.create(amount=100, currency="usd", idempotency_key="order-1")
    fault.script(Reset())
    with pytest.raises(APIConnectionError):
        client.charges.retrieve("ch_1", max_retries=0)
    declined, unreachable = spans.finished()
    assert declined.name == "POST /v1/charges" and declined.status.status_code == StatusCode.ERROR
    attributes = dict(declined.attributes or {})
    assert attributes["error.type"] == "402" and attributes["http.response.status_code"] == 402
    assert (attributes["stripe.idempotency_key"], attributes["stripe.request_id"]) == ("order-1", "req_d")
    assert "http.request.resend_count" not in attributes  # not retried
    assert dict(unreachable.attributes or {})["error.type"] == "stripe_connect.APIConnectionError"
    assert "http.response.status_code" not in dict(unreachable.attributes or {})
    assert unreachable.status.status_code == StatusCode.ERROR


def test_no_secret_no_param_no_body_and_no_trace_header(fault: FaultServer, client: StripeClient, spans: Spans) -> None:
    fault.script(Reply(200, CHARGE))
    parent_tracer = spans.provider.get_tracer("app")
    with parent_tracer.start_as_current_span("checkout") as parent:
        client.charges.create(
            amount=4242, currency="usd", receipt_email="jenny@example.com", api_key="sk_test_per_call_1"
        )
    call = next(s for s in spans.finished() if s.name == "POST /v1/charges")
    assert call.parent is not None and call.parent.span_id == parent.get_span_context().span_id
    exported = call.to_json()
    for secret in (API_KEY, "sk_test_per_call_1", "jenny@example.com", "4242", "usd", '"succeeded"'):
        assert secret not in exported
    sent = fault.requests[-1].headers
    assert not {"traceparent", "tracestate", "baggage", "b3", "x-b3-traceid", "uber-trace-id"} & set(sent)


def test_raw_request_spans_are_named_by_the_method(fault: FaultServer, client: StripeClient, spans: Spans) -> None:
    fault.script(Reply(200, {"id": "thing_1", "object": "thing"}))
    client.raw_request("get", "/v1/things/thing_1")
    (span,) = spans.finished()
    assert span.name == "GET" and "url.template" not in dict(span.attributes or {})


def test_200_concurrent_async_calls_over_20_accounts(fault: FaultServer, spans: Spans) -> None:
    fault.script(Reply(200, CHARGE, delay=0.02))

    async def main() -> None:
        async with AsyncStripeClient(API_KEY, api_base=fault.url, tracer_provider=spans.provider) as client:
            tenants = [client.for_account(f"acct_{n}") for n in range(20)]
            await asyncio.gather(
                *(
                    tenants[i % 20].charges.create(amount=100, currency="usd", idempotency_key=f"call-{i}")
                    for i in range(200)
                )
            )

    asyncio.run(main())
    finished = spans.finished()
    assert len(finished) == 200
    by_key = {dict(s.attributes or {})["stripe.idempotency_key"]: s for s in finished}
    for i in range(200):
        assert dict(by_key[f"call-{i}"].attributes or {})["stripe.account"] == f"acct_{i % 20}"
    # and that is what went over the wire for each of them
    sent = {r.idempotency_key: r.headers["stripe-account"] for r in fault.requests}
    assert sent == {f"call-{i}": f"acct_{i % 20}" for i in range(200)}
    assert len({s.context.span_id for s in finished if s.context is not None}) == 200


SCRIPT = """
import json, sys
from stripe_connect import StripeClient
client = StripeClient("sk_test_x", api_base=sys.argv[1], max_retries=0)
client.charges.retrieve("ch_1")
report = {"otel_imported_by_a_call": "opentelemetry" in sys.modules}

from opentelemetry import trace  # an application with OpenTelemetry but no provider configured
from stripe_connect._telemetry import tracer
report["tracer_without_provider"] = tracer(None) is not None

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)
client.charges.retrieve("ch_1")
report["global_spans"] = [s.name for s in exporter.get_finished_spans()]
print(json.dumps(report))
"""


def test_nothing_without_a_provider_and_the_global_provider_once_set(fault: FaultServer) -> None:
    fault.script(Reply(200, CHARGE))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), fault.url], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    assert report == {
        "otel_imported_by_a_call": False,
        "tracer_without_provider": False,
        "global_spans": ["GET /v1/charges/{charge}"],
    }
