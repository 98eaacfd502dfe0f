"""s3:// storage with the API and the worker on data directories of their own, as on two hosts.

Three stacks on one machine, each with its own DATA_DIR and reaching the others only by URL:
the shared services (PostgreSQL, Prefect, Chroma, SeaweedFS), a worker, and the API. The
worker can parse an upload only by reading it from the bucket, since the API's disk is not
its own; the stage results it caches go to the bucket too. The worker host runs two workers
(``RAGLINE_WORKERS=2``, as ``make run WORKERS=2`` does), each taking one job at a time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import s3fs

from ragline.s3_storage import fsspec_options
from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack, free_port
from tests.conftest import ADMIN_PASSWORD, log, s3_settings
from tests.factories.files import long_text, make_docx

pytestmark = pytest.mark.e2e

SHARED = ["postgres", "prefect", "chroma", "seaweed", "bootstrap"]


def on_host(shared: Settings, data_dir: Path) -> Settings:
    """The shared services' settings as another host sees them: by URL, with its own disk."""
    endpoints = shared.endpoints
    return shared.model_copy(
        update={
            "data_dir": data_dir,
            "database_url": endpoints.app_database,
            "prefect_database_url": endpoints.prefect_database,
            "prefect_api_url": endpoints.prefect_api,
            "chroma_url": endpoints.chroma,
        }
    )


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Stack, Stack]]:
    shared = s3_settings(tmp_path_factory.mktemp("shared"), free_port())
    with Stack(shared, only=SHARED, echo=log.info) as services:
        # Only now: the database's password is made when PostgreSQL is first started.
        worker = on_host(shared, tmp_path_factory.mktemp("worker-host")).model_copy(
            update={"workers": 2, "max_concurrent_runs": 1, "worker_name": "worker-host"}
        )
        api = on_host(shared, tmp_path_factory.mktemp("api-host"))
        with (
            Stack(worker, only=["worker", "worker-2"], echo=log.info) as worker_host,
            Stack(api, only=["api"], echo=log.info) as api_host,  # ready once a worker polls
        ):
            yield services, worker_host, api_host


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_to_one_host_is_ingested_on_another_and_answered(
    hosts: tuple[Stack, Stack, Stack], tmp_path: Path
) -> None:
    services, worker_host, api_host = hosts
    docx = make_docx(
        tmp_path / "lighthouse.docx",
        [("h1", "Keepers"), ("p", "The lighthouse keeper winds the clockwork lamp at dusk.")],
    )
    with ApiClient.signed_in(api_host.settings.endpoints.api, "admin", ADMIN_PASSWORD) as admin:
        job = admin.ingest(docx, ("tides.md", b"# Tides\n\nSpring tides follow the full moon.\n"))
        assert job["state"] == "completed", job
        answer = admin.ask("Who winds the clockwork lamp?")
    assert answer["citations"][0]["filename"] == "lighthouse.docx"

    settings = services.settings
    bucket = s3fs.S3FileSystem(**fsspec_options(settings), skip_instance_cache=True)
    stored = bucket.find(settings.storage.key("files"))
    assert sorted(key.rsplit("/", 1)[1] for key in stored) == sorted(
        d["sha256"] for d in job["documents"]
    )
    assert bucket.find(settings.storage.key("prefect-results"))  # the cached stages
    for host in (worker_host, api_host):  # neither kept a file, nor a cached result
        data = host.settings.paths.data
        assert files_under(data / "files") == files_under(data / "incoming") == []
        assert files_under(data / "prefect" / "storage") == []


def test_two_workers_on_one_host_each_take_jobs_under_a_limit_of_their_own(
    hosts: tuple[Stack, Stack, Stack],
) -> None:
    """A job's run goes to a free worker: with one busy on a long document, the other
    takes the next job, and each counts its documents in flight under its own name."""
    _, worker_host, api_host = hosts
    with ApiClient.signed_in(api_host.settings.endpoints.api, "admin", ADMIN_PASSWORD) as admin:
        long_job = admin.upload_job(("long.txt", long_text(12000, seed=3).encode()))
        time.sleep(3)  # its run has started on one worker, which takes no other job meanwhile
        short = admin.ingest(("short.md", b"# Owls\n\nOwls hunt at night.\n"), timeout_s=180)
        assert short["state"] == "completed", short
        assert admin.wait_for_job(long_job["id"], 300)["state"] == "completed"
    limits = httpx.post(
        f"{worker_host.settings.endpoints.prefect_api}/v2/concurrency_limits/filter",
        json={"limit": 200},
    ).json()
    names = {limit["name"] for limit in limits}
    assert {"ragline-worker-worker-host", "ragline-worker-worker-host-2"} <= names
