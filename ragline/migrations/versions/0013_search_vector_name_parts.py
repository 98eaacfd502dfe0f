"""chunktext.search_vector also holds the parts of compound names ("statsmodels-nile.csv",
"na.locf", "Apr-1-1999"), which PostgreSQL's parser keeps whole

A question naming a part ("the Nile data", "locf", "1999") then finds the chunk. Only names
with a dot, slash or colon, or a hyphen beside a digit, are split: PostgreSQL already indexes
a hyphenated word's parts, which would otherwise count twice. The column is computed again
for every stored row (one rewrite of the table).

Revision ID: 0013
Revises: 0012
Created: 2026-12-04 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_NAME_PARTS = r"""
CREATE OR REPLACE FUNCTION with_name_parts(body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT body || coalesce(' ' || (
    SELECT string_agg(regexp_replace(name[1], '[-_./:]+', ' ', 'g'), ' ')
    FROM regexp_matches(body, '([[:alnum:]]+(?:[-_./:]+[[:alnum:]]+)+)', 'g') AS name
    WHERE name[1] ~ '[[:alpha:]]' AND name[1] ~ '[./:]|[0-9]-|-[0-9]'
), '')
$$
"""


def _search_vector(expression: str) -> None:
    op.drop_index("ix_chunktext_search_vector", table_name="chunktext", postgresql_using="gin")
    op.drop_column("chunktext", "search_vector")
    op.add_column(
        "chunktext",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(expression, persisted=True),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_chunktext_search_vector", "chunktext", ["search_vector"], postgresql_using="gin"
    )


def upgrade() -> None:
    op.execute(WITH_NAME_PARTS)
    _search_vector("to_tsvector('english', with_name_parts(text))")


def downgrade() -> None:
    _search_vector("to_tsvector('english', text)")
    op.execute("DROP FUNCTION with_name_parts(text)")
