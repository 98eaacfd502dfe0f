"""Chunk text for keyword (BM25) search, beside the vector store's dense search

Documents ingested before this revision have no rows until they are stored again: the
index key changed with it, so the next re-ingestion stores every document once more
(parsing, chunking and embedding come from the cache).

Revision ID: 0002
Revises: 0001
Created: 2026-11-29 17:31:59.891633
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chunktext",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("document_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("heading", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('english', text)", persisted=True),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["jobdocument.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_chunktext_document_id"), "chunktext", ["document_id"], unique=False)
    op.create_index(
        "ix_chunktext_search_vector",
        "chunktext",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(op.f("ix_chunktext_version_id"), "chunktext", ["version_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_chunktext_version_id"), table_name="chunktext")
    op.drop_index("ix_chunktext_search_vector", table_name="chunktext", postgresql_using="gin")
    op.drop_index(op.f("ix_chunktext_document_id"), table_name="chunktext")
    op.drop_table("chunktext")
