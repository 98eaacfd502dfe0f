"""The per-user budgets on questions, upload bytes and jobs in flight, in process on a real
PostgreSQL: each answers 429 ``rate_limited`` with Retry-After, before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.ratelimit import limiter
from ragline.settings import Settings
from tests.api.routes.conftest import RecordingOutbox, upload

Headers = dict[str, str]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "rate_limit_enabled": True,
            "rate_limit_questions": "3/minute",
            "rate_limit_upload_bytes": 1000,
            "jobs_in_flight_per_user": 2,
        }
    )


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    limiter.reset()
    yield
    limiter.reset()


def assert_rate_limited(response: Any) -> str:  # the test client's httpx (or httpx2) reply
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    return str(response.json()["detail"])


def test_questions_over_the_budget_get_429_and_another_user_keeps_theirs(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    ask = {"question": "What is the gate code?", "mode": "keyword"}

    answered = [client.post("/api/v1/query", json=ask, headers=alice) for _ in range(3)]

    assert 429 not in [r.status_code for r in answered]
    assert_rate_limited(client.post("/api/v1/query", json=ask, headers=alice))
    assert client.post("/api/v1/query", json=ask, headers=bob).status_code != 429


def test_upload_bytes_over_the_minutes_budget_are_refused_before_they_are_stored(
    client: TestClient,
    outbox: RecordingOutbox,
    sign_in: Callable[..., Headers],
    settings: Settings,
) -> None:
    alice = sign_in("alice")
    upload(client, alice, ("first.txt", b"a" * 500))
    stored = sorted(settings.paths.files.rglob("*"))

    refused = client.post(
        "/api/v1/documents", files=[("files", ("second.txt", b"b" * 500))], headers=alice
    )

    assert "per minute" in assert_rate_limited(refused)
    assert sorted(settings.paths.files.rglob("*")) == stored
    assert len(outbox.submitted) == 1


def test_an_upload_while_the_user_has_too_many_jobs_in_flight_gets_429(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    first = upload(client, alice, ("a.txt", b"One."))["job"]
    upload(client, alice, ("b.txt", b"Two."))

    refused = client.post("/api/v1/documents", files=[("files", ("c.txt", b"3"))], headers=alice)

    assert "2 jobs in progress" in assert_rate_limited(refused)
    # One ends (cancelled before it started): room for one more, a retry included.
    assert client.post(f"/api/v1/jobs/{first['id']}/cancel", headers=alice).status_code == 202
    upload(client, alice, ("c.txt", b"Three."))
    assert_rate_limited(client.post(f"/api/v1/jobs/{first['id']}/retry", headers=alice))
    assert upload(client, sign_in("bob"), ("a.txt", b"His own."))["job"]["state"] == "scheduled"


def test_an_upload_without_content_length_is_counted_once_read(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    boundary = "budget-boundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="chunked.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n" + "c" * 900 + f"\r\n--{boundary}--\r\n"
    ).encode()
    chunked = client.post(
        "/api/v1/documents",
        content=iter([body[:500], body[500:]]),  # an iterator: sent chunked, no length
        headers=alice | {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert chunked.status_code == 202, chunked.text

    assert_rate_limited(
        client.post("/api/v1/documents", files=[("files", ("next.txt", b"n" * 200))], headers=alice)
    )
