"""One log line and metrics per request, tied together by a request id.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs each
request through an extra task and stream, which cost more than answering a question.
"""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics

access_logger = logging.getLogger("ragline.access")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            metrics.REQUESTS.labels(scope["method"], route, status).inc()
            metrics.REQUEST_SECONDS.labels(scope["method"], route).observe(elapsed)
            access_logger.info(
                "request_id=%s user=%s %s %s %d %.1fms",
                request_id,
                state.get("user_id", "-"),
                scope["method"],
                scope["path"],
                status,
                elapsed * 1000,
            )
