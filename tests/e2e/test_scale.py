"""The scaled layout on one machine: two API hosts and two worker hosts that share no disk.

One stack holds the shared services (PostgreSQL, Prefect, Chroma, SeaweedFS, Redis, the mail
sink); each host is a stack of its own with its own data directory, reaching them by URL only,
as separate machines would: uploads through one API are ingested by whichever worker takes the
run, a WebSocket on one API sees progress of an upload made through the other, each job is
mailed once, uploaded files and cached stage results live only in the bucket, and a worker
killed mid-job leaves its documents to the other.
"""

from __future__ import annotations

import json
import mailbox
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import s3fs
from pydantic import SecretStr
from websockets.sync.client import connect

from ragline.s3_storage import fsspec_options
from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack, free_port
from tests.conftest import ADMIN_PASSWORD, log, s3_settings
from tests.e2e.prefect_runs import subflow_states
from tests.e2e.test_faults import resume_of
from tests.e2e.test_live import token_of
from tests.factories.files import long_text

pytestmark = pytest.mark.e2e

QUESTIONS_PER_MINUTE = 5
SHARED = ["postgres", "prefect", "chroma", "mail", "seaweed", "redis", "bootstrap"]


@dataclass
class Layout:
    shared: Stack
    apis: list[Stack]
    workers: list[Stack]

    def client(
        self, api: int, username: str = "admin", password: str = ADMIN_PASSWORD
    ) -> ApiClient:
        return ApiClient.signed_in(self.apis[api].settings.endpoints.api, username, password)


def on_host(shared: Settings, data_dir: Path, **own: object) -> Settings:
    """The shared services as another host sees them: by URL, with a disk of its own."""
    endpoints = shared.endpoints
    return shared.model_copy(
        update={
            "data_dir": data_dir,
            "database_url": endpoints.app_database,
            "prefect_database_url": endpoints.prefect_database,
            "prefect_api_url": endpoints.prefect_api,
            "chroma_url": endpoints.chroma,
            **own,
        }
    )


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layout]:
    shared = s3_settings(
        tmp_path_factory.mktemp("shared"),
        free_port(),
        rate_limit_storage=f"redis://127.0.0.1:{free_port()}",
        # Every API host signs and checks tokens with the same key (docs/DEPLOY.md).
        secret_key=SecretStr("scale-test-signing-secret-of-32-bytes!"),
        rate_limit_default="20000/minute",
        rate_limit_login="5000/minute",
        rate_limit_login_per_user="5000/minute",
        rate_limit_questions=f"{QUESTIONS_PER_MINUTE}/minute",
        # A job's documents run on both worker hosts, four of a user's at a time.
        spread_jobs=True,
        user_documents_in_flight=4,
    )
    with Stack(shared, only=SHARED, echo=log.info) as services:
        hosts = [
            (
                on_host(services.settings, tmp_path_factory.mktemp(f"worker-{n}"), worker_name=n),
                ["worker"],
            )
            for n in ("a", "b")
        ] + [
            (
                on_host(
                    services.settings, tmp_path_factory.mktemp(f"api-{n}"), api_port=free_port()
                ),
                ["api"],
            )
            for n in ("a", "b")
        ]
        stacks = [Stack(settings, only=only, echo=log.info) for settings, only in hosts]
        started: list[Stack] = []
        try:
            for stack in stacks:  # the APIs are ready once a worker polls: workers first
                started.append(stack.__enter__())
            yield Layout(services, apis=started[2:], workers=started[:2])
        finally:
            for stack in reversed(started):
                stack.__exit__(None, None, None)


def worker_of(layout: Layout, job_id: str) -> int | None:
    """Which worker host ran ``job_id`` (0 or 1), from the line each run logs when it starts."""
    for n, worker in enumerate(layout.workers):
        log_file = worker.settings.paths.logs / "worker.log"
        if log_file.exists() and f"job {job_id} " in log_file.read_text(errors="replace"):
            return n
    return None


def documents_on(layout: Layout, job_id: str) -> list[list[str]]:
    """The versions of ``job_id`` each worker host ran as runs of their own (flows/spread.py)."""
    found = []
    for worker in layout.workers:
        log_file = worker.settings.paths.logs / "worker.log"
        text = log_file.read_text(errors="replace") if log_file.exists() else ""
        found.append(re.findall(rf"document (\w+) of job {job_id}", text))
    return found


def mails_about(layout: Layout, job_id: str) -> int:
    maildir = mailbox.Maildir(layout.shared.settings.paths.data / "mail", create=False)
    return sum(job_id in (message.get_payload(decode=False) or "") for message in maildir)


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def assert_files_and_results_only_in_the_bucket(
    layout: Layout, documents: list[dict[str, Any]]
) -> None:
    settings = layout.shared.settings
    bucket = s3fs.S3FileSystem(**fsspec_options(settings), skip_instance_cache=True)
    stored = {key.rsplit("/", 1)[1] for key in bucket.find(settings.storage.key("files"))}
    assert {d["sha256"] for d in documents} <= stored
    assert bucket.find(settings.storage.key("prefect-results"))  # the cached stages
    for host in [*layout.apis, *layout.workers]:  # no host kept a file or a cached result
        data = host.settings.paths.data
        assert files_under(data / "files") == files_under(data / "incoming") == []
        assert files_under(data / "prefect" / "storage") == []


def test_jobs_through_both_apis_spread_over_both_workers_and_are_answered_by_either(
    layout: Layout,
) -> None:
    with layout.client(0) as admin:
        for n in range(4):
            admin.create_user(f"scale{n}", f"scale{n}-password", email=f"scale{n}@example.org")
    users = [layout.client(n % 2, f"scale{n}", f"scale{n}-password") for n in range(4)]
    socket_url = (
        layout.apis[1].settings.endpoints.api.replace("http", "ws", 1)
        + f"/api/v1/ws?token={token_of(users[0])}"
    )
    seen_on_b: list[dict[str, Any]] = []
    with connect(socket_url, open_timeout=10, ping_interval=None) as socket:
        json.loads(socket.recv(timeout=10))  # the snapshot

        def listen() -> None:
            while True:
                try:
                    message = json.loads(socket.recv(timeout=120))
                except Exception:
                    return
                if message["type"] == "job":  # heartbeats come after 15 s of quiet
                    seen_on_b.append(message["job"])

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        jobs = [
            user.upload_job(
                *(
                    (
                        f"part{n}-{k}.txt",
                        f"Shelf {n}-{k} holds {long_text(2_000, seed=10 * n + k)}".encode(),
                    )
                    for k in range(3)
                )
            )
            for n, user in enumerate(users)
        ]
        done = [
            user.wait_for_job(job["id"], timeout_s=600)
            for user, job in zip(users, jobs, strict=True)
        ]
        socket.close()
        listener.join(timeout=10)

    assert [job["state"] for job in done] == ["completed"] * 4, done
    # An upload made through API a, followed live on a socket of API b.
    stages = {d["stage"] for j in seen_on_b if j["id"] == jobs[0]["id"] for d in j["documents"]}
    assert {"embedding", "done"} <= stages, stages
    ran_on = {worker_of(layout, job["id"]) for job in jobs}
    assert ran_on == {0, 1}, ran_on  # each worker host ingested some
    for n, user in enumerate(users):  # answered through the API the user did not upload to
        with layout.client(1 - n % 2, f"scale{n}", f"scale{n}-password") as other_api:
            answer = other_api.ask(f"What does shelf {n}-1 hold?")
        assert answer["citations"][0]["filename"].startswith(f"part{n}-")
        user.close()
    assert_files_and_results_only_in_the_bucket(
        layout, [d for job in done for d in job["documents"]]
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(mails_about(layout, j["id"]) == 0 for j in jobs):
        time.sleep(0.5)
    assert [mails_about(layout, job["id"]) for job in jobs] == [1, 1, 1, 1]  # once, not twice


def test_a_worker_host_killed_mid_job_leaves_the_job_to_the_other(layout: Layout) -> None:
    with layout.client(0) as admin:
        job = admin.upload_job(("long.txt", long_text(15_000, seed=3).encode()))
        deadline = time.monotonic() + 300
        while (host := worker_of(layout, job["id"])) is None or admin.job(job["id"])["documents"][
            0
        ]["stage"] not in {"embedding", "storing"}:
            assert time.monotonic() < deadline, admin.job(job["id"])
            time.sleep(0.2)
        layout.workers[host].kill_service("worker")  # as if its host died
        try:
            crashed = admin.wait_for_job(job["id"], timeout_s=60)
            assert crashed["state"] == "crashed", crashed
            resumed = resume_of(admin, job["id"])
            done = admin.wait_for_job(resumed["id"], timeout_s=600)
        finally:
            layout.workers[host].start_service("worker")
    assert done["state"] == "completed", done
    assert worker_of(layout, resumed["id"]) == 1 - host  # finished by the other host


def test_one_big_job_is_split_over_both_workers(layout: Layout) -> None:
    files = [
        (f"shelf-{k}.txt", f"Box {k} holds {long_text(300, seed=k)}".encode()) for k in range(16)
    ]
    with layout.client(0) as admin:
        job = admin.upload_job(*files)
        done = admin.wait_for_job(job["id"], timeout_s=600)
    assert done["state"] == "completed", done
    on_a, on_b = documents_on(layout, job["id"])
    assert on_a and on_b, (len(on_a), len(on_b))  # each worker host ingested some
    assert sorted(on_a + on_b) == sorted(d["version_id"] for d in done["documents"])  # once each


def test_a_worker_host_killed_under_a_spread_job_leaves_its_documents_to_the_other(
    layout: Layout,
) -> None:
    files = [(f"tome-{k}.txt", long_text(15_000, seed=100 + k).encode()) for k in range(4)]
    with layout.client(0) as admin:
        job = admin.upload_job(*files)
        deadline = time.monotonic() + 300
        while True:  # a document embedding on the host that does not run the job itself
            assert time.monotonic() < deadline, admin.job(job["id"])
            parent = worker_of(layout, job["id"])
            stages = {d["version_id"]: d["stage"] for d in admin.job(job["id"])["documents"]}
            if parent is not None:
                other = 1 - parent
                lost = [
                    v for v in documents_on(layout, job["id"])[other] if stages[v] == "embedding"
                ]
                if lost:
                    break
            time.sleep(0.2)
        layout.workers[other].kill_service("worker")  # as if its host died
        try:
            done = admin.wait_for_job(job["id"], timeout_s=600)
        finally:
            layout.workers[other].start_service("worker")
    assert done["state"] == "completed", done  # the job itself never crashed
    assert lost[0] in documents_on(layout, job["id"])[parent]  # finished by the other host


def test_the_rate_limit_is_shared_by_both_apis(layout: Layout) -> None:
    with layout.client(0) as admin:
        admin.create_user("asker", "asker-password")
    clients = [layout.client(n, "asker", "asker-password") for n in (0, 1)]
    try:
        answers = [
            clients[n % 2].post("/api/v1/query", json={"question": "What does box 3 hold?"})
            for n in range(QUESTIONS_PER_MINUTE + 1)
        ]
    finally:
        for client in clients:
            client.close()
    assert [a.status_code for a in answers[:-1]] == [200] * QUESTIONS_PER_MINUTE
    refused = answers[-1]  # by API b, after questions asked through both
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()["code"] == "rate_limited"


def test_cancelling_a_spread_job_stops_its_documents_on_every_worker(layout: Layout) -> None:
    files = [(f"atlas-{k}.txt", long_text(15_000, seed=200 + k).encode()) for k in range(4)]
    with layout.client(1) as admin:
        job = admin.upload_job(*files)
        deadline = time.monotonic() + 300
        while not any(d["stage"] == "embedding" for d in admin.job(job["id"])["documents"]):
            assert time.monotonic() < deadline, admin.job(job["id"])
            time.sleep(0.2)
        response = admin.post(f"/api/v1/jobs/{job['id']}/cancel")
        assert response.status_code == 202, response.text
        cancelled = admin.wait_for_job(job["id"], timeout_s=30)
        assert cancelled["state"] == "cancelled", cancelled
        deadline = time.monotonic() + 30  # each worker's runner stops the child it runs
        while True:
            children = subflow_states(layout.shared, cancelled["flow_run_id"])
            if set(children.values()) <= {"Completed", "Cancelled"}:
                break
            assert time.monotonic() < deadline, children
            time.sleep(0.5)
        stopped = admin.job(job["id"])
        time.sleep(3)  # nothing a stopped child did goes live afterwards
        after = admin.job(job["id"])
    done = [d["filename"] for d in stopped["documents"] if d["stage"] == "done"]
    assert [d["filename"] for d in after["documents"] if d["stage"] == "done"] == done
    assert len(done) < len(files), after
