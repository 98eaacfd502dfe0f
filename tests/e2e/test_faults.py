"""Faults on the real stack: nothing a user was told is saved is lost, nothing is left half
written, and every job ends with a sentence. After each, the consistency check finds the
database, Chroma and the keyword index in agreement for the user's documents."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.e2e.conftest import flow_run_processes
from tests.e2e.prefect_runs import parse_task_states
from tests.factories.files import long_text

pytestmark = pytest.mark.e2e


def owner_of(client: ApiClient) -> str:
    return str(client.get("/api/v1/me").json()["id"])


def assert_consistent(admin: ApiClient, owner_id: str) -> None:
    report = admin.get("/api/v1/admin/consistency").json()
    mine = [d for d in report["differences"] if d["owner_id"] == owner_id]
    assert mine == [], mine


def wait_until_embedding(client: ApiClient, job_id: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not any(d["chunks_done"] for d in client.job(job_id)["documents"]):
        assert time.monotonic() < deadline, "embedding never started"
        time.sleep(0.1)


def resume_of(client: ApiClient, job_id: str) -> dict[str, Any]:
    """The job that resumed ``job_id`` after its crash."""
    found = [j for j in client.get("/api/v1/jobs").json()["data"] if j["retry_of"] == job_id]
    assert len(found) == 1, found
    return dict(found[0])


def test_a_worker_killed_mid_embedding_crashes_its_job_which_resumes_once_from_the_cache(
    stack: Stack, user: ApiClient, admin: ApiClient
) -> None:
    v1 = user.ingest(("pump.txt", b"Version one: the pump runs at forty litres per minute."))
    document_id = v1["documents"][0]["document_id"]
    job = user.upload_job(
        ("pump.txt", long_text(30_000, seed=11).encode()),
        ("valve.txt", long_text(2_000, seed=12).encode()),
    )
    wait_until_embedding(user, job["id"])

    killed = time.monotonic()
    stack.kill_service("worker")  # the worker and its runs, at once, as if its host died
    try:
        crashed = user.wait_for_job(job["id"], timeout_s=30)
        took = time.monotonic() - killed
        assert crashed["state"] == "crashed" and took < 30, (took, crashed)
        assert "resumed automatically" in crashed["error"]
        # Meanwhile the previous version serves, whole.
        assert "forty litres" in user.ask("How fast does the pump run?")["answer"]
        resumed = resume_of(user, job["id"])
        assert resumed["state"] == "scheduled"
    finally:
        stack.start_service("worker")

    done = user.wait_for_job(resumed["id"], timeout_s=300)
    assert done["state"] == "completed", done
    assert {d["filename"] for d in done["documents"]} <= {"pump.txt", "valve.txt"}
    assert "Cached" in parse_task_states(stack, done["flow_run_id"])  # parsed before the kill
    assert (
        user.get(f"/api/v1/documents/{document_id}").json()["chunks"]
        > v1["documents"][0]["chunks_total"]
    )
    assert_consistent(admin, owner_of(user))


def test_a_resumed_job_that_crashes_again_fails_for_good_with_a_sentence(
    stack: Stack, user: ApiClient, admin: ApiClient
) -> None:
    job = user.upload_job(("big.txt", long_text(30_000, seed=13).encode()))
    wait_until_embedding(user, job["id"])
    for process in flow_run_processes(stack):
        process.send_signal(signal.SIGKILL)
    first = user.wait_for_job(job["id"], timeout_s=60)
    assert first["state"] == "crashed" and "resumed automatically" in first["error"]

    resumed = resume_of(user, job["id"])
    wait_until_embedding(user, resumed["id"], timeout_s=180)
    for process in flow_run_processes(stack):
        process.send_signal(signal.SIGKILL)
    second = user.wait_for_job(resumed["id"], timeout_s=60)

    assert second["state"] == "crashed"
    assert "again" in second["error"] and "retry the job yourself" in second["error"]
    time.sleep(3)  # the reconciler had time to start a third job, and must not have
    assert [
        j for j in user.get("/api/v1/jobs").json()["data"] if j["retry_of"] == resumed["id"]
    ] == []
    assert user.post(f"/api/v1/jobs/{resumed['id']}/retry").status_code == 202  # by hand: yes
    assert_consistent(admin, owner_of(user))


def test_a_postgresql_restart_mid_job_loses_nothing(
    stack: Stack, user: ApiClient, admin: ApiClient
) -> None:
    job = user.upload_job(("long.txt", long_text(20_000, seed=14).encode()))
    wait_until_embedding(user, job["id"])

    stack.stop_service("postgres")
    try:
        # Long enough for the worker's polls to fail several times in a row (Prefect's
        # database is down too): it must keep polling, not give up.
        time.sleep(6)
        # The API says the database is unavailable, never a bare 500.
        assert user.get("/api/v1/jobs").status_code == 503
    finally:
        stack.start_service("postgres")

    final = _finally_completed(user, job["id"])
    assert final["documents"][0]["stage"] == "done"
    after = user.ingest(("after.txt", b"Uploaded after the database came back."), timeout_s=120)
    assert after["state"] == "completed", after
    assert_consistent(admin, owner_of(user))


def test_a_prefect_restart_mid_job_and_during_uploads_loses_nothing(
    stack: Stack, user: ApiClient, admin: ApiClient
) -> None:
    running = user.upload_job(("during.txt", long_text(20_000, seed=15).encode()))
    wait_until_embedding(user, running["id"])

    stack.stop_service("prefect")
    try:
        accepted = [
            user.upload((f"while-down-{n}.txt", f"Uploaded while down {n}.".encode()))
            for n in range(3)
        ]
        assert [r.status_code for r in accepted] == [202, 202, 202]
    finally:
        stack.start_service("prefect")

    for job_id in [running["id"], *(r.json()["job"]["id"] for r in accepted)]:
        assert _finally_completed(user, job_id)["state"] == "completed"
    assert "Uploaded while down 2" in user.ask("What was uploaded while down 2?")["answer"]
    # The worker's cancellation observer gave up while the server was down; a new one hears.
    doomed = user.upload_job(("doomed.txt", long_text(40_000, seed=16).encode()))
    wait_until_embedding(user, doomed["id"])
    assert user.post(f"/api/v1/jobs/{doomed['id']}/cancel").status_code == 202
    assert user.wait_for_job(doomed["id"], timeout_s=30)["state"] == "cancelled"
    assert_consistent(admin, owner_of(user))


def _finally_completed(client: ApiClient, job_id: str) -> dict[str, Any]:
    """The job, or the job that resumed it after a crash, once completed."""
    job = client.wait_for_job(job_id, timeout_s=300)
    if job["state"] == "crashed":
        job = client.wait_for_job(resume_of(client, job_id)["id"], timeout_s=300)
    assert job["state"] == "completed", job
    return job
