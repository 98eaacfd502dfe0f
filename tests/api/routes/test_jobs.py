"""Cancel, retry and bulk re-ingestion, in process on a real PostgreSQL (no run ever starts)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from ragline.models import Document, DocumentStatus, Job
from tests.api.routes.conftest import RecordingOutbox, RecordingVectorStore, upload

Headers = dict[str, str]


def test_a_job_still_in_the_outbox_is_cancelled_at_once_and_can_be_retried(
    client: TestClient,
    outbox: RecordingOutbox,
    vector_store: RecordingVectorStore,
    sign_in: Callable[..., Headers],
) -> None:
    alice = sign_in("alice")
    job = upload(client, alice, ("a.txt", b"Never started."))["job"]

    cancelled = client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=alice)

    assert cancelled.status_code == 202
    assert cancelled.json()["state"] == "cancelled"
    assert [d["stage"] for d in cancelled.json()["documents"]] == ["cancelled"]
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=alice).status_code == 409
    retried = client.post(f"/api/v1/jobs/{job['id']}/retry", headers=alice)
    assert retried.status_code == 202
    assert retried.json()["retry_of"] == job["id"]
    assert [d["filename"] for d in retried.json()["documents"]] == ["a.txt"]


def test_a_running_job_cannot_be_retried(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    job = upload(client, alice, ("a.txt", b"Waiting."))["job"]

    response = client.post(f"/api/v1/jobs/{job['id']}/retry", headers=alice)

    assert response.status_code == 409 and response.json()["code"] == "not_retryable"


def test_another_users_job_is_a_404(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    job = upload(client, alice, ("a.txt", b"Mine."))["job"]

    assert client.get(f"/api/v1/jobs/{job['id']}", headers=bob).status_code == 404
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=bob).status_code == 404
    assert client.get("/api/v1/jobs", headers=bob).json()["count"] == 0


def test_a_reingestion_of_everything_keeps_only_changed_false_through_the_outbox(
    client: TestClient,
    outbox: RecordingOutbox,
    sign_in: Callable[..., Headers],
    engine: Engine,
) -> None:
    """Regression: the outbox's retry started every re-ingestion with only_changed true."""
    root = sign_in("root", is_admin=True)
    job = upload(client, root, ("a.txt", b"Ready."))["job"]
    with Session(engine) as session:
        document = session.get_one(Document, job["documents"][0]["document_id"])
        document.status = DocumentStatus.READY
        session.add(document)
        session.commit()

    response = client.post("/api/v1/reingest", json={"only_changed": False}, headers=root)

    assert response.status_code == 202
    reingest = response.json()
    assert reingest["kind"] == "reingest" and len(reingest["documents"]) == 1
    assert outbox.submitted[-1] == reingest["id"]
    with Session(engine) as session:
        assert session.get_one(Job, reingest["id"]).only_changed is False


def test_only_an_admin_can_start_a_reingestion(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    response = client.post("/api/v1/reingest", json={}, headers=sign_in("alice"))
    assert response.status_code == 403 and outbox.submitted == []
