"""The database engine, sessions and schema migrations for ragline's own tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import Session, create_engine

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
    return engine_for(settings.endpoints.app_database)


MIGRATIONS = Path(__file__).parent / "migrations"
# The schema as the first release created it (with ``create_all``, before migrations).
BASELINE_REVISION = "0001"
# Held while migrating: the bootstrap and the API may start at the same moment.
_MIGRATION_LOCK_KEY = 0x7261676C  # "ragl"


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Brings ragline's tables to the latest schema; safe from several processes at once.

    One transaction: PostgreSQL's DDL is transactional, so a migration that fails leaves
    the schema as it was. A database created before migrations existed is adopted as the
    baseline revision first.
    """
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        config = alembic_config(connection)
        tables = set(inspect(connection).get_table_names())
        if "job" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")


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
