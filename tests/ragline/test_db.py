"""Schema migrations, on the test stack's real PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from ragline.db import BASELINE_REVISION, MIGRATIONS, alembic_config, migrate

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def version_of(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    # A model changed without a migration (`make migration`) shows up here.
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    assert version_of(engine) == HEAD


def test_a_database_created_before_migrations_is_adopted(scratch: Engine) -> None:
    # The first release's tables (revision 0001's schema), with no record of a revision.
    with scratch.begin() as connection:
        command.upgrade(alembic_config(connection), BASELINE_REVISION)
        connection.execute(text("DROP TABLE alembic_version"))

    migrate(scratch)
    migrate(scratch)  # every later start: nothing to do

    assert version_of(scratch) == HEAD


def test_processes_starting_together_migrate_once(scratch: Engine) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda _: migrate(scratch), range(3)))

    assert version_of(scratch) == HEAD
    with scratch.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
