"""Keeping secrets out of logs and exception messages.

Two nets: the exact secrets a call used (its API key or OAuth token) are replaced wherever they appear,
and anything shaped like a secret (secret and restricted keys, webhook secrets, OAuth refresh tokens and
codes, card numbers) is masked too, since a server can echo back a key this call did not send. Form
fields that carry secrets by name (card `number`, `cvc`, bank `account_number`, tokens...) are masked
whole in debug logs. (`stripe_connect._log_filter` applies this to the HTTP stack's log records.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[REDACTED]"

_SECRET_SHAPES = re.compile(
    r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}"  # secret and restricted keys (OAuth access tokens too)
    r"|\bwhsec_[0-9A-Za-z+/=]{8,}"  # webhook endpoint secrets
    r"|\b(?:rt|ac)_[0-9A-Za-z]{16,}"  # OAuth refresh tokens and authorization codes
    r"|\b\d(?:[ -]?\d){12,18}\b"  # card numbers (13 to 19 digits, maybe grouped)
    r"|\b[0-9A-Za-z_]+_secret_[0-9A-Za-z]+"  # client secrets (`pi_..._secret_...`, `seti_..._secret_...`)
    r"|\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,3})?\b"  # IBANs, maybe grouped by four
)

# The last bracket segment of a form key that names a secret: `card[number]`, `bank_account[account_number]`.
_SECRET_FIELDS = frozenset(
    {
        "number",
        "cvc",
        "cvv",
        "account_number",
        "iban",
        "id_number",
        "personal_id_number",
        "ssn_last_4",
        "password",
        "secret",
        "client_secret",
        "api_key",
        "access_token",
        "refresh_token",
        "token",
        "code",
    }
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with anything secret-shaped and the given secrets replaced by `[REDACTED]`."""
    text = _SECRET_SHAPES.sub(MASK, text)  # shapes first: masking a secret first would break up its shape
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


def is_secret_field(key: str) -> bool:
    """Whether a (bracketed) form key names a field whose value is a secret."""
    last = key.rsplit("[", 1)[-1].rstrip("]").lower()
    return last in _SECRET_FIELDS or last.endswith(("_token", "_secret"))


def redact_pairs(pairs: Iterable[tuple[str, str]], secrets: Iterable[str] = ()) -> str:
    """Form pairs as `key=value&...` for a log line, secret fields masked and every value redacted."""
    secrets = tuple(secrets)
    return "&".join(f"{key}={MASK if is_secret_field(key) else redact(value, secrets)}" for key, value in pairs)
