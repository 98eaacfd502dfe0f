"""A job records whether a re-ingestion skips unchanged documents (it crosses the outbox)

Revision ID: 0004
Revises: 0003
Created: 2026-12-02 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "job", sa.Column("only_changed", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.alter_column("job", "only_changed", server_default=None)


def downgrade() -> None:
    op.drop_column("job", "only_changed")
