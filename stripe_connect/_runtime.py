"""The template contract: everything generated code may use from the runtime core, and nothing else.

Generated modules import from this module only (tests/integration/test_layers.py reads every generated import). Names
load on first use, so a generated model module pulls in pydantic but not the HTTP stack, and the client
module the HTTP stack but not pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_connect._lazy import lazy_exports

if TYPE_CHECKING:
    from stripe_connect._async_pages import AsyncListRequest as AsyncListRequest
    from stripe_connect._async_pages import AsyncSearchRequest as AsyncSearchRequest
    from stripe_connect._async_pagination import AsyncListObject as AsyncListObject
    from stripe_connect._async_pagination import AsyncSearchResult as AsyncSearchResult
    from stripe_connect._client import BaseAsyncStripeClient as BaseAsyncStripeClient
    from stripe_connect._client import BaseStripeClient as BaseStripeClient
    from stripe_connect._models import AnyObject as AnyObject
    from stripe_connect._models import Expandable as Expandable
    from stripe_connect._models import ModelRef as ModelRef
    from stripe_connect._models import OpenEnum as OpenEnum
    from stripe_connect._models import Polymorphic as Polymorphic
    from stripe_connect._models import StripeModel as StripeModel
    from stripe_connect._models import StripeObject as StripeObject
    from stripe_connect._options import RequestOptions as RequestOptions
    from stripe_connect._pagination import ListObject as ListObject
    from stripe_connect._pagination import SearchResult as SearchResult
    from stripe_connect._registry import register_models as register_models
    from stripe_connect._request import FileInput as FileInput
    from stripe_connect._service import AsyncStripeService as AsyncStripeService
    from stripe_connect._service import StripeService as StripeService
    from stripe_connect._service import path as path
    from stripe_connect.oauth import AsyncOAuthService as AsyncOAuthService
    from stripe_connect.oauth import OAuthService as OAuthService
    from stripe_connect.webhooks import Webhooks as Webhooks

_EXPORTS = {
    "AnyObject": "stripe_connect._models",
    "AsyncListObject": "stripe_connect._async_pagination",
    "AsyncListRequest": "stripe_connect._async_pages",
    "AsyncOAuthService": "stripe_connect.oauth",
    "AsyncSearchRequest": "stripe_connect._async_pages",
    "AsyncSearchResult": "stripe_connect._async_pagination",
    "AsyncStripeService": "stripe_connect._service",
    "BaseAsyncStripeClient": "stripe_connect._client",
    "BaseStripeClient": "stripe_connect._client",
    "Expandable": "stripe_connect._models",
    "FileInput": "stripe_connect._request",
    "ListObject": "stripe_connect._pagination",
    "ModelRef": "stripe_connect._models",
    "OAuthService": "stripe_connect.oauth",
    "OpenEnum": "stripe_connect._models",
    "Polymorphic": "stripe_connect._models",
    "RequestOptions": "stripe_connect._options",
    "SearchResult": "stripe_connect._pagination",
    "StripeModel": "stripe_connect._models",
    "StripeObject": "stripe_connect._models",
    "StripeService": "stripe_connect._service",
    "Webhooks": "stripe_connect.webhooks",
    "path": "stripe_connect._service",
    "register_models": "stripe_connect._registry",
}

__all__ = [
    "AnyObject",
    "AsyncListObject",
    "AsyncListRequest",
    "AsyncOAuthService",
    "AsyncSearchRequest",
    "AsyncSearchResult",
    "AsyncStripeService",
    "BaseAsyncStripeClient",
    "BaseStripeClient",
    "Expandable",
    "FileInput",
    "ListObject",
    "ModelRef",
    "OAuthService",
    "OpenEnum",
    "Polymorphic",
    "RequestOptions",
    "SearchResult",
    "StripeModel",
    "StripeObject",
    "StripeService",
    "Webhooks",
    "lazy_exports",
    "path",
    "register_models",
]

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
