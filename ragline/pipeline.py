"""The ingestion pipeline as plain functions: parse → chunk → embed (→ ``versions.store``).

The Prefect flow wraps each stage in a task (retries, caching, progress); the benchmark
runs the very same functions with no orchestration, so the two can be compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ragline.chunking import CHUNKER_VERSION, chunk_sections
from ragline.documents import Chunk, DocumentKind, Section
from ragline.embedding import Embedder, embed_in_batches
from ragline.parsing import PARSER_VERSION
from ragline.sandbox import parse_sandboxed
from ragline.settings import Settings

# What a stored version is made of: 2 = vectors in Chroma and text in the keyword index;
# 3 = Chroma records also carry the node layout llama-index reads (integrations.node_layout).
# A re-ingestion re-stores older versions from the cached vectors (embed_key is unchanged).
STORE_VERSION = "3"


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
