"""A certificate authority and a certificate for 127.0.0.1, made with the `openssl` command for one run.

The https cases trust the authority the way each library is configured to: httpx (stripe-connect and raw
httpx) through `SSL_CERT_FILE`, stripe-python through `stripe.ca_bundle_path`. Every library is given the
same bundle, certifi's authorities plus this one, so that each loads as many certificates as it would in
production.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificates:
    cert: Path  # the server's certificate (for 127.0.0.1) ...
    key: Path  # ... and its key
    bundle: Path  # certifi's authorities and ours: what the clients trust


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certificates(directory: Path) -> Certificates:
    import certifi

    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, request, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bench test CA",
             "-keyout", str(ca_key), "-out", str(ca_cert))  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out",
             str(request))  # fmt: skip
    extensions = directory / "san.cnf"
    extensions.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    _openssl("x509", "-req", "-in", str(request), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-CAcreateserial",
             "-days", "2", "-extfile", str(extensions), "-out", str(cert))  # fmt: skip
    bundle = directory / "bundle.pem"
    bundle.write_text(Path(certifi.where()).read_text() + "\n" + ca_cert.read_text())
    return Certificates(cert=cert, key=key, bundle=bundle)
