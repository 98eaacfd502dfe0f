"""documentversion.heartbeat_at: the last beat of a version's own run, when a job's
documents run on several workers

Revision ID: 0012
Revises: 0011
Created: 2026-12-03 17:12:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "documentversion", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("documentversion", "heartbeat_at")
