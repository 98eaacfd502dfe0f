"""Rate limits (slowapi), keyed by who the caller is.

A caller is its user once its credential checks out: a login token by its signature (no
database needed), an API key once the API has verified it (:func:`remember_api_key`). A
credential that does not check out counts against the caller's address, like an anonymous
call, so rotating made-up headers buys no fresh budget. Logins are limited per address by
slowapi and per username by :func:`count_login_attempt`, so a brute force against one account
is slowed whatever addresses it comes from.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict

from limits import parse
from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.requests import Request

from ragline.credentials import API_KEY_PREFIX, hash_api_key, token_claims
from ragline.errors import AuthenticationError, TooManyRequests
from ragline.settings import get_settings

# Verified API keys (by hash) and their users; bounded, the oldest forgotten first.
_KNOWN_KEYS: OrderedDict[str, str] = OrderedDict()
_KNOWN_KEYS_MAX = 10_000


def remember_api_key(key: str, user_id: str) -> None:
    """Records that ``key`` was verified as ``user_id``'s, for the next calls' budget."""
    digest = hash_api_key(key)
    _KNOWN_KEYS[digest] = user_id
    _KNOWN_KEYS.move_to_end(digest)
    while len(_KNOWN_KEYS) > _KNOWN_KEYS_MAX:
        _KNOWN_KEYS.popitem(last=False)


def verified_user(credential: str) -> str | None:
    """The user a bearer credential belongs to, if it checks out without the database."""
    if credential.startswith(API_KEY_PREFIX):
        return _KNOWN_KEYS.get(hash_api_key(credential))
    try:
        return token_claims(credential, get_settings()).user_id
    except AuthenticationError:
        return None


def caller_key(request: Request) -> str:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credential:
        user_id = verified_user(credential.strip())
        if user_id is not None:
            return "user:" + user_id
    return "addr:" + get_remote_address(request)


limiter = Limiter(
    key_func=caller_key,
    default_limits=[lambda: get_settings().rate_limit_default],
    headers_enabled=True,
)


def upload_limit() -> str:
    return get_settings().rate_limit_upload


def login_limit() -> str:
    return get_settings().rate_limit_login


def count_login_attempt(username: str, budget: str) -> None:
    """Counts a sign-in attempt against ``username``; raises TooManyRequests over ``budget``
    (``"10/minute"``)."""
    if not limiter.enabled:
        return
    limit = parse(budget)
    account = username.strip().casefold()
    if limiter.limiter.hit(limit, "login-user", account):
        return
    reset_at, _ = limiter.limiter.get_window_stats(limit, "login-user", account)
    wait_s = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(
        f"Too many sign-in attempts for this account; try again in {wait_s} s.",
        retry_after_s=wait_s,
    )


def count_websocket_connect(user_id: str, budget: str) -> bool:
    """Counts a WebSocket connect against its user; whether it is within ``budget``."""
    return not limiter.enabled or limiter.limiter.hit(parse(budget), "ws-connect", user_id)
