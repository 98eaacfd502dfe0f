"""What each ragline process loads before its first piece of work, in one place.

Work that every run or request would otherwise pay at its start (imports, the parsers' lazy
set-up, checking and reading the model's files, building an onnxruntime session) is done once,
ahead of time, where the process's life allows it:

- **the parse sandbox's fork server** (:func:`parse_server`, its preload module
  ``ragline._parser_warmup``): the libraries' quiet environment; every parser imported and
  run once on a tiny sample.
- **serve's forkserver**, the parent of every flow run (:func:`flow_run_server`, from
  ``flows/preload.py``): the same, plus the modules every run imports and the model with
  its one-thread session. A flow run's parses fork from this server too.
- **the serve process** (:func:`start_forkserver`, from ``deployments/serve.py``): starts
  that forkserver and waits for its warm-up before it polls for the first run.
- **a flow run** (:func:`flow_run_in_background`, from ``flows/ingest.py``): in a thread at
  its start, while Prefect sets up the first subflow, the all-cores session a lone document
  uses and the vector store's client.
- **the API** (:func:`api_process`, from ``api/app.py``'s lifespan): the model and its
  all-cores session, before the first question.

**The fork-safety rule**: an onnxruntime session with more than one thread owns a thread pool,
and a fork copies only the forking thread, so a child would wait forever on threads that do
not exist in it. Before a fork, build only the one-thread session (an ``OnnxEmbedder`` builds
it on construction; :attr:`~ragline.embedding.onnx.OnnxEmbedder.fork_safe` says whether that
still holds); build every session with threads after the fork, in the process that uses it.
Fork servers are single-threaded for the same reason.

Every warm-up is best effort: if one fails, the work happens lazily on first use instead.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import multiprocessing
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ragline import compat
from ragline.documents import DocumentKind

if TYPE_CHECKING:
    from ragline.embedding import Embedder
    from ragline.settings import Settings

# The model, the vector store and the settings are imported by the functions that use them:
# the parse sandbox's fork server imports this module and needs none of them.

logger = logging.getLogger("ragline.warmup")

#: Imported by serve's forkserver: each was paid inside every flow run otherwise.
FLOW_RUN_MODULES = (
    "anyio._backends._asyncio",  # anyio imports its backend on first use
    "chromadb.api.fastapi",  # chromadb resolves its HTTP client by name, on first use
    "onnxruntime",
    "prefect.runner",  # a forked child runs the serve module again as ``__mp_main__``
    "prefect.task_engine",
    "prefect.utilities.visualization",  # Prefect imports it (and graphviz) for every flow
    "psycopg",  # SQLAlchemy imports the driver on first connect
    "ragline.hostile_files",
    "sqlalchemy.dialects.postgresql.psycopg",
    "tokenizers",
)


def parse_server() -> None:
    """The parse sandbox's fork server: quiet libraries, then each parser run once on a tiny
    sample, so every parse forks from a process where imports and lazy set-up are done."""
    compat.quiet_libraries()
    try:
        _run_each_parser_once()
    except Exception:  # must not kill the fork server: a child then loads lazily
        logger.debug("parser warm-up failed", exc_info=True)


def flow_run_server() -> None:
    """Serve's forkserver, the parent of every flow run: the parse server's warm-up, the
    modules every run imports, and the local model with its one-thread session only (see
    the fork-safety rule)."""
    parse_server()
    for module in FLOW_RUN_MODULES:
        importlib.import_module(module)
    compat.default_tls_context()
    from ragline.embedding import get_embedder
    from ragline.settings import Settings

    with contextlib.suppress(Exception):  # a run then loads the model itself
        settings = Settings()
        if settings.embedding_backend == "onnx":
            get_embedder(settings)


def start_forkserver(preload: Sequence[str]) -> None:
    """Starts this process's multiprocessing forkserver with ``preload`` imported, and
    returns once it has imported them, so the first process forked from it waits for
    nothing."""
    multiprocessing.set_forkserver_preload(list(preload))
    first = multiprocessing.get_context("forkserver").Process(target=_nothing)
    first.start()
    first.join()


def flow_run_in_background(settings: Settings) -> None:
    """A flow run's start: builds the session a lone document uses (all cores, after the
    fork) and opens the vector store's client while Prefect sets up the first subflow."""
    from ragline.embedding import get_embedder
    from ragline.vectorstore import get_vector_store

    def warm() -> None:
        warm_model(get_embedder(settings))
        get_vector_store(settings.endpoints.chroma, settings.chroma_collection_prefix).heartbeat()

    threading.Thread(target=warm, name="warm-up", daemon=True).start()


def api_process(settings: Settings) -> Embedder:
    """The API's start: the model loaded and ready for a lone question (every core), so the
    first question does not pay for it. Returns the embedder."""
    from ragline.embedding import get_embedder

    embedder = get_embedder(settings)
    warm_model(embedder)
    return embedder


def warm_model(embedder: Embedder) -> None:
    """Builds the session a lone user of the local model gets (every core). Only after any
    fork: see the fork-safety rule. The other backends have nothing to build."""
    from ragline.embedding import OnnxEmbedder

    if isinstance(embedder, OnnxEmbedder):
        embedder.session(embedder.core_share.alone)


def _nothing() -> None:
    pass


def _run_each_parser_once() -> None:
    """Imports the parsers and runs each on a tiny sample: their first call pays for lazy
    imports and spaCy's set-up."""
    import docx
    import pptx
    import pypdfium2 as pdfium
    from unstructured.partition.docx import partition_docx
    from unstructured.partition.md import partition_md
    from unstructured.partition.pptx import partition_pptx
    from unstructured.partition.text import partition_text

    from ragline.parsing.markup import html_sections, partition

    for office_file, partitioner, kind in (
        (docx.Document(), partition_docx, DocumentKind.DOCX),
        (pptx.Presentation(), partition_pptx, DocumentKind.PPTX),
    ):
        buffer = io.BytesIO()
        office_file.save(buffer)
        buffer.seek(0)
        partition(partitioner, kind, file=buffer)
    partition(partition_text, DocumentKind.TEXT, text="Warm up. A sentence.")
    partition(partition_md, DocumentKind.MARKDOWN, text="# Warm\n\nUp.")
    html_sections("<h1>Warm</h1><p>Up.</p>", DocumentKind.HTML)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(100, 100)
    textpage = page.get_textpage()
    textpage.get_text_range()
    textpage.close()
    page.close()
    pdf.close()
