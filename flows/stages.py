"""The stages of a document's ingestion, as Prefect tasks around ``ragline.pipeline``.

Parse, chunk and embed results are cached on the file's sha256 plus the versions of
everything that shaped them (their ``cache_key``), persisted where ``flows.results`` says,
so a retry or a re-ingestion, on this worker or another, reuses a finished stage instead of
redoing it. Only storing is retried, and only on a transient error (the vector store or
the network away).
"""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar, cast

import numpy as np
from prefect import Task, task
from prefect.client.schemas.objects import State
from prefect.context import TaskRunContext
from prefect.filesystems import WritableFileSystem
from prefect.utilities.annotations import opaque

from flows.progress import ProgressReporter
from ragline import pipeline, versions
from ragline.db import get_engine
from ragline.documents import Chunk, DocumentKind, Section
from ragline.embedding import get_embedder
from ragline.errors import ServiceUnavailable
from ragline.settings import get_settings
from ragline.storage import open_file_store
from ragline.vectorstore import get_vector_store

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


def transient(task: Any, task_run: Any, state: State[Any]) -> bool:
    """Retry only what may succeed on a second try: unreachable services."""
    try:
        state.result()
    except ServiceUnavailable:
        return True
    except Exception:
        return False
    return False


def unwalked(value: T) -> T:
    """A task argument Prefect links to the task that produced it without walking through it.

    By default Prefect visits every section and chunk (and their fields) looking for futures
    to wait on: ~0.4% of the worker's CPU. Stage results hold none.
    """
    return cast(T, opaque(value))


def key_of(name: str) -> Any:
    def cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
        # The key names the result's file; in an fsspec path "parse:..." would read as a
        # URL scheme (RemoteFileSystem refuses it), so no colons.
        return str(parameters[name]).replace(":", "-")

    return cache_key


@task(name="parse", cache_key_fn=key_of("cache_key"), persist_result=True)
def parse_task(sha256: str, kind: str, cache_key: str) -> list[Section]:
    """Parses the stored file, from a private local copy when the store is not on this host."""
    settings = get_settings()
    with open_file_store(settings).local_copy(sha256) as path:
        return pipeline.parse(path, DocumentKind(kind), settings)


@task(name="chunk", cache_key_fn=key_of("cache_key"), persist_result=True)
def chunk_task(sections: list[Section], kind: str, title: str, cache_key: str) -> list[Chunk]:
    settings = get_settings()
    return pipeline.chunk(sections, DocumentKind(kind), title, get_embedder(settings), settings)


@task(name="embed", cache_key_fn=key_of("cache_key"), persist_result=True)
def embed_task(chunks: list[Chunk], cache_key: str, reporter: ProgressReporter) -> np.ndarray:
    settings = get_settings()
    total = len(chunks)
    return pipeline.embed(
        chunks, get_embedder(settings), settings, lambda done: reporter.embedding(done, total)
    )


@task(name="store", retries=3, retry_delay_seconds=[1, 2, 4], retry_condition_fn=transient)
def store_task(version: versions.Version, chunks: list[Chunk], vectors: np.ndarray) -> None:
    settings = get_settings()
    store = get_vector_store(settings.endpoints.chroma, settings.chroma_collection_prefix)
    versions.store(version, chunks, vectors, store, get_engine(settings))


def kept(stage: Task[P, R], storage: WritableFileSystem | None) -> Task[P, R]:
    """A cached stage whose results go to ``storage`` (Prefect's default when ``None``)."""
    return stage if storage is None else stage.with_options(result_storage=storage)
