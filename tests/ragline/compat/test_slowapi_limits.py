"""slowapi's private header injection and storage set-up."""

from __future__ import annotations

from types import SimpleNamespace

from ragline import compat
from tests.ragline.compat.inspection import assert_checked, parameters


def test_add_rate_limit_headers_calls_slowapis_header_injection() -> None:
    assert_checked("slowapi")
    from limits import parse
    from slowapi import Limiter
    from slowapi.util import get_remote_address
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    assert parameters(Limiter._inject_headers) == ["self", "response", "current_limit"]

    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    limit = parse("5/minute")
    limiter.limiter.hit(limit, "client")
    app = SimpleNamespace(state=SimpleNamespace(limiter=limiter))
    request = Request(
        {"type": "http", "app": app, "state": {"view_rate_limit": (limit, ["client"])}}
    )
    response = compat.add_rate_limit_headers(request, JSONResponse({}))
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "4"
    assert int(response.headers["Retry-After"]) > 0


def test_count_rate_limits_in_sets_what_slowapis_init_sets_from_storage_uri() -> None:
    assert_checked("slowapi")
    from limits import parse
    from limits.storage import MemoryStorage
    from limits.strategies import FixedWindowRateLimiter
    from slowapi import Limiter
    from slowapi.util import get_remote_address

    assert "storage_uri" in parameters(Limiter.__init__)
    built = Limiter(key_func=get_remote_address, storage_uri="memory://")
    assert {"_storage_uri", "_storage", "_limiter", "_strategy"} <= set(vars(built))
    assert isinstance(built.limiter, FixedWindowRateLimiter)

    limiter = Limiter(key_func=get_remote_address)
    limiter.limiter.hit(parse("1/minute"), "client")
    compat.count_rate_limits_in(limiter, "memory://")
    assert isinstance(limiter._storage, MemoryStorage) and limiter._storage_uri == "memory://"
    assert isinstance(limiter.limiter, FixedWindowRateLimiter)
    assert limiter.limiter.hit(parse("1/minute"), "client")  # counting afresh, in the new one
