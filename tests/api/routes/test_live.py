"""The WebSocket's own budget, in process on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from api.ratelimit import limiter
from ragline.settings import Settings


def test_connects_over_the_budget_are_closed_with_4429(
    settings: Settings, engine: Engine, sign_in: Callable[..., dict[str, str]]
) -> None:
    limited = settings.model_copy(
        update={"rate_limit_enabled": True, "rate_limit_websocket": "2/minute"}
    )
    client = TestClient(create_app(limited))
    limiter.reset()
    token = sign_in("alice")["Authorization"].removeprefix("Bearer ")
    try:
        for _ in range(2):
            with client.websocket_connect(f"/api/v1/ws?token={token}") as socket:
                assert socket.receive_json()["type"] == "snapshot"
        with client.websocket_connect(f"/api/v1/ws?token={token}") as socket:
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
        assert closed.value.code == 4429
        bob = sign_in("bob")["Authorization"].removeprefix("Bearer ")
        with client.websocket_connect(f"/api/v1/ws?token={bob}") as socket:  # his own budget
            assert socket.receive_json()["type"] == "snapshot"
    finally:
        limiter.reset()
        limiter.enabled = False
