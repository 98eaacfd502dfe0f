"""Fixtures for the domain's tests that need the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy import Engine, create_engine, text

from ragline.db import engine_for, migrate
from scripts.stack import Stack


@pytest.fixture
def scratch(stack: Stack) -> Iterator[Engine]:
    """An engine on an empty schema of its own in the app database, dropped afterwards."""
    url = stack.settings.app_database_url
    schema = f"scratch_{uuid4().hex[:12]}"
    with engine_for(url).begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"options": f"-c search_path={schema}"})
    yield engine
    engine.dispose()
    with engine_for(url).begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def engine(scratch: Engine) -> Engine:
    """``scratch`` with the app's tables."""
    migrate(scratch)
    return scratch
