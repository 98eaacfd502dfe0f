"""Keyword search over the chunks' text: BM25, computed by PostgreSQL.

Dense retrieval finds passages that mean what the question means, but a small embedding
model knows little of the exact words people search documentation for: option and
function names, error codes, product names, numbers. A keyword index finds those, and
the two rankings are fused (``ragline.answering``).

Each stored chunk's text is a row of :class:`~ragline.models.ChunkText`, with a search
vector PostgreSQL computes (English stemming and stop words) and a GIN index. Rows belong
to a version like the vector store's chunks do: they are written before the version goes
live, only the live version's rows are searched, and the switch deletes the others in the
same transaction that makes the new version live.

PostgreSQL's parser keeps a compound name whole: "statsmodels-nile.csv", "na.locf",
"Apr-1-1999" are one word each. Chunks and questions both pass through the SQL function
``with_name_parts`` first, which adds each such name's parts, so "the Nile data" finds the
file's chunks (their context line names the file) and "na.locf" still matches whole.

Ranking is Okapi BM25 over the owner's live chunks. PostgreSQL's own ``ts_rank`` weighs
every word alike, so a question's common words ("install", "file") would count as much as
its rare ones ("--no-deps"); BM25 weighs each by how few chunks contain it. Every chunk
holding any of the question's words is a candidate, so a word's document frequency is
exactly the number of candidates that hold it. In a large corpus, words found in more than
a tenth of all chunks (PostgreSQL's column statistics say which) do not make a chunk a
candidate on their own, and their frequency comes from those statistics: otherwise a
question of common words would rank most of the corpus, for words that weigh next to
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, text
from sqlmodel import Session, col

from ragline.documents import Chunk
from ragline.models import SEARCH_CONFIG, WITH_NAME_PARTS, ChunkText
from ragline.vectorstore import StoredChunk, chunk_id

# Okapi BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# In a corpus above SMALL_CORPUS chunks, words in more than COMMON_SHARE of all chunks do not
# make a chunk a candidate on their own: they would make every chunk one (docs/DECISIONS.md).
SMALL_CORPUS = 2000
COMMON_SHARE = 0.1

_WORDS = text(
    f"SELECT tsvector_to_array(to_tsvector('{SEARCH_CONFIG}', {WITH_NAME_PARTS}(:question)))"
)
_LIVE_CHUNKS = text(
    "SELECT coalesce(sum(chunks), 0) FROM document"
    " WHERE owner_id = :owner_id AND version_id IS NOT NULL"
)

# PostgreSQL's own statistics of the column (ANALYZE, run by autovacuum as rows change):
# the share of all chunks holding each of the most common words. None yet on a new table.
_COMMON_WORDS = text(
    """
SELECT word, share
FROM pg_stats, unnest(most_common_elems::text::text[], most_common_elem_freqs) AS e(word, share)
WHERE schemaname = current_schema() AND tablename = 'chunktext' AND attname = 'search_vector'
  AND word = ANY(:words) AND share > :common_share
"""
)

_SEARCH = text(
    f"""
WITH candidates AS (
    SELECT c.id, c.search_vector, length(c.search_vector)::float8 AS length
    FROM chunktext c
    JOIN document d ON d.id = c.document_id AND d.version_id = c.version_id
    WHERE d.owner_id = :owner_id AND c.search_vector @@ CAST(:any_word AS tsquery)
),
hits AS (
    -- The question's words with their positions, without unnesting the chunk's other words.
    SELECT candidates.id, candidates.length, word.lexeme,
           cardinality(word.positions)::float8 AS frequency
    FROM candidates,
         unnest(ts_filter(setweight(candidates.search_vector, 'A', :words), '{{a}}')) AS word
),
rarity AS (
    -- Document frequency: counted among the candidates (every chunk holding a selective
    -- word is one), or estimated from the statistics for a common word.
    SELECT lexeme, ln(1 + greatest(:chunks - df + 0.5, 0.5) / (df + 0.5)) AS idf
    FROM (
        SELECT hits.lexeme,
               coalesce(
                   (SELECT share FROM unnest(CAST(:common_words AS text[]),
                                             CAST(:common_shares AS float8[])) AS s(word, share)
                    WHERE s.word = hits.lexeme) * :chunks,
                   count(*)
               ) AS df
        FROM hits
        GROUP BY hits.lexeme
    ) AS counted
),
mean AS (SELECT greatest(avg(length), 1) AS length FROM candidates),
ranked AS (
    SELECT hits.id,
           sum(rarity.idf * hits.frequency * ({K1} + 1)
               / (hits.frequency
                  + {K1} * (1 - {B} + {B} * hits.length / mean.length)))
               AS score
    FROM hits JOIN rarity USING (lexeme) CROSS JOIN mean
    GROUP BY hits.id
    ORDER BY score DESC, hits.id
    LIMIT :limit
)
SELECT c.id, c.text, c.document_id, c.version_id, c.filename, c.page, c.heading, ranked.score
FROM ranked JOIN chunktext c USING (id)
ORDER BY ranked.score DESC, c.id
"""
)


def _tsquery_any(words: Sequence[str]) -> str:
    """A tsquery (text form) matching any of the words, each quoted as a literal lexeme."""
    quoted = ("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)
    return " | ".join(quoted)


def add_version(
    session: Session, document_id: str, version_id: str, filename: str, chunks: Sequence[Chunk]
) -> None:
    """Writes a version's chunks (again, if a retry writes them twice); not yet searched."""
    session.execute(delete(ChunkText).where(col(ChunkText.version_id) == version_id))
    if not chunks:
        return
    session.execute(
        insert(ChunkText),
        [
            {
                "id": chunk_id(document_id, version_id, chunk.index),
                "document_id": document_id,
                "version_id": version_id,
                "filename": filename,
                "page": chunk.page,
                "heading": chunk.heading or None,
                "text": chunk.text,
            }
            for chunk in chunks
        ],
    )


def delete_other_versions(session: Session, document_id: str, keep_version_id: str) -> None:
    session.execute(
        delete(ChunkText).where(
            col(ChunkText.document_id) == document_id, col(ChunkText.version_id) != keep_version_id
        )
    )


def delete_version(session: Session, version_id: str) -> None:
    session.execute(delete(ChunkText).where(col(ChunkText.version_id) == version_id))


def search(session: Session, owner_id: str, question: str, limit: int) -> list[StoredChunk]:
    """The owner's live chunks that best match the question's words, best first.

    ``score`` is the BM25 score: comparable within one question only.
    """
    # PostgreSQL text cannot hold NUL, which a question typed or pasted by anyone may.
    question = question.replace("\x00", " ")
    words = list(session.execute(_WORDS, {"question": question}).scalar_one() or [])
    chunks = int(session.execute(_LIVE_CHUNKS, {"owner_id": owner_id}).scalar_one())
    # In a large corpus, chunks qualify by holding one of the question's less common words:
    # an OR of common ones would match most of it, and such words weigh next to nothing in
    # BM25; they still add to a candidate's score. (An AND of all the words would rarely
    # match a passage.) A small corpus is cheap to rank whole.
    common: dict[str, float] = {}
    if chunks > SMALL_CORPUS:
        found = session.execute(_COMMON_WORDS, {"words": words, "common_share": COMMON_SHARE})
        common = {word: float(share) for word, share in found}
    selective = [w for w in words if w not in common]
    if not selective:
        return []
    rows = session.execute(
        _SEARCH,
        {
            "owner_id": owner_id,
            "any_word": _tsquery_any(selective),
            "words": words,
            "common_words": list(common),
            "common_shares": list(common.values()),
            "chunks": float(chunks),
            "limit": limit,
        },
    )
    return [
        StoredChunk(
            id=row.id,
            text=row.text,
            document_id=row.document_id,
            version_id=row.version_id,
            filename=row.filename,
            page=row.page,
            heading=row.heading,
            score=round(float(row.score), 4),
        )
        for row in rows
    ]
