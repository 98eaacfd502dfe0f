"""The vector store's own logic; its behaviour against a real Chroma is in tests/e2e, but for
the search breadth of its collections."""

import socket
import time
from collections.abc import Callable
from uuid import uuid4

import httpx
import pytest

from ragline import vectorstore
from ragline.errors import VectorStoreUnavailable
from ragline.vectorstore import VectorStore
from scripts.stack import Stack

NOT_ON_DISK = (
    "Error executing plan: Internal error: Error creating hnsw segment reader: "
    "Nothing found on disk"
)


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectorstore, "_NOT_ON_DISK_RETRY_S", (0.0, 0.0, 0.0))


def failing(times: int, message: str = NOT_ON_DISK) -> tuple[Callable[[], str], list[int]]:
    calls: list[int] = []

    def operation() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise RuntimeError(message)
        return "found"

    return operation, calls


def test_a_read_of_an_index_not_yet_on_disk_is_retried() -> None:
    operation, calls = failing(times=2)

    assert VectorStore("http://chroma", "t")._read(operation) == "found"
    assert len(calls) == 3


def test_an_index_that_stays_missing_is_a_service_error_not_a_crash() -> None:
    operation, calls = failing(times=10)

    with pytest.raises(VectorStoreUnavailable, match="still being written"):
        VectorStore("http://chroma", "t")._read(operation)
    assert len(calls) == 4


def test_other_errors_are_not_retried() -> None:
    operation, calls = failing(times=1, message="bad where clause")

    with pytest.raises(RuntimeError, match="bad where clause"):
        VectorStore("http://chroma", "t")._read(operation)
    assert len(calls) == 1


def test_a_server_that_never_answers_is_unavailable_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vectorstore, "CHROMA_TIMEOUT", httpx.Timeout(0.5))
    # Connections land in the kernel's backlog and are never answered: a hung server.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        store = VectorStore(f"http://127.0.0.1:{silent.getsockname()[1]}", "t")
        started = time.monotonic()
        with pytest.raises(VectorStoreUnavailable, match="not answering"):
            store.heartbeat()
        assert time.monotonic() - started < 5


@pytest.mark.e2e
def test_collections_search_wide_even_those_made_before(stack: Stack) -> None:
    """Chroma's default search breadth misses the nearest chunks among many near-alike ones."""
    url = stack.settings.endpoints.chroma
    prefix = f"ef-{uuid4().hex[:8]}"
    chroma = vectorstore._client(url)
    chroma.create_collection(f"{prefix}-old", metadata={"hnsw:space": "cosine"})
    store = VectorStore(url, prefix)

    for owner in ("old", "new"):
        assert store.stored_versions(owner) == {}  # opens the collection
        hnsw = chroma.get_collection(f"{prefix}-{owner}").configuration_json["hnsw"]
        assert (hnsw["space"], hnsw["ef_search"]) == ("cosine", vectorstore.SEARCH_EF)
