"""The httpx clients this SDK makes for itself when none is passed in (one passed in is used as it is).

They differ from httpx's in one thing: they keep no cookies. Stripe's API authenticates every request by
its headers and sets no cookies worth keeping, while looking for them costs httpx ~20 µs per response
(building `urllib` request and response stand-ins for `http.cookiejar`): a fifth of the client-side time
of a small call.
"""

from __future__ import annotations

import httpx


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
