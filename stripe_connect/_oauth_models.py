"""What connect.stripe.com's OAuth endpoints return (they are not in the OpenAPI document, so not generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stripe_connect._models import StripeModel
from stripe_connect._options import mask_secret

if TYPE_CHECKING:
    from collections.abc import Iterator

_SECRET_FIELDS = frozenset({"access_token", "refresh_token"})


class OAuthToken(StripeModel):
    """The answer of `/oauth/token`: the connected account and the credentials to act for it.

    `repr()` and `str()` mask `access_token` and `refresh_token` (`sk_test_***`, `rt_***`); read the
    attributes (or `model_dump()`) to store them, encrypted.
    """

    stripe_user_id: str
    """The connected account's id (`acct_...`): pass it as `stripe_account=` on any call."""
    access_token: str | None = None
    """A secret key for the connected account (`api_key=` on a call). It does not expire but can be revoked."""
    refresh_token: str | None = None
    """Exchanges for a new access token of equal or lesser scope (`grant_type="refresh_token"`)."""
    scope: str | None = None
    """`read_write` or `read_only`."""
    livemode: bool | None = None
    """Whether the access token is a live key (it matches the mode of the platform key used)."""
    token_type: str | None = None
    """Always `bearer`."""
    stripe_publishable_key: str | None = None
    """A publishable key of the connected account, in the token's mode."""

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name in _SECRET_FIELDS and isinstance(value, str):
                yield name, mask_secret(value)
            else:
                yield name, value


class OAuthDeauthorization(StripeModel):
    """The answer of `/oauth/deauthorize`: the account whose connection to the platform was revoked."""

    stripe_user_id: str
