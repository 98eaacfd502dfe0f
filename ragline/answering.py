"""Answers a question from the caller's own documents, with citations.

Retrieval is hybrid: a dense ranking (MiniLM, in the vector store) and a keyword ranking
(BM25, ``ragline.keyword_index``) of the caller's chunks, mixed by their scores with the
question's word pairs and file names (``ragline.fusion``). The dense one finds passages
that say the same thing in other words; the keyword one finds the exact names, codes and
numbers a small embedding model blurs. Only chunks of each document's live version count:
a version still being written, or abandoned by a failed run, is invisible. If the vector
store cannot be reached, a question is answered from the keyword ranking alone (its chunks
embedded again to score them) and the answer says so.

The answer is extractive (``ragline.extractive``): the sentences of the best chunks that
share the most meaningful words with the question. An OpenAI-compatible chat model can
write it instead when one is configured.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum

import httpx
import numpy as np
from sqlalchemy import Connection, Engine
from sqlmodel import Session, col, select

from ragline import keyword_index
from ragline.embedding import Embedder
from ragline.errors import VectorStoreUnavailable
from ragline.extractive import NO_ANSWER, chunk_body, extractive_answer, snippet
from ragline.fusion import fuse
from ragline.models import Document
from ragline.settings import Settings
from ragline.vectorstore import StoredChunk, VectorStore

KEYWORDS_ALONE = (
    "Search by meaning is unavailable right now, so these sources were found by their words alone."
)
SNIPPET_CHARS = 400
logger = logging.getLogger("ragline.answering")
_KEYWORD_SEARCHES = ThreadPoolExecutor(max_workers=8, thread_name_prefix="keyword-search")


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
    by_words = keyword.result() if keyword else []
    similarity = {c.id: c.score for c in dense}
    if mode == RetrievalMode.HYBRID:
        similarity |= _similarities(store, owner_id, vector, by_words, similarity)
        ranked = fuse(question, dense, by_words, similarity)
    else:
        ranked = dense or by_words
    best = distinct(ranked)[:top_k]
    similarity |= _similarities(store, owner_id, vector, best, similarity)
    return [replace(c, score=similarity.get(c.id, 0.0)) for c in best]


def _similarities(
    store: VectorStore,
    owner_id: str,
    vector: np.ndarray,
    chunks: list[StoredChunk],
    known: dict[str, float],
) -> dict[str, float]:
    unscored = [c.id for c in chunks if c.id not in known]
    return store.similarities(owner_id, vector, unscored) if unscored else {}


def distinct(chunks: list[StoredChunk]) -> list[StoredChunk]:
    """The chunks minus those whose text, but for the context line, an earlier one already
    says: the same page at two versions, or a mirror, would otherwise fill the citations
    with one passage, crowding out the next best."""
    seen: set[str] = set()
    kept = []
    for chunk in chunks:
        body = " ".join(chunk_body(chunk.text, chunk.filename).split())
        if body not in seen:
            seen.add(body)
            kept.append(chunk)
    return kept


def retrieve_by_keywords_alone(
    session: Session, embedder: Embedder, owner_id: str, question: str, top_k: int
) -> list[StoredChunk]:
    """The keyword ranking's ``top_k``, scored without the vector store.

    Each chunk's stored vector is the embedding of its text, so embedding the text again
    gives the score the store would have (a cost paid only while the store is unreachable).
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
            c.document_id,
            c.filename,
            c.page,
            c.heading,
            snippet(question, c.text, c.filename, SNIPPET_CHARS),
            c.score,
        )
        for c in chunks
    ]
    if not chunks:
        return Answer(NO_ANSWER, [], mode, notice)
    text = None
    if settings.llm_api_url:
        text = written_answer(settings, question, chunks)
    return Answer(text or extractive_answer(question, chunks), citations, mode, notice)


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
