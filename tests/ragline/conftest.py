"""Fixtures for the domain's tests that need the real PostgreSQL (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from ragline.db import engine_for


@pytest.fixture
def scratch(database_url: str) -> Engine:
    """An engine on a new database with no tables at all."""
    return engine_for(database_url)
