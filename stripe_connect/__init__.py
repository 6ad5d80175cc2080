"""stripe-connect: a typed Stripe SDK for Connect platforms.

    from stripe_connect import StripeClient

    client = StripeClient("sk_test_...", stripe_account="acct_123")
    charge = client.charges.retrieve("ch_123")

Clients, their options, models and pagination types load on first use, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from stripe_connect._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError,  # noqa: A004 - Stripe's name for a 403
    RateLimitError,
    SignatureVerificationError,
    StripeError,
)
from stripe_connect._lazy import lazy_exports
from stripe_connect._registry import load_models_with
from stripe_connect._version import VERSION

if TYPE_CHECKING:
    from stripe_connect._async_pages import AsyncListRequest, AsyncSearchRequest
    from stripe_connect._async_pagination import AsyncListObject, AsyncSearchResult
    from stripe_connect._client import BaseAsyncStripeClient, BaseStripeClient
    from stripe_connect._identity import AppInfo
    from stripe_connect._models import StripeModel, StripeObject
    from stripe_connect._options import ClientOptions, RequestOptions
    from stripe_connect._pagination import ListObject, SearchResult
    from stripe_connect._response_meta import JSONObject, LastResponse
    from stripe_connect._service import AsyncStripeService, StripeService
    from stripe_connect._telemetry import Attempt, Hook
    from stripe_connect.events import EventType
    from stripe_connect.oauth import OAuth, OAuthDeauthorization, OAuthToken
    from stripe_connect.oauth_errors import (
        InvalidClientError,
        InvalidGrantError,
        InvalidScopeError,
        OAuthError,
        OAuthInvalidRequestError,
        UnsupportedGrantTypeError,
        UnsupportedResponseTypeError,
    )
    from stripe_connect.oauth_state import (
        ExpiredStateError,
        InMemoryUsedStateStore,
        InvalidStateError,
        OAuthState,
        OAuthStateError,
        ReplayedStateError,
        UsedStateStore,
    )
    from stripe_connect.webhooks import Webhooks
    from stripe_connect_generated import API_VERSION
    from stripe_connect_generated.client import AsyncStripeClient, StripeClient

__version__ = VERSION

# The core imports nothing generated: the public face tells it where the generated models live.
load_models_with(lambda: importlib.import_module("stripe_connect_generated.models"))

_EXPORTS = {
    "StripeClient": "stripe_connect_generated.client",
    "AsyncStripeClient": "stripe_connect_generated.client",
    "API_VERSION": "stripe_connect_generated",
    "BaseStripeClient": "stripe_connect._client",
    "ClientOptions": "stripe_connect._options",
    "RequestOptions": "stripe_connect._options",
    "BaseAsyncStripeClient": "stripe_connect._client",
    "StripeService": "stripe_connect._service",
    "AsyncStripeService": "stripe_connect._service",
    "StripeModel": "stripe_connect._models",
    "StripeObject": "stripe_connect._models",
    "ListObject": "stripe_connect._pagination",
    "SearchResult": "stripe_connect._pagination",
    "AsyncListObject": "stripe_connect._async_pagination",
    "AsyncSearchResult": "stripe_connect._async_pagination",
    "AsyncListRequest": "stripe_connect._async_pages",
    "AsyncSearchRequest": "stripe_connect._async_pages",
    "LastResponse": "stripe_connect._response_meta",
    "JSONObject": "stripe_connect._response_meta",
    "AppInfo": "stripe_connect._identity",
    "Attempt": "stripe_connect._telemetry",
    "Hook": "stripe_connect._telemetry",
    # Connect OAuth (stripe_connect.oauth_errors.InvalidRequestError is OAuth's; the API's is above)
    "OAuth": "stripe_connect.oauth",
    "OAuthToken": "stripe_connect._oauth_models",
    "OAuthDeauthorization": "stripe_connect._oauth_models",
    "OAuthError": "stripe_connect.oauth_errors",
    "InvalidGrantError": "stripe_connect.oauth_errors",
    "InvalidClientError": "stripe_connect.oauth_errors",
    "OAuthInvalidRequestError": "stripe_connect.oauth_errors",
    "InvalidScopeError": "stripe_connect.oauth_errors",
    "UnsupportedGrantTypeError": "stripe_connect.oauth_errors",
    "UnsupportedResponseTypeError": "stripe_connect.oauth_errors",
    "OAuthState": "stripe_connect.oauth_state",
    "OAuthStateError": "stripe_connect.oauth_state",
    "InvalidStateError": "stripe_connect.oauth_state",
    "ExpiredStateError": "stripe_connect.oauth_state",
    "ReplayedStateError": "stripe_connect.oauth_state",
    "UsedStateStore": "stripe_connect.oauth_state",
    "InMemoryUsedStateStore": "stripe_connect.oauth_state",
    "EventType": "stripe_connect_generated.events",
    "Webhooks": "stripe_connect.webhooks",
}

__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "APIError",
    "AppInfo",
    "AsyncListObject",
    "AsyncListRequest",
    "AsyncSearchRequest",
    "AsyncSearchResult",
    "AsyncStripeClient",
    "AsyncStripeService",
    "Attempt",
    "AuthenticationError",
    "BaseAsyncStripeClient",
    "BaseStripeClient",
    "CardError",
    "ClientOptions",
    "EventType",
    "ExpiredStateError",
    "Hook",
    "IdempotencyError",
    "InMemoryUsedStateStore",
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidRequestError",
    "InvalidScopeError",
    "InvalidStateError",
    "JSONObject",
    "LastResponse",
    "ListObject",
    "OAuth",
    "OAuthDeauthorization",
    "OAuthError",
    "OAuthInvalidRequestError",
    "OAuthState",
    "OAuthStateError",
    "OAuthToken",
    "PermissionError",
    "RateLimitError",
    "ReplayedStateError",
    "RequestOptions",
    "SearchResult",
    "SignatureVerificationError",
    "StripeClient",
    "StripeError",
    "StripeModel",
    "StripeObject",
    "StripeService",
    "UnsupportedGrantTypeError",
    "UnsupportedResponseTypeError",
    "UsedStateStore",
    "Webhooks",
    "__version__",
]

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
