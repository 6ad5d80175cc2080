"""File uploads (multipart to the files host, streamed, re-sent whole on a retry) and binary downloads, over
real HTTP (tests/support/fault_server.py); the host each operation goes to comes from the spec or
spec/overrides.toml."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.generate import build_api
from codegen.models import GenerationError
from stripe_connect import AsyncStripeClient, InvalidRequestError, StripeClient
from stripe_connect.models import File
from tests.conftest import API_KEY
from tests.support.fault_server import FaultServer, Recorded, Reply, Reset

FILE = {"id": "file_1", "object": "file", "created": 1, "purpose": "dispute_evidence", "size": 3}
CONTENT = bytes(range(256)) * 1024 + b"%%EOF"  # 256 KiB and a bit, every byte value


def parts(request: Recorded) -> dict[Any, Any]:
    """A multipart body as {field: (filename, content)}, read by the standard library's MIME parser."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart()
    return {
        part.get_param("name", header="content-disposition"): (part.get_filename(), part.get_payload(decode=True))
        for part in message.iter_parts()
    }


@pytest.fixture
def files_host() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def client(fault: FaultServer, files_host: FaultServer) -> Iterator[StripeClient]:
    with StripeClient(
        API_KEY, api_base=fault.url, files_base=files_host.url, stripe_account="acct_1", sleep=lambda _s: None
    ) as client:
        yield client


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.pdf"
    path.write_bytes(CONTENT)
    return path


def test_upload_from_a_path_goes_multipart_to_the_files_host(
    fault: FaultServer, files_host: FaultServer, client: StripeClient, evidence: Path
) -> None:
    files_host.script(Reply(200, FILE))
    uploaded = client.files.create(
        file=evidence, purpose="dispute_evidence", file_link_data={"create": True, "metadata": {"case": "7"}}
    )
    assert isinstance(uploaded, File) and uploaded.id == "file_1"
    assert fault.requests == []  # nothing went to the API host
    (request,) = files_host.requests
    assert (request.method, request.path) == ("POST", "/v1/files")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.headers["stripe-account"] == "acct_1" and request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.idempotency_key
    assert parts(request) == {
        "purpose": (None, b"dispute_evidence"),
        "file_link_data[create]": (None, b"true"),
        "file_link_data[metadata][case]": (None, b"7"),
        "file": ("evidence.pdf", CONTENT),
    }


class ReadRecorder(io.BytesIO):
    """A binary file object that remembers how much each read asked for."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name
        self.reads: list[int | None] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.reads.append(size)
        return super().read(size)


def test_upload_from_a_file_object_is_streamed(files_host: FaultServer, client: StripeClient) -> None:
    files_host.script(Reply(200, FILE))
    handle = ReadRecorder(CONTENT, "/somewhere/scan.png")
    client.files.create(file=handle, purpose="identity_document")
    assert parts(files_host.requests[0])["file"] == ("scan.png", CONTENT)
    # Read in bounded chunks as the request goes out, never slurped whole.
    assert len(handle.reads) > 2
    assert all(size is not None and 0 < size < len(CONTENT) for size in handle.reads)


def test_a_retried_upload_sends_the_whole_file_again(
    files_host: FaultServer, client: StripeClient, evidence: Path
) -> None:
    files_host.script(Reply(500, {"error": {"type": "api_error", "message": "x"}}), Reset(after=5), Reply(200, FILE))
    client.files.create(file=evidence, purpose="dispute_evidence")
    assert len(files_host.requests) == 3
    assert [parts(r)["file"] for r in files_host.requests] == [("evidence.pdf", CONTENT)] * 3
    assert len({r.idempotency_key for r in files_host.requests}) == 1


def test_a_retried_upload_from_a_file_object_starts_over(files_host: FaultServer, client: StripeClient) -> None:
    files_host.script(Reply(503, b""), Reply(200, FILE))
    handle = io.BytesIO(CONTENT)
    client.files.create(file=handle, purpose="dispute_evidence")
    assert [parts(r)["file"][1] for r in files_host.requests] == [CONTENT, CONTENT]


class Pipe(io.RawIOBase):
    """A stream that cannot be rewound, like a pipe or an HTTP response body."""

    def __init__(self, content: bytes) -> None:
        self._source = io.BytesIO(content)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._source.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_retried_upload_from_a_stream_that_cannot_rewind_is_sent_whole(
    files_host: FaultServer, client: StripeClient
) -> None:
    files_host.script(Reset(after=0), Reply(200, FILE))
    pipe = io.BufferedReader(Pipe(CONTENT))  # as open() wraps a pipe
    assert not pipe.seekable()
    client.files.create(file=pipe, purpose="dispute_evidence")
    assert [parts(r)["file"] for r in files_host.requests] == [("file", CONTENT)] * 2


def test_the_file_opened_for_a_path_is_closed(
    files_host: FaultServer, client: StripeClient, evidence: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    real_open = open

    def tracking_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, *args, **kwargs)
        if file == str(evidence):
            opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", tracking_open)
    files_host.script(Reply(400, {"error": {"type": "invalid_request_error", "message": "bad purpose"}}))
    with pytest.raises(InvalidRequestError):
        client.files.create(file=evidence, purpose="dispute_evidence")
    files_host.script(Reply(200, FILE))
    client.files.create(file=evidence, purpose="dispute_evidence")
    with pytest.raises(TypeError):  # a bad param after the file: nothing sent, the file closed all the same
        client.files.create(file=evidence, purpose="dispute_evidence", file_link_data={"x": {1, 2}})  # type: ignore[typeddict-item]
    assert len(opened) == 3, opened
    assert all(handle.closed for handle in opened)
    assert len(files_host.requests) == 2


def test_a_text_mode_file_is_refused(files_host: FaultServer, client: StripeClient, evidence: Path) -> None:
    with evidence.open() as text, pytest.raises(TypeError, match="binary mode"):
        client.files.create(file=text, purpose="dispute_evidence")  # type: ignore[arg-type]
    assert files_host.requests == []


def test_a_text_mode_stream_is_refused_by_our_own_check(files_host: FaultServer, client: StripeClient) -> None:
    # A pipe cannot be rewound, so the SDK reads it itself (httpx's own text-mode check never sees it).
    read_end, write_end = os.pipe()
    os.write(write_end, b"%PDF-1.4 evidence")
    os.close(write_end)
    with open(read_end) as text, pytest.raises(TypeError, match=r"parameter 'file': .* binary mode \('rb'\)"):
        assert not text.seekable()
        client.files.create(file=text, purpose="dispute_evidence")  # type: ignore[arg-type]
    assert files_host.requests == []


@pytest.mark.parametrize("bad", [1234, "/tmp/evidence.pdf"])
def test_something_that_is_not_a_file_is_refused(client: StripeClient, files_host: FaultServer, bad: Any) -> None:
    expected = (
        r"POST /v1/files uploads a file: pass bytes, a binary file object or a path \(pathlib.Path\); "
        rf"got file: {type(bad).__name__}, purpose: str"
    )
    with pytest.raises(TypeError, match=expected):
        client.files.create(file=bad, purpose="dispute_evidence")
    assert files_host.requests == []


def test_async_upload_retried(files_host: FaultServer, evidence: Path) -> None:
    files_host.script(Reply(500, b""), Reply(200, FILE))

    async def main() -> File:
        async def no_sleep(_s: float) -> None:
            pass

        async with AsyncStripeClient(API_KEY, files_base=files_host.url, sleep=no_sleep) as client:
            return await client.files.create(file=evidence, purpose="dispute_evidence")

    assert asyncio.run(main()).id == "file_1"
    assert [parts(r)["file"] for r in files_host.requests] == [("evidence.pdf", CONTENT)] * 2


# Binary downloads


PDF = b"%PDF-1.7\n\xff\xfe\x00\x01 binary, not UTF-8\n%%EOF"


def test_quote_pdf_comes_back_as_bytes_from_the_files_host(
    fault: FaultServer, files_host: FaultServer, client: StripeClient
) -> None:
    files_host.script(Reply(200, PDF, {"Content-Type": "application/pdf"}))
    assert client.quotes.pdf("qt_1") == PDF
    assert fault.requests == []
    (request,) = files_host.requests
    assert (request.method, request.path, request.headers["stripe-account"]) == ("GET", "/v1/quotes/qt_1/pdf", "acct_1")


def test_quote_pdf_errors_are_parsed_and_5xx_retried(files_host: FaultServer, client: StripeClient) -> None:
    files_host.script(
        Reply(502, b"<html>bad gateway</html>"),
        Reply(404, {"error": {"type": "invalid_request_error", "message": "No such quote", "param": "quote"}}),
    )
    with pytest.raises(InvalidRequestError, match="No such quote") as raised:
        client.quotes.pdf("qt_missing")
    assert raised.value.param == "quote" and len(files_host.requests) == 2


def test_async_quote_pdf(files_host: FaultServer) -> None:
    files_host.script(Reply(200, PDF, {"Content-Type": "application/pdf"}))

    async def main() -> bytes:
        async with AsyncStripeClient(API_KEY, files_base=files_host.url) as client:
            return await client.quotes.pdf("qt_1")

    assert asyncio.run(main()) == PDF


# Which host: the spec's `servers`, or a reasoned override


def _hosts(tmp_path: Path, operation: str, base: str, reason: str = "test") -> Path:
    path = tmp_path / "overrides.toml"
    path.write_text(f'[[host]]\noperation = "{operation}"\nbase = "{base}"\nreason = "{reason}"\n')
    return path


def test_a_stale_host_override_is_a_warning(spec: dict[str, Any], tmp_path: Path) -> None:
    api = build_api(spec, _hosts(tmp_path, "GET /v1/nowhere", "files"))
    assert api.warnings == ["stale host override: GET /v1/nowhere is not in the spec (spec/overrides.toml)"]
    api = build_api(spec, _hosts(tmp_path, "POST /v1/files", "files"))
    assert api.warnings == ["stale host override: the spec already serves POST /v1/files from 'files'"]
    # The quote PDF override left out with the rest of the file: the operation goes to the spec's host.
    pdf = next(op for op in api.operations if op.key == "GET /v1/quotes/{quote}/pdf")
    assert pdf.base == "api"
    with pytest.raises(GenerationError, match="has no reason"):
        build_api(spec, _hosts(tmp_path, "GET /v1/quotes/{quote}/pdf", "files", reason=" "))
