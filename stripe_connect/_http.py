"""The httpx clients this SDK makes for itself when none is passed in (one passed in is used as it is).

They differ from httpx's in two things: each attempt's network operations end by the attempt's end
(see `_attempt`), and they keep no cookies. Stripe's API authenticates every request by
its headers and sets no cookies worth keeping, while looking for them costs httpx ~20 µs per response
(building `urllib` request and response stand-ins for `http.cookiejar`): a fifth of the client-side time
of a small call.
"""

from __future__ import annotations

import httpx

from stripe_connect._attempt import bounded_async_transport, bounded_transport
from stripe_connect._options import default_timeout


class _NoCookies(httpx.Cookies):
    """An always empty cookie jar: responses' cookies are not looked for, requests carry none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


_NO_COOKIES = _NoCookies()


_NO_COOKIES_ERROR = "this client keeps no cookies; pass your own httpx client to the Stripe client for cookies"


class _Cookieless:
    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        raise TypeError(_NO_COOKIES_ERROR)


class CookielessClient(_Cookieless, httpx.Client):
    pass


class CookielessAsyncClient(_Cookieless, httpx.AsyncClient):
    pass


def new_client() -> CookielessClient:
    """The pool a `StripeClient` makes for itself: cookieless, each attempt bounded as a whole."""
    return CookielessClient(timeout=default_timeout(), transport=bounded_transport())


def new_async_client() -> CookielessAsyncClient:
    return CookielessAsyncClient(timeout=default_timeout(), transport=bounded_async_transport())
