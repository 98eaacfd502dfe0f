"""Alembic's entry point: runs the migrations on the connection ``ragline.db`` hands over."""

from alembic import context
from sqlmodel import SQLModel

from ragline import models  # noqa: F401  (registers the tables on SQLModel.metadata)

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=SQLModel.metadata,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
