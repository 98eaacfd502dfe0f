"""In-process route tests: the real app on a real PostgreSQL, nothing else running.

Prefect and Chroma point where nothing listens, so a route that needs them answers as it
would with them down; tests that need them use the end-to-end stack instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session

from api.app import create_app
from api.deps import get_outbox, get_vector_store
from ragline import users
from ragline.settings import Settings
from scripts.stack import free_port


@pytest.fixture
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("api"),
        database_url=database_url,
        prefect_api_url=f"http://127.0.0.1:{free_port()}/api",
        chroma_url=f"http://127.0.0.1:{free_port()}",
        secret_key=SecretStr("in-process-tests-signing-secret-of-32-bytes"),
        rate_limit_enabled=False,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The app without its lifespan (no background loops, no model): routes only."""
    yield TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture
def sign_in(settings: Settings, engine: Engine) -> Callable[..., dict[str, str]]:
    """``sign_in(username, is_admin=False)``: creates the user, returns auth headers."""

    def make(username: str, *, is_admin: bool = False) -> dict[str, str]:
        with Session(engine) as session:
            user = users.create_user(session, username, f"{username}-password", is_admin=is_admin)
            token = users.sign_in(session, user, settings)
            session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


class RecordingOutbox:
    """Stands in for the outbox: records the jobs handed to it, starts no run."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    async def submit(self, job_id: str) -> None:
        self.submitted.append(job_id)


class RecordingVectorStore:
    """Stands in for Chroma: records deletes (no chunk is ever stored in these tests)."""

    def __init__(self) -> None:
        self.deleted: list[tuple[str, ...]] = []

    def delete_document(self, owner_id: str, document_id: str) -> None:
        self.deleted.append(("document", owner_id, document_id))

    def delete_version(self, owner_id: str, document_id: str, version_id: str) -> None:
        self.deleted.append(("version", owner_id, document_id, version_id))


@pytest.fixture
def outbox(client: TestClient) -> RecordingOutbox:
    fake = RecordingOutbox()
    client.app.dependency_overrides[get_outbox] = lambda: fake  # type: ignore[attr-defined]
    return fake


@pytest.fixture
def vector_store(client: TestClient) -> RecordingVectorStore:
    fake = RecordingVectorStore()
    client.app.dependency_overrides[get_vector_store] = lambda: fake  # type: ignore[attr-defined]
    return fake


def upload(
    client: TestClient, headers: dict[str, str], *files: tuple[str, bytes]
) -> dict[str, Any]:
    """POST /api/v1/documents; the 202's body."""
    response = client.post(
        "/api/v1/documents", files=[("files", f) for f in files], headers=headers
    )
    assert response.status_code == 202, response.text
    return dict(response.json())
