"""Shared fixtures.

``stack``: the real local stack (PostgreSQL, Prefect, Chroma, mail sink, worker, API: whichever
exist), started once per test session on a temporary data directory and free ports, through the
same :class:`scripts.stack.Stack` as ``make run``. Only tests that request it pay for it; mark
them ``@pytest.mark.e2e``. The first admin is ``admin`` / :data:`ADMIN_PASSWORD`.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator

import pytest
from pydantic import SecretStr

from ragline.settings import Settings
from scripts.stack import Stack

ADMIN_PASSWORD = "e2e-admin-password"
log = logging.getLogger("tests.stack")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def throwaway_settings(data_dir: object, **overrides: object) -> Settings:
    """Settings for a throw-away stack: its own data directory, free ports, a known admin."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "api_port": free_port(),
        "postgres_port": free_port(),
        "prefect_port": free_port(),
        "chroma_port": free_port(),
        "smtp_port": free_port(),
        "admin_password": SecretStr(ADMIN_PASSWORD),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def stack_settings() -> Callable[..., Settings]:
    """``stack_settings(data_dir, **overrides)``: settings for a stack of a test's own."""
    return throwaway_settings


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running stack; ``stack.settings`` and ``stack.urls()`` say where everything is."""
    # A small upload limit keeps the oversize-upload test quick.
    settings = throwaway_settings(tmp_path_factory.mktemp("stack"), max_upload_mb=8)
    with Stack(settings, echo=log.info) as running:
        yield running
