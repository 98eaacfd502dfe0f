"""Answers a question from the caller's own documents, with citations.

Retrieval is hybrid: a dense ranking (MiniLM, in the vector store) and a keyword ranking
(BM25, ``ragline.keyword_index``) of the caller's chunks, fused by reciprocal rank. The
dense one finds passages that say the same thing in other words; the keyword one finds the
exact names, codes and numbers a small embedding model blurs. Only chunks of each
document's live version count: a version still being written, or abandoned by a failed
run, is invisible. If the vector store cannot be reached, a question is answered from the
keyword ranking alone (its chunks embedded again to score them) and the answer says so.

The answer is extractive: the sentences of the best chunks that share the most meaningful
words with the question (stemmed as the keyword index stems them), so every word of it can
be traced to a citation. An
OpenAI-compatible chat model can write the answer instead when one is configured.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

import httpx
import numpy as np
import Stemmer
from sqlalchemy import Connection, Engine
from sqlmodel import Session, col, select

from ragline import keyword_index
from ragline.documents import TABLE_CELL
from ragline.embedding import Embedder
from ragline.errors import VectorStoreUnavailable
from ragline.models import Document
from ragline.settings import Settings
from ragline.vectorstore import StoredChunk, VectorStore

NO_ANSWER = "I could not find anything about that in your documents."
KEYWORDS_ALONE = (
    "Search by meaning is unavailable right now, so these sources were found by their words alone."
)
SNIPPET_CHARS = 400
RELEVANCE_FLOOR = 0.75
# Reciprocal rank fusion's constant: the usual 60 keeps one list's top hit from dominating.
RRF_K = 60
logger = logging.getLogger("ragline.answering")
_KEYWORD_SEARCHES = ThreadPoolExecutor(max_workers=8, thread_name_prefix="keyword-search")
_WORD = re.compile(r"[\w][\w'-]*", re.UNICODE)
_PARAGRAPH = re.compile(r"\n{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")  # within a paragraph
# The Snowball English stemmer, as the keyword index's: "objects" matches "object".
_STEMMER = Stemmer.Stemmer("english")
_STOPWORDS = frozenset(
    """a an and are as at be by can do does for from has have how i if in is it its of on or
    that the their there these this to was what when where which who why will with you your
    my we our not no""".split()
)


@dataclass(frozen=True)
class Citation:
    document_id: str
    filename: str
    page: int | None
    heading: str | None
    snippet: str
    score: float


class RetrievalMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    KEYWORD = "keyword"


@dataclass(frozen=True)
class Answer:
    answer: str
    citations: list[Citation]
    mode: RetrievalMode  # the retrieval that found the citations
    notice: str | None = None  # why it is not the one asked for


def retrieve(
    session: Session,
    store: VectorStore,
    embedder: Embedder,
    owner_id: str,
    question: str,
    top_k: int,
    mode: RetrievalMode = RetrievalMode.HYBRID,
) -> list[StoredChunk]:
    """The caller's ``top_k`` best chunks for the question, best first.

    Each chunk's ``score`` is its cosine similarity to the question, whichever ranking
    found it, so scores read the same in every mode.
    """
    depth = max(top_k * 3, 20)
    # The keyword search runs in the database meanwhile, on a connection of its own.
    keyword = (
        _KEYWORD_SEARCHES.submit(_keyword_search, session.get_bind(), owner_id, question, depth)
        if mode != RetrievalMode.DENSE
        else None
    )
    vector = embedder.embed([question])[0]
    dense = _dense(session, store, owner_id, vector, depth) if mode != RetrievalMode.KEYWORD else []
    best = fuse([dense, keyword.result() if keyword else []])[:top_k]
    similarity = {c.id: c.score for c in dense}
    unscored = [c.id for c in best if c.id not in similarity]
    if unscored:
        similarity |= store.similarities(owner_id, vector, unscored)
    return [replace(c, score=similarity.get(c.id, 0.0)) for c in best]


def fuse(rankings: Sequence[list[StoredChunk]]) -> list[StoredChunk]:
    """Reciprocal rank fusion: a chunk ranked high by both rankings comes first.

    Ranks, not scores, are added: a cosine and a BM25 score have no common scale. On a tie
    the earlier ranking's chunk (the dense one) comes first.
    """
    fused: dict[str, float] = {}
    chunks: dict[str, StoredChunk] = {}
    for ranking in rankings:
        for rank, chunk in enumerate(ranking):
            fused[chunk.id] = fused.get(chunk.id, 0.0) + 1.0 / (RRF_K + rank + 1)
            chunks.setdefault(chunk.id, chunk)
    return sorted(chunks.values(), key=lambda c: fused[c.id], reverse=True)


def retrieve_by_keywords_alone(
    session: Session, embedder: Embedder, owner_id: str, question: str, top_k: int
) -> list[StoredChunk]:
    """The keyword ranking's ``top_k``, scored without the vector store.

    Each chunk's stored vector is the embedding of its text, so embedding the text again
    gives the score the store would have (~0.3 s for 5 chunks: only while it is unreachable).
    """
    found = keyword_index.search(session, owner_id, question, top_k)
    if not found:
        return []
    vectors = embedder.embed([question, *(c.text for c in found)])
    scores = vectors[1:] @ vectors[0]
    return [replace(c, score=round(float(s), 4)) for c, s in zip(found, scores, strict=True)]


def _keyword_search(
    engine: Engine | Connection, owner_id: str, question: str, depth: int
) -> list[StoredChunk]:
    with Session(engine) as session:
        return keyword_index.search(session, owner_id, question, depth)


def _dense(
    session: Session, store: VectorStore, owner_id: str, vector: np.ndarray, depth: int
) -> list[StoredChunk]:
    n = depth
    while True:
        found = store.query(owner_id, vector, n)
        live = _live_versions(session, {c.document_id for c in found})
        chunks = [c for c in found if live.get(c.document_id) == c.version_id]
        # Stale chunks (versions not live) can crowd out live ones; widen if so.
        if len(chunks) >= depth or len(found) < n or n >= 400:
            return chunks[:depth]
        n *= 4


def answer_question(
    session: Session,
    store: VectorStore,
    embedder: Embedder,
    settings: Settings,
    owner_id: str,
    question: str,
    top_k: int,
    mode: RetrievalMode = RetrievalMode.HYBRID,
) -> Answer:
    notice = None
    try:
        chunks = retrieve(session, store, embedder, owner_id, question, top_k, mode)
    except VectorStoreUnavailable as exc:
        if mode == RetrievalMode.DENSE:
            raise
        logger.warning("answering by keywords alone: %s", exc.message)
        chunks = retrieve_by_keywords_alone(session, embedder, owner_id, question, top_k)
        if mode != RetrievalMode.KEYWORD:  # (asked by keywords: only the scoring differs)
            mode, notice = RetrievalMode.KEYWORD, KEYWORDS_ALONE
    citations = [
        Citation(
            c.document_id, c.filename, c.page, c.heading, _snippet(c.text, c.filename), c.score
        )
        for c in chunks
    ]
    if not chunks:
        return Answer(NO_ANSWER, [], mode, notice)
    text = None
    if settings.llm_api_url:
        text = written_answer(settings, question, chunks)
    return Answer(text or extractive_answer(question, chunks), citations, mode, notice)


def extractive_answer(question: str, chunks: list[StoredChunk], max_sentences: int = 3) -> str:
    """The sentences that best cover the question's words, each tagged with its citation."""
    terms = _terms(question)
    # Quote only chunks nearly as relevant as the best one: a weak match adds noise.
    floor = chunks[0].score * RELEVANCE_FLOOR if chunks else 0.0
    candidates = [
        statement
        for rank, chunk in enumerate(chunks)
        if rank == 0 or chunk.score >= floor
        for statement in _statements(rank, chunk)
    ]
    if not any(terms & c.words for c in candidates):
        # The words may be in a chunk the keyword ranking found and the model scores low
        # (a name or code the model does not know): better than quoting no word of it.
        candidates = [s for rank, chunk in enumerate(chunks) for s in _statements(rank, chunk)]
    if not candidates:
        return NO_ANSWER
    document_frequency = Counter(word for c in candidates for word in c.words)

    def overlap(candidate: _Statement) -> float:
        return sum(
            math.log(1 + len(candidates) / (1 + document_frequency[t]))
            for t in terms & candidate.words
        )

    def score(candidate: _Statement) -> float:
        return overlap(candidate) + 1.0 / (1 + candidate.rank)  # ties: the better chunk

    best: list[_Statement] = []
    for candidate in sorted(candidates, key=score, reverse=True):
        if best and not terms & candidate.words:
            continue  # after the best sentence, only sentences about the question
        if best and candidate.is_row and overlap(candidate) < overlap(best[0]):
            continue  # most rows of a table share a value with the question: only the best
        # The same sentence often sits in several chunks (overlap, repeated versions).
        if candidate.text not in {chosen.text for chosen in best}:
            best.append(candidate)
        if len(best) == max_sentences:
            break
    best.sort(key=lambda c: (c.rank, c.position))  # read them in document order
    return " ".join(f"{c.text} [{c.rank + 1}]" for c in best)


def written_answer(settings: Settings, question: str, chunks: list[StoredChunk]) -> str | None:
    """An answer written by an OpenAI-compatible chat model; None if it is unavailable."""
    context = "\n\n".join(f"[{i + 1}] {c.filename}: {c.text}" for i, c in enumerate(chunks))
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
    body = {
        "model": settings.llm_model,
        "temperature": 0,
        "messages": [
            {
                "role": "system",
                "content": "Answer only from the numbered sources; cite them as [n]. "
                "If they do not answer the question, say so.",
            },
            {"role": "user", "content": f"Sources:\n{context}\n\nQuestion: {question}"},
        ],
    }
    try:
        response = httpx.post(
            f"{settings.llm_api_url.rstrip('/')}/chat/completions",  # type: ignore[union-attr]
            json=body,
            headers={"Authorization": f"Bearer {key}"} if key else {},
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["choices"][0]["message"]["content"]).strip() or None
    except (httpx.HTTPError, KeyError, IndexError, ValueError):
        return None


def _live_versions(session: Session, document_ids: set[str]) -> dict[str, str | None]:
    if not document_ids:
        return {}
    rows = session.exec(
        select(Document.id, Document.version_id).where(col(Document.id).in_(document_ids))
    )
    return dict(rows.all())


def _body(text: str, filename: str) -> str:
    # Chunks start with a "title › heading" line for retrieval; answers quote the body.
    head, sep, rest = text.partition("\n\n")
    return rest if sep and (head == filename or head.startswith(filename + " › ")) else text


class _Statement(NamedTuple):
    """A sentence (or a table row) an answer may quote."""

    rank: int  # of its chunk among the citations
    position: int  # in its chunk
    text: str
    words: frozenset[str]  # matched against the question's
    is_row: bool


def _statements(rank: int, chunk: StoredChunk) -> list[_Statement]:
    found: list[tuple[str, frozenset[str], bool]] = []
    context, _, rest = chunk.text.partition("\n")
    csv = _table(rest) if TABLE_CELL not in context else []
    if csv:
        # A CSV chunk: its context line, then the header row the chunker repeats in each.
        found += _rows(csv[0], csv[1:])
    else:
        for number, paragraph in enumerate(_PARAGRAPH.split(_body(chunk.text, chunk.filename))):
            table = _table(paragraph)
            if not table:
                found += [(sentence, _terms(sentence), False) for sentence in _sentences(paragraph)]
            elif number > 0:  # after other text, a table starts here: with its header row
                found += _rows(table[0], table[1:])
            else:  # opening the chunk, it may go on from the chunk before: no header to trust
                found += _rows(None, table)
    return [_Statement(rank, n, text, words, row) for n, (text, words, row) in enumerate(found)]


def _table(text: str) -> list[list[str]]:
    """The rows of ``text`` if it is a table (the parser joins a row's cells with
    ``TABLE_CELL``, one row per line): two lines at least, all with the same cells."""
    rows = [line.split(TABLE_CELL) for line in text.split("\n")]
    widths = {len(cells) for cells in rows}
    return rows if len(rows) >= 2 and len(widths) == 1 and widths != {1} else []


def _rows(
    header: list[str] | None, rows: list[list[str]]
) -> list[tuple[str, frozenset[str], bool]]:
    """Each row as quoted (labelled with its columns when the header is known) and the
    words it is matched on: its values, since every row has the same column names."""
    found = []
    for cells in rows:
        text = _labelled(header, cells) if header else TABLE_CELL.join(cells)
        found.append((text, _terms(" ".join(cells)), True))
    return found


def _labelled(header: list[str], cells: list[str]) -> str:
    """A row as "column: value, ..." ("date: 2012-01-04, precipitation: 5.2"): quoted bare,
    a row is a run of values that answers nothing."""
    return ", ".join(f"{name}: {value}" for name, value in zip(header, cells, strict=True) if value)


def _sentences(text: str) -> list[str]:
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(p) >= 20]


def _terms(text: str) -> frozenset[str]:
    words = [m.lower() for m in _WORD.findall(text)]
    # "allow-stderr" and "student's" also match "stderr" and "student".
    words += [p for w in words if "-" in w or "'" in w for p in re.split(r"['-]", w) if len(p) > 1]
    return frozenset(_STEMMER.stemWords([w for w in words if w not in _STOPWORDS]))


def _snippet(text: str, filename: str) -> str:
    body = " ".join(_body(text, filename).split())
    return body if len(body) <= SNIPPET_CHARS else body[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"
