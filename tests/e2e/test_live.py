"""Live progress, cancel and retry through the real stack."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from websockets.sync.client import connect
from websockets.sync.connection import Connection

from ragline.vectorstore import VectorStore
from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.e2e.prefect_runs import parse_task_states, subflow_states
from tests.factories.files import long_text

pytestmark = pytest.mark.e2e

STAGE_ORDER = ["queued", "parsing", "chunking", "embedding", "storing", "done"]


def token_of(client: ApiClient) -> str:
    return str(client.headers["Authorization"]).removeprefix("Bearer ")


@contextmanager
def live_socket(stack: Stack, client: ApiClient) -> Iterator[Connection]:
    url = (
        stack.settings.endpoints.api.replace("http", "ws", 1)
        + "/api/v1/ws?token="
        + token_of(client)
    )
    with connect(url, open_timeout=10) as socket:
        yield socket


class Recorder:
    """Collects every message a socket receives, in a background thread."""

    def __init__(self, socket: Connection) -> None:
        self.messages: list[dict[str, Any]] = []
        self._socket = socket
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for raw in self._socket:
                self.messages.append(json.loads(raw))
        except Exception:
            pass

    def jobs(self, job_id: str) -> list[dict[str, Any]]:
        return [m["job"] for m in self.messages if m["type"] == "job" and m["job"]["id"] == job_id]

    def wait_for(self, check: Callable[[], bool], timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while not check():
            assert time.monotonic() < deadline, self.messages[-3:]
            time.sleep(0.05)


def test_a_socket_sees_the_stages_in_order_through_to_completed(
    stack: Stack, user: ApiClient
) -> None:
    with live_socket(stack, user) as socket:
        snapshot = json.loads(socket.recv(timeout=10))
        assert snapshot == {"type": "snapshot", "jobs": []}
        recorder = Recorder(socket)
        job = user.upload_job(("story.txt", long_text(6_000).encode()))
        recorder.wait_for(lambda: any(j["state"] == "completed" for j in recorder.jobs(job["id"])))

    updates = recorder.jobs(job["id"])
    stages = [u["documents"][0]["stage"] for u in updates]
    seen = [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]
    assert [STAGE_ORDER.index(s) for s in seen] == sorted(STAGE_ORDER.index(s) for s in seen)
    assert {"embedding", "done"} <= set(seen)
    done_counts = [u["documents"][0]["chunks_done"] for u in updates if stages and u]
    assert len(set(done_counts)) >= 3, "chunks_done should move visibly while embedding"
    assert updates[-1] == user.job(job["id"])  # the socket and GET agree


def test_one_users_socket_never_sees_another_users_jobs(
    stack: Stack, user: ApiClient, new_user: Callable[..., ApiClient]
) -> None:
    with new_user() as other, live_socket(stack, other) as socket:
        socket.recv(timeout=10)  # the snapshot
        recorder = Recorder(socket)
        job = user.ingest(("private.txt", b"Nobody else should hear about this job."))
        assert job["state"] == "completed"
        time.sleep(0.5)
        assert recorder.jobs(job["id"]) == []


def test_a_bad_token_closes_the_socket_with_4401(stack: Stack) -> None:
    url = stack.settings.endpoints.api.replace("http", "ws", 1) + "/api/v1/ws?token=nope"
    with connect(url) as socket, pytest.raises(Exception) as closed:
        socket.recv(timeout=10)
    assert "4401" in str(closed.value)


def test_cancelling_midway_keeps_the_previous_version(stack: Stack, user: ApiClient) -> None:
    v1 = user.ingest(("guide.txt", b"Version one: the gate code is 4711."))
    document_id = v1["documents"][0]["document_id"]
    # Two large documents, so both lanes are busy (one embedding, one waiting its turn).
    job = user.upload_job(
        ("guide.txt", long_text(40_000, seed=3).encode()),
        ("manual.txt", long_text(40_000, seed=4).encode()),
    )
    deadline = time.monotonic() + 120
    while not any(d["chunks_done"] for d in user.job(job["id"])["documents"]):
        assert time.monotonic() < deadline, "embedding never started"
        time.sleep(0.1)

    asked = time.monotonic()
    response = user.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert response.status_code == 202 and response.json()["state"] in ("cancelling", "cancelled")
    cancelled = user.wait_for_job(job["id"], timeout_s=30)
    took = time.monotonic() - asked

    assert cancelled["state"] == "cancelled" and took <= 10, (cancelled["state"], took)
    assert [d["stage"] for d in cancelled["documents"]] == ["cancelled", "cancelled"]
    document = user.get(f"/api/v1/documents/{document_id}").json()
    assert (document["status"], document["sha256"]) == ("ready", v1["documents"][0]["sha256"])
    store = VectorStore(stack.settings.endpoints.chroma, stack.settings.chroma_collection_prefix)
    owner_id = user.get("/api/v1/me").json()["id"]
    assert list(store.versions_of(owner_id, document_id).values()) == [document["chunks"]]
    new_document_id = cancelled["documents"][1]["document_id"]
    assert store.versions_of(owner_id, new_document_id) == {}
    again = user.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "not_cancellable")


def test_deleting_a_document_while_it_is_ingested_stops_its_run_alone(
    stack: Stack, user: ApiClient
) -> None:
    job = user.upload_job(
        ("doomed.txt", long_text(40_000, seed=6).encode()),
        ("kept.txt", long_text(1_000, seed=7).encode()),
    )
    doomed = job["documents"][0]["document_id"]
    deadline = time.monotonic() + 120
    while not user.job(job["id"])["documents"][0]["chunks_done"]:
        assert time.monotonic() < deadline, "embedding never started"
        time.sleep(0.1)

    assert user.delete(f"/api/v1/documents/{doomed}").status_code == 204
    assert user.get(f"/api/v1/documents/{doomed}").status_code == 404
    finished = user.wait_for_job(job["id"], timeout_s=120)

    assert finished["state"] == "completed", finished
    assert [(d["filename"], d["stage"]) for d in finished["documents"]] == [("kept.txt", "done")]
    store = VectorStore(stack.settings.endpoints.chroma, stack.settings.chroma_collection_prefix)
    owner_id = user.get("/api/v1/me").json()["id"]
    assert store.versions_of(owner_id, doomed) == {}
    cited = user.ask("What does doomed.txt say?")["citations"]
    assert {c["filename"] for c in cited} == {"kept.txt"}
    assert subflow_states(stack, finished["flow_run_id"]) == {
        "doomed.txt": "Cancelled",
        "kept.txt": "Completed",
    }


def test_a_retry_after_a_transient_failure_reuses_the_parsed_document(
    stack: Stack, user: ApiClient
) -> None:
    stack.stop_service("chroma")
    try:
        failed = user.ingest(("flaky.txt", long_text(800, seed=5).encode()), timeout_s=120)
    finally:
        stack.start_service("chroma")
    assert failed["state"] == "failed"
    assert "vector store" in failed["documents"][0]["error"]

    response = user.post(f"/api/v1/jobs/{failed['id']}/retry")
    assert response.status_code == 202
    retried = user.wait_for_job(response.json()["id"])

    assert retried["state"] == "completed" and retried["retry_of"] == failed["id"]
    assert parse_task_states(stack, retried["flow_run_id"]) == ["Cached"]


def test_while_the_vector_store_is_down_questions_are_answered_by_their_words(
    stack: Stack, user: ApiClient
) -> None:
    job = user.ingest(("codes.md", b"# Error codes\n\nQX-4471: the disk quota was exceeded.\n"))
    assert job["state"] == "completed", job
    assert user.ask("What is QX-4471?")["mode"] == "hybrid"
    fallbacks = keyword_fallbacks(user)

    stack.stop_service("chroma")
    try:
        degraded = user.ask("What is QX-4471?")
        dense = user.post("/api/v1/query", json={"question": "QX-4471", "mode": "dense"})
    finally:
        stack.start_service("chroma")

    assert degraded["mode"] == "keyword" and "words alone" in degraded["notice"]
    assert degraded["citations"][0]["filename"] == "codes.md"
    assert 0 < degraded["citations"][0]["score"] <= 1
    assert "[1]" in degraded["answer"]
    assert (dense.status_code, dense.json()["code"]) == (503, "vector_store_unavailable")
    assert keyword_fallbacks(user) == fallbacks + 1
    back = user.ask("What is QX-4471?")
    assert (back["mode"], back["notice"]) == ("hybrid", None)


def keyword_fallbacks(client: ApiClient) -> float:
    metrics = client.get("/metrics").text
    line = next(x for x in metrics.splitlines() if x.startswith("ragline_query_keyword_fallbacks"))
    return float(line.split()[-1])


def test_a_job_says_why_it_waits_when_no_worker_runs(stack: Stack, user: ApiClient) -> None:
    stack.stop_service("worker")
    try:
        job = user.upload_job(("later.txt", b"This waits for a worker to come back."))
        waiting = user.wait_for_job(
            job["id"], timeout_s=15, states=frozenset({"scheduled"}) | {"pending"}
        )
        deadline = time.monotonic() + 10
        while "no ingestion worker" not in (waiting.get("error") or ""):
            assert time.monotonic() < deadline, waiting
            time.sleep(0.2)
            waiting = user.job(job["id"])
    finally:
        stack.start_service("worker")
    assert user.wait_for_job(job["id"], timeout_s=120)["state"] == "completed"


def test_an_upload_while_prefect_is_down_runs_once_it_is_back(
    stack: Stack, user: ApiClient
) -> None:
    stack.stop_service("prefect")
    try:
        response = user.upload(("outbox.txt", b"Accepted while the orchestrator was away."))
        assert response.status_code == 202
        job_id = response.json()["job"]["id"]
        time.sleep(3)
        waiting = user.job(job_id)
        assert waiting["state"] == "scheduled" and "not reachable" in waiting["error"]
    finally:
        stack.start_service("prefect")
    done = user.wait_for_job(job_id, timeout_s=180)
    assert done["state"] == "completed" and done["flow_run_id"]
