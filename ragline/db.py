"""The database engine and sessions for ragline's own tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, create_engine

from ragline import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from ragline.settings import Settings


@cache
def engine_for(url: str) -> Engine:
    # pool_pre_ping: the database may restart under a long-lived API process.
    # Sessions in UTC, so every timestamp read back is UTC whatever the server's zone.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"options": "-c timezone=utc"},
    )


def get_engine(settings: Settings) -> Engine:
    return engine_for(settings.app_database_url)


def create_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
