"""The caller's webhook (its secret is shown once) and their notification log, in process."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Headers = dict[str, str]


def test_a_webhooks_secret_is_shown_when_it_is_new_and_only_then(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    assert client.get("/api/v1/me/webhook", headers=alice).json() == {
        "url": None,
        "secret_hint": None,
    }

    first = client.put("/api/v1/me/webhook", json={"url": "https://hooks.example/a"}, headers=alice)
    moved = client.put("/api/v1/me/webhook", json={"url": "https://hooks.example/b"}, headers=alice)
    rotated = client.put(
        "/api/v1/me/webhook",
        json={"url": "https://hooks.example/b", "new_secret": True},
        headers=alice,
    )

    secret = first.json()["secret"]
    assert secret.startswith("whsec_") and moved.json()["secret"] is None
    assert moved.json()["url"] == "https://hooks.example/b"
    assert rotated.json()["secret"] not in (None, secret)
    shown = client.get("/api/v1/me/webhook", headers=alice).json()
    assert shown["secret_hint"] == rotated.json()["secret"][:10]
    assert "secret" not in shown


def test_a_webhook_must_be_an_http_url_and_can_be_removed(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    refused = client.put("/api/v1/me/webhook", json={"url": "file:///etc/passwd"}, headers=alice)
    assert refused.status_code == 422
    client.put("/api/v1/me/webhook", json={"url": "http://127.0.0.1:9/hook"}, headers=alice)

    assert client.delete("/api/v1/me/webhook", headers=alice).status_code == 204

    assert client.get("/api/v1/me/webhook", headers=alice).json()["url"] is None


def test_the_notification_log_starts_empty(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    response = client.get("/api/v1/me/notifications", headers=sign_in("alice"))
    assert response.status_code == 200 and response.json() == {"data": [], "count": 0}
