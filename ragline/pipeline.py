"""The ingestion pipeline as plain functions: parse → chunk → embed → store.

The Prefect flow wraps each stage in a task (retries, caching, progress); the benchmark
runs the very same functions with no orchestration, so the two can be compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from ragline import keyword_index
from ragline.chunking import CHUNKER_VERSION, chunk_sections
from ragline.db import session_scope
from ragline.documents import Chunk, DocumentKind, Section
from ragline.embedding import Embedder, embed_in_batches
from ragline.parsing import PARSER_VERSION
from ragline.sandbox import parse_sandboxed
from ragline.settings import Settings
from ragline.vectorstore import VectorStore

# What a stored version is made of: 2 = vectors in Chroma and text in the keyword index.
STORE_VERSION = "2"


@dataclass(frozen=True)
class Version:
    """One version of one document, as the pipeline needs to know it."""

    owner_id: str
    document_id: str
    version_id: str
    filename: str
    kind: DocumentKind
    sha256: str
    path: Path


def parse_key(sha256: str, kind: DocumentKind) -> str:
    # The same bytes read as Markdown or as text give different sections.
    return f"parse:{PARSER_VERSION}:{kind.value}:{sha256}"


def chunk_key(
    sha256: str, kind: DocumentKind, title: str, embedder: Embedder, settings: Settings
) -> str:
    # Every chunk's text starts with the document's title (its file name), so a copy of a
    # file under another name has chunks of its own. Hashed: the key names the cached
    # result's file, and a title or a model id may be long or hold any character ("/").
    shape = f"{CHUNKER_VERSION}:{settings.chunk_tokens}:{settings.chunk_overlap_tokens}"
    raw = f"{shape}:{embedder.model_id}:{title}:{parse_key(sha256, kind)}"
    return f"chunk:{hashlib.sha256(raw.encode()).hexdigest()}"


def embed_key(chunks: list[Chunk], embedder: Embedder) -> str:
    """Names the vectors of these very texts under this model: a new parser or chunker that
    leaves a document's chunks as they were re-embeds nothing of it."""
    digest = hashlib.sha256(embedder.model_id.encode())
    for chunk in chunks:
        text = chunk.text.encode()
        digest.update(b"%d:%s" % (len(text), text))  # lengths: no two lists hash alike
    return f"embed:{digest.hexdigest()}"


def index_key(
    sha256: str, kind: DocumentKind, title: str, embedder: Embedder, settings: Settings
) -> str:
    """Names what a stored version is made of: its bytes and everything that shaped it.

    Equal keys mean re-ingesting would change nothing, so the work is skipped.
    """
    raw = f"index:{STORE_VERSION}:{chunk_key(sha256, kind, title, embedder, settings)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def parse(path: Path, kind: DocumentKind, settings: Settings) -> list[Section]:
    return parse_sandboxed(
        path,
        kind,
        timeout_s=settings.parse_timeout_s,
        memory_mb=settings.parse_memory_mb,
        max_unzipped_bytes=settings.max_unzipped_mb * 1024 * 1024,
        max_zip_ratio=settings.max_zip_ratio,
    )


def chunk(
    sections: list[Section], kind: DocumentKind, title: str, embedder: Embedder, settings: Settings
) -> list[Chunk]:
    return chunk_sections(
        sections,
        kind=kind,
        count_tokens=embedder.count_tokens,
        chunk_tokens=settings.chunk_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        title=title,
    )


def embed(
    chunks: list[Chunk],
    embedder: Embedder,
    settings: Settings,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    return embed_in_batches(
        embedder, [c.text for c in chunks], settings.embedding_batch_size, on_batch
    )


def store(
    version: Version, chunks: list[Chunk], vectors: np.ndarray, store: VectorStore, engine: Engine
) -> None:
    """Writes a version's chunks to both indexes; neither serves them until it goes live."""
    store.add_version(
        owner_id=version.owner_id,
        document_id=version.document_id,
        version_id=version.version_id,
        filename=version.filename,
        chunks=chunks,
        embeddings=vectors,
    )
    with session_scope(engine) as session:
        keyword_index.add_version(
            session, version.document_id, version.version_id, version.filename, chunks
        )
