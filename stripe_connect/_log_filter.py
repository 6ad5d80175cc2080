"""Masking secrets in what httpx and httpcore log about an SDK request (see `stripe_connect._redact`).

Apart from `_redact` because only a client needs it: the exceptions and the webhook path redact text and
import no `logging` (a fresh process's first webhook would pay for it, ~5 ms).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

from stripe_connect._redact import MASK, is_secret_field, redact

# A query field of a logged URL: `client_secret=...`, `card[number]=...` (brackets maybe percent-encoded).
_QUERY_FIELD = re.compile(r"(?<=[?&])([^=&#\s\"']+)=([^&#\s\"']*)")


def _mask_query_field(match: re.Match[str]) -> str:
    key = match.group(1)
    return f"{key}={MASK}" if is_secret_field(unquote_plus(key)) else match.group(0)


class _SecretsFilter(logging.Filter):
    """Masks secrets in the records of httpx and httpcore, which log what an SDK request sends and receives.

    httpx formats the URL (query included) into its "HTTP Request:" line itself, so masking happens on the
    record: secret-named query fields and secret-shaped text. It keeps no state, so it also masks the
    secrets of other code's httpx requests, which can only help.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(_QUERY_FIELD.sub(_mask_query_field, message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_FILTERED_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
_FILTER = _SecretsFilter()


def install_log_filter() -> None:
    """Put the secrets filter on the loggers of the HTTP stack (a logger's filters see only its own records)."""
    for name in _FILTERED_LOGGERS:
        log = logging.getLogger(name)
        if _FILTER not in log.filters:
            log.addFilter(_FILTER)
