"""The ``ingest-documents`` flow: one run per job, one subflow per document.

Each document goes through the cached stages of ``flows.stages``; a document that can never
be ingested fails on its own with a sentence the user can act on, and the other documents
carry on. With several workers a job's documents run where ``flows.spread`` sends them.
"""

from __future__ import annotations

import functools
import resource
from dataclasses import dataclass
from typing import Any

from prefect import flow
from prefect.client.schemas.objects import State
from prefect.context import SettingsContext, get_settings_context
from prefect.logging import get_run_logger
from prefect.settings import Settings as PrefectSettings
from prefect.states import Cancelled, Completed, Failed
from sqlmodel import Session

from flows import spread, stages
from flows.heartbeat import heartbeat
from flows.progress import ProgressReporter
from flows.results import stage_result_storage
from flows.side_by_side import run_side_by_side
from flows.slots import document_turn
from ragline import jobs, pipeline, versions, warmup
from ragline.db import get_engine, session_scope
from ragline.deployments import INGEST_DOCUMENT_FLOW, INGEST_FLOW
from ragline.documents import DocumentKind
from ragline.embedding import get_embedder
from ragline.errors import DocumentDeleted, DocumentError, ServiceUnavailable
from ragline.models import Job, Stage
from ragline.settings import Settings, get_settings
from ragline.vectorstore import get_vector_store


@flow(name=INGEST_DOCUMENT_FLOW, log_prints=False)
def ingest_document(
    job_id: str,
    version_id: str,
    filename: str,
    force: bool = False,
    owner_id: str | None = None,
    bulk: bool = False,
    small: bool = False,
) -> State[Any]:
    """Ingests one version of one document; the previous version serves until the switch.

    A document deleted meanwhile (``DELETE /api/v1/documents/{id}``) ends its run as
    Cancelled, with whatever the run had stored for it removed. With an ``owner_id`` it is
    a run of its own on any worker (``flows.spread``), which takes its slots itself.
    """
    settings = get_settings()
    if owner_id is None:
        return _ingest_document(settings, job_id, version_id, filename, force=force)
    with spread.as_own_run(settings, job_id, version_id, owner_id, bulk=bulk, small=small):
        return _ingest_document(settings, job_id, version_id, filename, force=force)


def _ingest_document(
    settings: Settings, job_id: str, version_id: str, filename: str, *, force: bool
) -> State[Any]:
    version: versions.Version | None = None
    try:
        version, indexed_key = _version_to_ingest(settings, version_id)
        reporter = ProgressReporter(settings, job_id, version_id, filename)
        return _ingest(version, indexed_key, reporter, force=force)
    except DocumentDeleted:
        get_run_logger().info("%s was deleted while it was being ingested", filename)
        if version is not None:
            _discard(settings, version)
        return Cancelled(message="The document was deleted while it was being ingested.")


def _discard(settings: Settings, version: versions.Version) -> None:
    """Removes whatever this run stored for a version that will never be live."""
    store = get_vector_store(settings.endpoints.chroma, settings.chroma_collection_prefix)
    with session_scope(get_engine(settings)) as session:
        versions.discard(session, store, [version])


def _version_to_ingest(settings: Settings, version_id: str) -> tuple[versions.Version, str | None]:
    """The version a run ingests, and the index key of the document's live version."""
    with session_scope(get_engine(settings)) as session:
        row = jobs.version_row(session, version_id)
        document = jobs.document_of(session, row)
        version = versions.Version(
            owner_id=document.owner_id,
            document_id=document.id,
            version_id=row.id,
            filename=row.filename,
            kind=DocumentKind(row.kind),
            sha256=row.sha256,
        )
        return version, document.index_key


def _ingest(
    version: versions.Version, indexed_key: str | None, reporter: ProgressReporter, *, force: bool
) -> State[Any]:
    settings = get_settings()
    logger = get_run_logger()
    embedder = get_embedder(settings)
    filename = version.filename
    key = pipeline.index_key(version.sha256, version.kind, version.filename, embedder, settings)
    if indexed_key == key and not force:
        reporter.skipped()
        return Completed(message="unchanged: skipped")
    store = get_vector_store(settings.endpoints.chroma, settings.chroma_collection_prefix)
    results = stage_result_storage(settings)
    try:
        reporter.stage(Stage.PARSING)
        sections = stages.kept(stages.parse_task, results)(
            version.sha256,
            version.kind.value,
            pipeline.parse_key(version.sha256, version.kind),
        )
        reporter.stage(Stage.CHUNKING)
        chunked = pipeline.chunk_key(
            version.sha256, version.kind, version.filename, embedder, settings
        )
        chunks = stages.kept(stages.chunk_task, results)(
            stages.unwalked(sections), version.kind.value, version.filename, chunked
        )
        reporter.stage(Stage.EMBEDDING, chunks_total=len(chunks), chunks_done=0)
        # Keyed on the chunks' texts and the model: neither a new store layout nor a
        # parser or chunker change that leaves these chunks as they were re-embeds them.
        key_of_vectors = pipeline.embed_key(chunks, embedder)
        vectors = stages.kept(stages.embed_task, results)(
            stages.unwalked(chunks), key_of_vectors, reporter
        )
        reporter.stage(Stage.STORING, chunks_done=len(chunks))
        stages.store_task(version, stages.unwalked(chunks), stages.unwalked(vectors))
        versions.make_live(version, len(chunks), key, store, get_engine(settings))
        reporter.committed()
        logger.info("%s: %d chunks stored", filename, len(chunks))
        return Completed(message=f"{len(chunks)} chunks")
    except DocumentDeleted:
        raise
    # Recording a failure raises DocumentDeleted instead if the document was deleted
    # meanwhile: its file or rows vanishing mid-stage is then the cause, not a fault.
    except DocumentError as exc:
        reporter.failed(exc.message, exc.code)
        _discard(settings, version)
        logger.warning("%s failed: %s", filename, exc.message)
        return Failed(message=exc.message)
    except ServiceUnavailable as exc:
        reporter.failed(f"{exc.message} Retry the job once the service is back.", exc.code)
        _discard(settings, version)
        logger.error("%s: %s", filename, exc.message)
        return Failed(message=exc.message)
    except Exception:
        reporter.failed(
            "An internal error stopped this document; retry the job, and if it fails again "
            "report it with the job id.",
            "internal_error",
        )
        _discard(settings, version)
        logger.exception("%s: unexpected error", filename)
        raise


def _heartbeats_off(settings: PrefectSettings) -> PrefectSettings:
    """Prefect's settings with flow heartbeats off, for the per-document subflows.

    The job's own run sends heartbeats; a subflow's would only delay its end by up to a
    second (Prefect stops the heartbeat thread at a one-second tick). A plain copy, because
    ``temporary_settings`` re-validates every setting (~0.1-0.3 s per subflow).
    """
    flows = settings.flows.model_copy(update={"heartbeat_frequency": None})
    return settings.model_copy(update={"flows": flows})


# A document this small embeds in a few batches: on one thread (see CoreShare), and with no
# session with threads to build for it.
SMALL_DOCUMENT_BYTES = 8 * 1024


@dataclass(frozen=True)
class Todo:
    """A document version a run ingests."""

    version_id: str
    filename: str
    size_bytes: int

    @property
    def small(self) -> bool:
        return self.size_bytes <= SMALL_DOCUMENT_BYTES


def queued(session: Session, job_id: str) -> list[Todo]:
    return [
        Todo(v.id, v.filename, v.size_bytes)
        for v in jobs.versions_of(session, job_id)
        if v.stage == Stage.QUEUED
    ]


def ingest_each(
    job_id: str,
    todo: list[Todo],
    settings: Settings,
    *,
    owner_id: str,
    bulk: bool = False,
    force: bool = False,
) -> int:
    """Ingests each document, one ``ingest-document`` subflow each; returns how many failed.

    ``settings.ingest_lanes`` documents go side by side, so the cores keep embedding while
    Prefect creates and finishes a subflow or a file is parsed. Each waits for its slots
    (``flows.slots``: its worker's, and its owner's or the bulk one) before it starts. A
    job of one document needs no subflow: its run is the document's, which spares Prefect
    a run's worth of work for every small upload.
    """
    prefect = get_settings_context()
    subflow_settings = _heartbeats_off(prefect.settings)
    embedder = get_embedder(settings)
    inline = len(todo) == 1
    elsewhere = spreads(settings, todo)

    def ingest(document: Todo) -> State[Any]:
        if elsewhere:
            return spread.ingest_elsewhere(
                settings,
                job_id,
                document.version_id,
                document.filename,
                owner_id=owner_id,
                bulk=bulk,
                small=document.small,
                force=force,
            )
        # The lane is a user of the model (see ``in_use``) for the whole subflow, also while
        # Prefect creates and closes it: counted for its stages only, its gaps left the
        # other lane alone for a moment, which then took both cores with spinning threads
        # and slowed the very Prefect work the gap waits on.
        with document_turn(settings, owner_id, embedder, bulk=bulk, small=document.small):
            if inline:
                return _inline(job_id, document, force=force)
            with SettingsContext(profile=prefect.profile, settings=subflow_settings):
                return ingest_document.with_options(flow_run_name=document.filename[:100])(
                    job_id, document.version_id, document.filename, force=force, return_state=True
                )

    lanes = spread.width(settings, bulk=bulk) if elsewhere else settings.ingest_lanes
    states = run_side_by_side([functools.partial(ingest, d) for d in todo], lanes)
    # A cancelled document was deleted while it was being ingested: nothing failed.
    return sum(not (state.is_completed() or state.is_cancelled()) for state in states)


def spreads(settings: Settings, todo: list[Todo]) -> bool:
    """Whether a job's documents run as runs of their own, on any worker (``flows.spread``);
    a job of one document is its run's anyway."""
    return settings.spread_jobs and len(todo) > 1


def _inline(job_id: str, document: Todo, *, force: bool) -> State[Any]:
    """The document's subflow's work, in the job's own run."""
    try:
        return ingest_document.fn(job_id, document.version_id, document.filename, force=force)
    except Exception as exc:  # as a subflow's state would say it
        return Failed(message=f"{type(exc).__name__}: {exc}")


@flow(name=INGEST_FLOW, log_prints=False)
def ingest_documents(job_id: str) -> State[Any]:
    """Ingests every queued document version of a job, one subflow each."""
    settings = get_settings()
    engine = get_engine(settings)
    with session_scope(engine) as session:
        job = session.get_one(Job, job_id)
        request_id, owner_id = job.request_id, job.owner_id
        todo = queued(session, job_id)
    if not spreads(settings, todo) and not all(document.small for document in todo):
        warmup.flow_run_in_background(settings)
    # Ties this run's logs to the API's request log line for the upload.
    get_run_logger().info("job %s (request %s): %d documents", job_id, request_id, len(todo))
    with heartbeat(engine, job_id, settings.run_heartbeat_s):
        failed = ingest_each(job_id, todo, settings, owner_id=owner_id)
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with session_scope(engine) as session:
        job = session.get_one(Job, job_id)
        job.cpu_seconds = round(sum(u.ru_utime + u.ru_stime for u in usage), 3)
        session.add(job)
    if failed:
        return Failed(message=f"{failed} of {len(todo)} documents failed.")
    return Completed(message=f"{len(todo)} documents ingested.")
