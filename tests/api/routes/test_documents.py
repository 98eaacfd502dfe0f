"""Uploading, listing and deleting documents, in process on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from ragline import health
from ragline.models import Document, DocumentStatus, User
from ragline.settings import Settings
from tests.api.routes.conftest import RecordingOutbox, RecordingVectorStore, upload

Headers = dict[str, str]


def test_an_upload_is_recorded_then_handed_to_the_outbox(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")

    accepted = upload(client, alice, ("notes.md", b"# Notes\n\nThe gate code is 4711.\n"))

    job = accepted["job"]
    assert isinstance(job, dict) and job["state"] == "scheduled"
    assert outbox.submitted == [job["id"]]
    assert (
        client.get(f"/api/v1/jobs/{job['id']}", headers=alice).json()["documents"][0]["stage"]
        == "queued"
    )


def test_identical_bytes_are_skipped_without_a_run(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers], engine: Engine
) -> None:
    alice = sign_in("alice")
    first = upload(client, alice, ("a.txt", b"Same bytes."))
    with Session(engine) as session:  # ingested, as a run would have done (none runs here)
        document = session.get_one(Document, first["documents"][0]["id"])
        document.status = DocumentStatus.READY
        session.add(document)
        session.commit()

    again = upload(client, alice, ("a.txt", b"Same bytes."))

    assert again["job"]["state"] == "completed"
    assert again["job"]["documents"][0]["stage"] == "skipped"
    assert len(outbox.submitted) == 1


def test_when_every_file_is_refused_the_first_files_status_answers(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")

    response = client.post(
        "/api/v1/documents",
        files=[
            ("files", ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64)),
            ("files", ("e.txt", b"")),
        ],
        headers=alice,
    )

    assert response.status_code == 415
    assert "tool.pdf" in response.json()["detail"] and "e.txt" in response.json()["detail"]
    assert outbox.submitted == []


def test_another_users_document_is_a_404_and_stays(
    client: TestClient,
    outbox: RecordingOutbox,
    vector_store: RecordingVectorStore,
    sign_in: Callable[..., Headers],
) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    document_id = upload(client, alice, ("a.txt", b"Mine."))["documents"][0]["id"]

    assert client.get(f"/api/v1/documents/{document_id}", headers=bob).status_code == 404
    assert client.delete(f"/api/v1/documents/{document_id}", headers=bob).status_code == 404
    assert client.get("/api/v1/documents", headers=bob).json() == {"data": [], "count": 0}
    assert client.get(f"/api/v1/documents/{document_id}", headers=alice).status_code == 200
    assert vector_store.deleted == []


def test_a_deleted_document_is_gone_with_its_chunks(
    client: TestClient,
    outbox: RecordingOutbox,
    vector_store: RecordingVectorStore,
    sign_in: Callable[..., Headers],
) -> None:
    alice = sign_in("alice")
    document_id = upload(client, alice, ("a.txt", b"Short lived."))["documents"][0]["id"]

    assert client.delete(f"/api/v1/documents/{document_id}", headers=alice).status_code == 204

    assert client.get(f"/api/v1/documents/{document_id}", headers=alice).status_code == 404
    assert [d[0] for d in vector_store.deleted] == ["document", "document"]  # before and after


def test_twin_files_one_refused_for_its_name_keep_the_bytes_the_other_needs(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    same = b"The same bytes under two names."

    response = client.post(
        "/api/v1/documents",
        files=[("files", ("a.exe", same)), ("files", ("a.txt", same)), ("files", ("b.exe", same))],
        headers=alice,
    )

    assert response.status_code == 202, response.text
    body = response.json()
    assert [d["filename"] for d in body["documents"]] == ["a.txt"]
    assert {r["filename"] for r in body["rejected"]} == {"a.exe", "b.exe"}
    assert outbox.submitted == [body["job"]["id"]]


def test_a_file_part_without_a_usable_name_is_refused_and_its_bytes_skipped(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    """A file part with no name at all was accepted as "upload" (issue 22)."""
    alice = sign_in("alice")
    nameless = [("files", ("  ", b"Only spaces.")), ("files", ("...", b"Only dots."))]

    alone = client.post("/api/v1/documents", files=nameless, headers=alice)
    mixed = client.post(
        "/api/v1/documents", files=[*nameless, ("files", ("ok.txt", b"Fine."))], headers=alice
    )

    assert (alone.status_code, alone.json()["code"]) == (422, "invalid_filename"), alone.text
    assert mixed.status_code == 202, mixed.text
    assert [d["filename"] for d in mixed.json()["documents"]] == ["ok.txt"]
    rejected = [(r["filename"], r["code"]) for r in mixed.json()["rejected"]]
    assert rejected == [("(no name)", "invalid_filename"), ("...", "invalid_filename")]


def test_an_unknown_status_filter_is_a_422_not_a_database_error(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")

    for status in ("null", "READY", "x" * 300):
        response = client.get("/api/v1/documents", params={"status": status}, headers=alice)
        assert response.status_code == 422, (status, response.text)
    ready = client.get("/api/v1/documents", params={"status": "ready"}, headers=alice)
    assert ready.status_code == 200


def test_an_upload_over_the_users_quota_is_refused_before_anything_is_written(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers], engine: Engine
) -> None:
    alice = sign_in("alice")
    upload(client, alice, ("a.txt", b"0123456789"))
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "alice")).one()
        user.quota_bytes, user.quota_documents = 25, 2  # a.txt holds 10 bytes
        session.add(user)
        session.commit()

    too_big = client.post(
        "/api/v1/documents", files=[("files", ("b.txt", b"x" * 20))], headers=alice
    )
    replaced = upload(client, alice, ("a.txt", b"x" * 20))  # replaces a.txt: 20 bytes in all
    too_many = client.post(
        "/api/v1/documents",
        files=[("files", ("c.txt", b"Cc.")), ("files", ("d.txt", b"Dd."))],
        headers=alice,
    )

    assert (too_big.status_code, too_big.json()["code"]) == (413, "quota_exceeded")
    assert replaced["documents"][0]["filename"] == "a.txt"
    assert too_many.status_code == 202
    assert [(r["filename"], r["code"]) for r in too_many.json()["rejected"]] == [
        ("d.txt", "quota_exceeded")
    ]
    names = [d["filename"] for d in client.get("/api/v1/documents", headers=alice).json()["data"]]
    assert sorted(names) == ["a.txt", "c.txt"]
    assert client.get("/api/v1/me/usage", headers=alice).json() == {
        "bytes_used": 23,
        "bytes_allowed": 25,
        "documents": 2,
        "documents_allowed": 2,
    }


def test_usage_shows_the_servers_default_limits_until_an_admin_sets_the_users(
    client: TestClient, outbox: RecordingOutbox, sign_in: Callable[..., Headers], settings: Settings
) -> None:
    alice = sign_in("alice")
    assert client.get("/api/v1/me/usage", headers=alice).json() == {
        "bytes_used": 0,
        "bytes_allowed": settings.quota_bytes,
        "documents": 0,
        "documents_allowed": settings.quota_documents,
    }
    upload(client, alice, ("a.txt", b"0123456789"))
    assert client.get("/api/v1/me/usage", headers=alice).json()["bytes_used"] == 10


def test_uploads_are_refused_with_507_while_the_data_disk_is_nearly_full(
    client: TestClient,
    outbox: RecordingOutbox,
    sign_in: Callable[..., Headers],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = sign_in("alice")
    monkeypatch.setattr(health, "disk", lambda path: health.Disk(free_bytes=0, total_bytes=1))

    response = client.post("/api/v1/documents", files=[("files", ("a.txt", b"A"))], headers=alice)

    assert (response.status_code, response.json()["code"]) == (507, "insufficient_storage")
    assert client.get("/api/v1/documents", headers=alice).json()["count"] == 0
    assert outbox.submitted == []
