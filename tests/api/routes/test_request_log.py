"""The request log: one JSON line per request and per WebSocket session's start and end."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ragline.settings import Settings

Headers = dict[str, str]


def log_lines(settings: Settings) -> list[dict[str, Any]]:
    path = settings.paths.logs / "requests.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_each_request_is_one_json_line_with_its_route_user_and_sizes(
    client: TestClient, settings: Settings, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    response = client.patch(
        "/api/v1/me", json={"notify": "none"}, headers={**alice, "X-Request-ID": "req-42"}
    )
    me = response.json()

    line = next(entry for entry in log_lines(settings) if entry.get("request_id") == "req-42")
    assert line["event"] == "request" and line["time"]
    assert line["method"] == "PATCH" and line["route"] == "/api/v1/me"
    assert line["status"] == 200 and line["user"] == me["id"]
    assert line["bytes_in"] == len(b'{"notify":"none"}')
    assert line["bytes_out"] == len(response.content)
    assert line["latency_ms"] > 0 and line["client"]


def test_a_templated_route_is_logged_by_its_template(
    client: TestClient, settings: Settings, sign_in: Callable[..., Headers]
) -> None:
    client.get("/api/v1/jobs/some-job-id", headers=sign_in("alice"))
    (line,) = [e for e in log_lines(settings) if e["path"] == "/api/v1/jobs/some-job-id"]
    assert line["route"] == "/api/v1/jobs/{job_id}" and line["status"] == 404


def test_a_websocket_session_logs_its_start_and_its_end(
    client: TestClient, settings: Settings, sign_in: Callable[..., Headers]
) -> None:
    token = sign_in("alice")["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/api/v1/ws?token={token}") as socket:
        assert socket.receive_json()["type"] == "snapshot"

    sessions = [e for e in log_lines(settings) if e["event"].startswith("websocket.")]
    assert [e["event"] for e in sessions] == ["websocket.connect", "websocket.close"]
    connect, close = sessions
    assert connect["user"] and connect["user"] == close["user"]
    assert connect["request_id"] == close["request_id"] and close["route"] == "/api/v1/ws"
    assert close["messages_sent"] == 1 and close["duration_ms"] >= 0
