"""Text → vectors. One :class:`Embedder` protocol, three backends, one cached instance.

* ``onnx`` (default, :mod:`.onnx`): all-MiniLM-L6-v2 on onnxruntime, no torch; its calls
  share the cores as :mod:`.cores` decides.
* ``sentence-transformers`` (:mod:`.sentence_transformers`): the real library, if the user
  installed the ``st`` extra.
* ``openai`` (:mod:`.openai`): any OpenAI-compatible ``POST {base}/embeddings`` service.

Every backend returns float32 ``(n, dimension)`` L2-normalised rows in input order, and
counts word pieces for the chunker. Heavy imports (onnxruntime, torch) happen only when a
backend is built, so importing this package stays cheap for every process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol

import numpy as np

from ragline.embedding.cores import CoreShare, Share
from ragline.embedding.onnx import OnnxEmbedder, default_model_path
from ragline.embedding.openai import OpenAIEmbedder
from ragline.embedding.sentence_transformers import SentenceTransformersEmbedder
from ragline.embedding.vectors import Vectors, no_vectors
from ragline.errors import RaglineError
from ragline.model_files import tokenizer_path
from ragline.settings import Settings

__all__ = [
    "CoreShare",
    "Embedder",
    "OnnxEmbedder",
    "OpenAIEmbedder",
    "SentenceTransformersEmbedder",
    "Share",
    "Vectors",
    "embed_in_batches",
    "get_embedder",
    "in_use",
]


class Embedder(Protocol):
    @property
    def model_id(self) -> str:
        """Names the model *and* the pipeline around it; part of every chunk's cache key."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """float32 ``(len(texts), dimension)``, L2-normalised, in input order."""
        ...

    def count_tokens(self, text: str) -> int:
        """Word pieces in ``text`` without special tokens, untruncated (for the chunker)."""
        ...


def in_use(embedder: Embedder, *, small: bool = False) -> AbstractContextManager[None]:
    """``OnnxEmbedder.in_use`` for the local model; the other backends share nothing."""
    return embedder.in_use(small=small) if isinstance(embedder, OnnxEmbedder) else nullcontext()


def embed_in_batches(
    embedder: Embedder,
    texts: Sequence[str],
    batch_size: int,
    on_batch: Callable[[int], None] | None = None,
) -> Vectors:
    """Embed ``texts`` ``batch_size`` at a time, calling ``on_batch(done_count)`` after each.

    Texts are grouped by length (characters, a cheap stand-in for word pieces) so each
    batch pads little; the result is in input order.
    """
    if not texts:
        return no_vectors(embedder.dimension)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts: list[Vectors] = []
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        parts.append(embedder.embed([texts[i] for i in batch]))
        if on_batch is not None:
            on_batch(min(start + batch_size, len(order)))
    sorted_vectors = np.concatenate(parts)
    result = np.empty_like(sorted_vectors)
    result[order] = sorted_vectors
    return result


def get_embedder(settings: Settings) -> Embedder:
    """The process's embedder for these settings, built once: loading a model checks its
    files' hashes and reads them, which no call should pay again."""
    api_key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    with _loading:  # a warm-up thread may be loading it right now: wait, don't load twice
        return _cached_embedder(
            settings.embedding_backend,
            settings.embedding_model,
            settings.embedding_api_url,
            api_key,
            settings.embedding_batch_size,
            settings.embedding_threads,
            settings.paths.models,
        )


_loading = threading.Lock()


@functools.cache
def _cached_embedder(
    backend: str,
    model: str,
    api_url: str | None,
    api_key: str | None,
    batch_size: int,
    threads: int,
    models_dir: Path,
) -> Embedder:
    if backend == "sentence-transformers":
        return SentenceTransformersEmbedder(model, batch_size)
    if backend == "openai":
        if not api_url:
            raise RaglineError(
                "RAGLINE_EMBEDDING_API_URL must be set for the openai embedding backend.",
                code="embedding_misconfigured",
            )
        return OpenAIEmbedder(api_url, model, api_key, tokenizer_path(models_dir), batch_size)
    return OnnxEmbedder(default_model_path(), tokenizer_path(models_dir), threads, batch_size)
