"""Fixtures for the domain's tests that need the real PostgreSQL (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from ragline import compat
from ragline.db import engine_for


def pytest_configure(config: pytest.Config) -> None:
    # These tests parse in this process: keep unstructured quiet as ragline.warmup does for
    # the processes that parse in production.
    compat.quiet_libraries()


@pytest.fixture
def scratch(database_url: str) -> Engine:
    """An engine on a new database with no tables at all."""
    return engine_for(database_url)
