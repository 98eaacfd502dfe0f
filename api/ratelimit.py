"""Rate limits (slowapi), keyed by who the caller is, counted where the settings say.

Every ``/api/`` call counts against its caller's general budget (:func:`count_api_call`, one
budget across every endpoint); uploads, logins and questions have their own besides (slowapi's
decorators), and so have upload bytes, WebSocket connects and jobs in flight.

A caller is its user once its credential checks out: a login token by its signature (no
database needed), an API key by its row, looked up once per process before its first call is
counted (:func:`count_api_call`; every process then charges the same user's budget in the
shared storage) and remembered, as are the keys the API verifies (:func:`remember_api_key`).
A credential that does not check out counts against the caller's address, like an anonymous
call, so rotating made-up headers buys no fresh budget. Logins are limited per address by
slowapi and per username by :func:`count_login_attempt`, so a brute force against one account
is slowed whatever addresses it comes from.

Every budget is read from one :class:`Settings`, the app's: ``create_app`` calls
:func:`configure`, which also points the counters at ``rate_limit_storage`` (one process's
memory, or a Redis every API process shares). When that storage cannot be reached, calls are
let through and a warning logged: an outage of the counters must not take the API down.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerMinute, parse
from slowapi import Limiter
from sqlmodel import Session
from starlette.requests import HTTPConnection

from ragline import compat, jobs
from ragline.credentials import API_KEY_PREFIX, hash_api_key, token_claims
from ragline.errors import AuthenticationError, TooManyRequests
from ragline.settings import Settings

logger = logging.getLogger("ragline.api")
_configured: Settings | None = None

# Verified API keys (by hash) and their users; bounded, the oldest forgotten first.
_KNOWN_KEYS: OrderedDict[str, str] = OrderedDict()
_KNOWN_KEYS_MAX = 10_000
_api_key_owner: Callable[[str], str | None] | None = None


def configure(settings: Settings, api_key_owner: Callable[[str], str | None] | None = None) -> None:
    """Reads every budget and verifies login tokens with ``settings`` from now on, and counts
    in their storage; ``api_key_owner`` finds the user of an API key this process has not
    verified yet (the database's answer, :func:`ragline.users.api_key_owner`)."""
    global _configured, _api_key_owner
    _configured = settings
    _api_key_owner = api_key_owner
    limiter.enabled = settings.rate_limit_enabled
    storage = settings.rate_limit_storage
    if storage.startswith("redis"):
        # A Redis that does not answer costs a call a second at most, not the OS's minutes.
        compat.count_rate_limits_in(limiter, storage, socket_connect_timeout=1, socket_timeout=1)
    else:
        compat.count_rate_limits_in(limiter, storage)


def limit_settings() -> Settings:
    """The settings the limiter was configured with (the app's)."""
    if _configured is None:
        raise RuntimeError("api.ratelimit.configure(settings) was not called (create_app does)")
    return _configured


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
        return token_claims(credential, limit_settings()).user_id
    except AuthenticationError:
        return None


def caller_key(request: HTTPConnection) -> str:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credential:
        user_id = verified_user(credential.strip())
        if user_id is not None:
            return "user:" + user_id
    return "addr:" + (request.client.host if request.client else "unknown")


limiter = Limiter(
    key_func=caller_key,
    headers_enabled=True,
    swallow_errors=True,  # slowapi's own checks: the storage unreachable lets the call through
)


def count_api_call(connection: HTTPConnection) -> None:
    """Counts an API call against its caller's budget for all API calls (an app dependency).

    Not slowapi's default limits: its middleware takes the last route that matches a request,
    which for every GET is the web UI's catch-all, and counts each URL apart.
    """
    if connection.scope["type"] == "http" and connection.url.path.startswith("/api/"):
        _learn_api_key(connection)
        budget = limit_settings().rate_limit_default
        _charge(parse(budget), "api", caller_key(connection), 1, f"Too many calls ({budget})")


def _learn_api_key(connection: HTTPConnection) -> None:
    """Looks up an API key this process has not seen, so that even its first call here is
    charged to its user. Here, in a worker thread before any limit is checked, rather than in
    :func:`caller_key`, which slowapi also calls on the event loop."""
    scheme, _, credential = connection.headers.get("authorization", "").partition(" ")
    key = credential.strip()
    if scheme.lower() != "bearer" or not key.startswith(API_KEY_PREFIX) or _api_key_owner is None:
        return
    if hash_api_key(key) in _KNOWN_KEYS:
        return
    try:
        owner = _api_key_owner(key)
    except Exception:  # the database unreachable: count by address; the route will say so
        logger.warning("could not look up an API key's owner for its rate limit", exc_info=True)
        return
    if owner is not None:
        remember_api_key(key, owner)


def upload_limit() -> str:
    return limit_settings().rate_limit_upload


def login_limit() -> str:
    return limit_settings().rate_limit_login


def question_limit() -> str:
    return limit_settings().rate_limit_questions


def _charge(limit: RateLimitItem, namespace: str, who: str, cost: int, refusal: str) -> None:
    """Takes ``cost`` from ``who``'s budget; raises TooManyRequests (``refusal``, with the
    wait appended) when it does not fit, taking nothing."""
    if not limiter.enabled:
        return
    try:
        if limiter.limiter.test(limit, namespace, who, cost=cost) and limiter.limiter.hit(
            limit, namespace, who, cost=cost
        ):
            return
        reset_at, _ = limiter.limiter.get_window_stats(limit, namespace, who)
    except Exception:  # whatever the storage raises (redis.ConnectionError, ...)
        _storage_unreachable(namespace)
        return
    wait_s = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(f"{refusal}; try again in {wait_s} s.", retry_after_s=wait_s)


def count_login_attempt(username: str) -> None:
    """Counts a sign-in attempt against ``username``, whatever address it comes from."""
    _charge(
        parse(limit_settings().rate_limit_login_per_user),
        "login-user",
        username.strip().casefold(),
        1,
        "Too many sign-in attempts for this account",
    )


def count_upload_bytes(user_id: str, size: int) -> None:
    """Counts ``size`` uploaded bytes against ``user_id``'s per-minute budget, before reading."""
    budget = limit_settings().rate_limit_upload_bytes
    _charge(
        RateLimitItemPerMinute(budget),
        "upload-bytes",
        user_id,
        size,
        f"Uploads are limited to {budget / 1024**2:.0f} MiB per minute; this one is "
        f"{size / 1024**2:.1f} MiB (send fewer files at a time if it is over that alone)",
    )


def ensure_room_for_a_job(session: Session, owner_id: str) -> None:
    """Refuses (TooManyRequests) a new job for a user with too many unfinished ones."""
    if limiter.enabled:
        jobs.ensure_room_for_a_job(session, owner_id, limit_settings().jobs_in_flight_per_user)


def count_read_upload_bytes(user_id: str, size: int) -> None:
    """Counts the bytes of an upload that declared no size, once read: its next uploads pay."""
    if limiter.enabled:
        budget = RateLimitItemPerMinute(limit_settings().rate_limit_upload_bytes)
        try:
            limiter.limiter.hit(budget, "upload-bytes", user_id, cost=size)
        except Exception:  # as in _charge
            _storage_unreachable("upload-bytes")


def count_websocket_connect(user_id: str) -> bool:
    """Counts a WebSocket connect against its user; whether it is within budget."""
    limit = parse(limit_settings().rate_limit_websocket)
    try:
        return not limiter.enabled or limiter.limiter.hit(limit, "ws-connect", user_id)
    except Exception:  # as in _charge
        _storage_unreachable("ws-connect")
        return True


def _storage_unreachable(namespace: str) -> None:
    logger.warning(
        "rate-limit storage %s unreachable; %s not counted",
        limit_settings().rate_limit_storage,
        namespace,
        exc_info=True,
    )
