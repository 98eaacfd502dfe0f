"""Per request: its id, its line in the request log, its metrics and its usage counts.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware runs each
request through an extra task and stream, which cost more than answering a question.
A WebSocket session gets two lines: when it is accepted, and when it closes (with how long
it lasted and how many messages it was sent).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.usage import UsageRecorder


class RequestLog:
    def __init__(
        self, app: ASGIApp, log: logging.Logger, usage: UsageRecorder | None = None
    ) -> None:
        self.app = app
        self.log = log
        self.usage = usage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = headers.get(b"x-request-id", b"").decode()[:64] or uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        bytes_in = bytes_out = 0
        started = time.perf_counter()

        async def counting_receive() -> Message:
            nonlocal bytes_in
            message = await receive()
            if message["type"] == "http.request":
                bytes_in += len(message.get("body", b""))
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, bytes_out
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            elif message["type"] == "http.response.body":
                bytes_out += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route(scope)
            method = scope["method"]
            user_id = state.get("user_id")
            metrics.REQUESTS.labels(method, route, status).inc()
            metrics.REQUEST_SECONDS.labels(method, route).observe(elapsed)
            latency_ms = round(elapsed * 1000, 2)
            self.log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "user": user_id,
                    "method": method,
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "latency_ms": latency_ms,
                    "bytes_in": bytes_in,
                    "bytes_out": bytes_out,
                    "client": _client(scope),
                },
            )
            if self.usage is not None:
                self.usage.batch.record(
                    user_id=user_id,
                    method=method,
                    route=route,
                    status=status,
                    latency_ms=latency_ms,
                    bytes_in=bytes_in,
                )

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {})
        session_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        sent = 0
        close_code: int | None = None
        accepted = False

        def line(event: str, **fields: Any) -> None:
            self.log.info(
                event,
                extra={
                    "request_id": session_id,
                    "user": state.get("user_id"),
                    "method": "WS",
                    "route": _route(scope),
                    "path": scope["path"],
                    "client": _client(scope),
                    **fields,
                },
            )

        async def watching_send(message: Message) -> None:
            nonlocal sent, close_code, accepted
            kind = message["type"]
            if kind == "websocket.accept":
                accepted = True
            elif kind == "websocket.send":
                sent += 1
                if sent == 1:  # the snapshot: the caller is known by now
                    line("websocket.connect")
            elif kind == "websocket.close":
                close_code = message.get("code", 1000)
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            if accepted:
                line(
                    "websocket.close",
                    close_code=close_code,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    messages_sent=sent,
                )


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "unmatched"))


def _client(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None
