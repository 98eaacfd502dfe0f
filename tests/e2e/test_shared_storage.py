"""s3:// storage with the API and the worker on data directories of their own, as on two hosts.

Three stacks on one machine, each with its own DATA_DIR and reaching the others only by URL:
the shared services (PostgreSQL, Prefect, Chroma, SeaweedFS), a worker, and the API. The
worker can parse an upload only by reading it from the bucket, since the API's disk is not
its own; the stage results it caches go to the bucket too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import s3fs

from ragline.s3_storage import fsspec_options
from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack, free_port
from tests.conftest import ADMIN_PASSWORD, log, s3_settings
from tests.factories.files import make_docx

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
        worker = on_host(shared, tmp_path_factory.mktemp("worker-host"))
        api = on_host(shared, tmp_path_factory.mktemp("api-host"))
        with (
            Stack(worker, only=["worker"], echo=log.info) as worker_host,
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
