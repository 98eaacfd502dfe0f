"""A job's run beats (heartbeat_at), and a crashed job is resumed once (resumes)

Revision ID: 0005
Revises: 0004
Created: 2026-12-02 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("job", sa.Column("resumes", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("job", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("job", "heartbeat_at")
    op.drop_column("job", "resumes")
