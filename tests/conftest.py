"""Shared fixtures.

``stack``: the real local stack (PostgreSQL, Prefect, Chroma, mail sink, worker, API: whichever
exist), started once per test session on a temporary data directory and free ports, through the
same :class:`scripts.stack.Stack` as ``make run``. Only tests that request it pay for it; mark
them ``@pytest.mark.e2e``. The first admin is ``admin`` / :data:`ADMIN_PASSWORD`.

``seaweed``: a real S3 server (SeaweedFS, ``weed server -s3``) alone, started once per session
through the same service as ``make run`` starts; its settings point s3:// storage at it.

``postgres``: a real PostgreSQL alone (started in about a second), for the domain's database
logic and in-process route tests; ``database_url`` is a fresh database in it per test, and
``engine`` the same with ragline's tables. Not end-to-end: no Prefect, Chroma or worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from ragline.db import engine_for, migrate
from ragline.settings import Settings
from scripts import postgres as postgres_module
from scripts import stack as stack_module
from scripts.stack import Stack

ADMIN_PASSWORD = "e2e-admin-password"
log = logging.getLogger("tests.stack")


def throwaway_settings(data_dir: object, **overrides: object) -> Settings:
    """Settings for a throw-away stack: its own data directory, free ports, a known admin."""
    return stack_module.throwaway_settings(data_dir, ADMIN_PASSWORD, **overrides)


@pytest.fixture(scope="session")
def stack_settings() -> Callable[..., Settings]:
    """``stack_settings(data_dir, **overrides)``: settings for a stack of a test's own."""
    return throwaway_settings


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running stack; ``stack.settings`` and ``stack.urls()`` say where everything is."""
    # A small upload limit keeps the oversize-upload test quick; the rate limits are for
    # people, not for tests that write 200 times in a row (their own tests set them).
    settings = throwaway_settings(
        tmp_path_factory.mktemp("stack"),
        max_upload_mb=8,
        rate_limit_default="20000/minute",
        rate_limit_upload="5000/minute",
        rate_limit_login="5000/minute",
        rate_limit_login_per_user="5000/minute",
        rate_limit_websocket="5000/minute",
        rate_limit_questions="5000/minute",
        rate_limit_upload_bytes=1024**4,
        jobs_in_flight_per_user=5000,
    )
    with Stack(settings, echo=log.info) as running:
        yield running


S3_ACCESS_KEY = "ragline-test"
S3_SECRET_KEY = "ragline-test-secret"


def s3_settings(data_dir: object, s3_port: int, **overrides: object) -> Settings:
    """Throw-away settings whose storage is a bucket on the SeaweedFS at ``s3_port``."""
    return throwaway_settings(
        data_dir,
        **{
            "storage_url": "s3://ragline-test/stack",
            "s3_endpoint_url": f"http://127.0.0.1:{s3_port}",
            "s3_access_key_id": S3_ACCESS_KEY,
            "s3_secret_access_key": SecretStr(S3_SECRET_KEY),
            **overrides,
        },
    )


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A SeaweedFS of the session's own, its bucket created; its settings point at it."""
    settings = s3_settings(tmp_path_factory.mktemp("seaweed"), stack_module.free_port())
    with Stack(settings, only=["seaweed"], echo=log.info):
        yield settings


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A PostgreSQL of the session's own; its settings point at it."""
    settings = throwaway_settings(tmp_path_factory.mktemp("postgres"))
    with Stack(settings, only=["postgres"], echo=log.info):
        yield settings


@pytest.fixture
def database_url(postgres: Settings) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"test_{uuid4().hex[:12]}"
    url = postgres_module.create_database(postgres, name)
    yield url
    engine_for(url).dispose()
    postgres_module.drop_database(postgres, name)


@pytest.fixture
def engine(database_url: str) -> Engine:
    """An engine on a new database with ragline's tables."""
    engine = engine_for(database_url)
    migrate(engine)
    return engine
