"""Shared fixtures.

``stack``: the real local stack (PostgreSQL, Prefect, Chroma, mail sink, worker, API: whichever
exist), started once per test session on a temporary data directory and free ports, through the
same :class:`scripts.stack.Stack` as ``make run``. Only tests that request it pay for it; mark
them ``@pytest.mark.e2e``. The first admin is ``admin`` / :data:`ADMIN_PASSWORD`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from ragline.settings import Settings
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
    # A small upload limit keeps the oversize-upload test quick.
    settings = throwaway_settings(tmp_path_factory.mktemp("stack"), max_upload_mb=8)
    with Stack(settings, echo=log.info) as running:
        yield running
