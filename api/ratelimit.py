"""Rate limits (slowapi): per user when a token is sent, per address otherwise."""

from __future__ import annotations

import hashlib

from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.requests import Request

from ragline.settings import get_settings


def caller_key(request: Request) -> str:
    authorization = request.headers.get("authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:16]
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
