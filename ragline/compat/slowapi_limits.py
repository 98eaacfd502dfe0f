"""slowapi's limiter: headers on our own 429 answers, storage chosen once settings are
known. Checked against slowapi 0.1.10 (:data:`ragline.compat.CHECKED_AGAINST`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slowapi import Limiter
    from starlette.requests import Request
    from starlette.responses import Response


def add_rate_limit_headers(request: Request, response: Response) -> Response:
    """``response`` with the ``X-RateLimit-*`` and ``Retry-After`` headers slowapi puts on
    its own 429 answer, for a 429 answer of ours.

    slowapi has no public way: its own handler calls the private
    ``Limiter._inject_headers(response, current_limit)`` with the limit it stored in
    ``request.state.view_rate_limit``, on the limiter at ``request.app.state.limiter``.
    Checked against slowapi 0.1.10.
    """
    injected: Response = request.app.state.limiter._inject_headers(
        response, request.state.view_rate_limit
    )
    return injected


def count_rate_limits_in(limiter: Limiter, storage_uri: str, **options: float) -> None:
    """Points ``limiter`` at the storage ``storage_uri`` (``memory://``, ``redis://...``),
    built with ``options`` (e.g. the Redis client's timeouts).

    slowapi builds its storage once, in ``Limiter.__init__``, but the limiter must exist when
    the routes are decorated, before the app's settings are known. Setting
    ``_storage_uri``, ``_storage`` and ``_limiter`` is what ``__init__`` does with
    ``storage_uri=``; ``_strategy`` None means its default, fixed-window.
    Checked against slowapi 0.1.10 (limits 5.8.0).
    """
    from limits.storage import storage_from_string
    from limits.strategies import STRATEGIES

    limiter._storage_uri = storage_uri
    limiter._storage = storage_from_string(storage_uri, **(limiter._storage_options | options))
    limiter._limiter = STRATEGIES[limiter._strategy or "fixed-window"](limiter._storage)
