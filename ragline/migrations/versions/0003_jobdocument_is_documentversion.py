"""The table of document versions is named for what it holds: jobdocument → documentversion

A rename only: rows, keys and the chunk-text rows that reference versions are untouched.

Revision ID: 0003
Revises: 0002
Created: 2026-12-02 20:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = ("document_id", "job_id")


def upgrade() -> None:
    op.rename_table("jobdocument", "documentversion")
    op.execute(
        "ALTER TABLE documentversion RENAME CONSTRAINT jobdocument_pkey TO documentversion_pkey"
    )
    for column in _INDEXES:
        op.execute(f"ALTER INDEX ix_jobdocument_{column} RENAME TO ix_documentversion_{column}")


def downgrade() -> None:
    for column in _INDEXES:
        op.execute(f"ALTER INDEX ix_documentversion_{column} RENAME TO ix_jobdocument_{column}")
    op.execute(
        "ALTER TABLE documentversion RENAME CONSTRAINT documentversion_pkey TO jobdocument_pkey"
    )
    op.rename_table("documentversion", "jobdocument")
