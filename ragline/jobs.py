"""Jobs and their document versions in the database: stages, states, queues.

The API maps orchestrator states onto jobs; the flow records each document's stage. Both go
through these functions. Planning jobs is :mod:`ragline.job_plans`'; what a version's
chunks become (live, discarded, deleted) is :mod:`ragline.versions`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select, update

from ragline.errors import DocumentDeleted, TooManyRequests
from ragline.job_states import QueuePosition, is_waiting_sentence
from ragline.models import (
    FINISHED_JOB_STATES,
    Document,
    DocumentStatus,
    DocumentVersion,
    Job,
    JobState,
    Stage,
    utcnow,
)

PREVIOUS_VERSION_KEPT = "The previous version is still served."


def versions_of(session: Session, job_id: str) -> list[DocumentVersion]:
    query = (
        select(DocumentVersion)
        .where(DocumentVersion.job_id == job_id)
        .order_by(col(DocumentVersion.position))
    )
    return list(session.exec(query))


def versions_for_jobs(session: Session, job_ids: Sequence[str]) -> dict[str, list[DocumentVersion]]:
    by_job: dict[str, list[DocumentVersion]] = {job_id: [] for job_id in job_ids}
    if job_ids:
        query = (
            select(DocumentVersion)
            .where(col(DocumentVersion.job_id).in_(job_ids))
            .order_by(col(DocumentVersion.position))
        )
        for version in session.exec(query):
            by_job[version.job_id].append(version)
    return by_job


def version_row(session: Session, version_id: str) -> DocumentVersion:
    """The version's row; :class:`DocumentDeleted` if its document was deleted meanwhile
    (deleting a document deletes its versions with it)."""
    version = session.get(DocumentVersion, version_id)
    if version is None:
        raise DocumentDeleted(f"Document version {version_id} was deleted.")
    return version


def document_of(
    session: Session, version: DocumentVersion, *, for_update: bool = False
) -> Document:
    query = select(Document).where(Document.id == version.document_id)
    document = session.exec(query.with_for_update() if for_update else query).one_or_none()
    if document is None:  # deleted since the version was read
        raise DocumentDeleted(f"Document {version.document_id} was deleted.")
    return document


def record_stage(
    session: Session,
    version_id: str,
    stage: Stage,
    *,
    progress: float | None = None,
    chunks_done: int | None = None,
    chunks_total: int | None = None,
    error: str | None = None,
    error_code: str | None = None,
) -> DocumentVersion:
    version = version_row(session, version_id)
    now = utcnow()
    version.stage = stage
    if progress is not None:
        version.progress = progress
    if chunks_done is not None:
        version.chunks_done = chunks_done
    if chunks_total is not None:
        version.chunks_total = chunks_total
    if error is not None:
        version.error, version.error_code = error, error_code
    if version.started_at is None and stage != Stage.QUEUED:
        version.started_at = now
        job = session.get(Job, version.job_id)
        if job is not None and not job.state.finished and is_waiting_sentence(job.error):
            job.error = None  # a document of it has started: the job no longer waits
            session.add(job)
    if stage.finished:
        version.finished_at = now
        if stage in (Stage.DONE, Stage.SKIPPED):
            version.progress = 1.0
    version.updated_at = now
    session.add(version)
    document = document_of(session, version)
    if document.version_id is None and not stage.finished:
        document.status = DocumentStatus.PROCESSING
        document.updated_at = now
        session.add(document)
    return version


def record_embedding_progress(
    session: Session, version_id: str, progress: float, chunks_done: int, chunks_total: int
) -> bool:
    """Moves an embedding version's progress on: one UPDATE, as it happens twice a second.

    Returns False when no such version is embedding (deleted, or stopped with its job).
    """
    result = session.exec(
        update(DocumentVersion)
        .where(col(DocumentVersion.id) == version_id, col(DocumentVersion.stage) == Stage.EMBEDDING)
        .values(
            progress=progress,
            chunks_done=chunks_done,
            chunks_total=chunks_total,
            updated_at=utcnow(),
        )
    )
    return bool(result.rowcount)


def set_live_version(session: Session, version_id: str, chunks: int, index_key: str) -> bool:
    """Points a fully stored version's document at it (see ``versions.make_live``).

    Returns False when a newer version went live meanwhile: this one is then stale.
    """
    version = version_row(session, version_id)
    document = document_of(session, version, for_update=True)
    if document.version_id is not None:
        current = session.get(DocumentVersion, document.version_id)
        if current is not None and _newer(current.started_at, version.started_at):
            return False
    now = utcnow()
    document.version_id = version.id
    document.index_key = index_key
    document.sha256 = version.sha256
    document.size_bytes = version.size_bytes
    document.content_type = version.content_type
    document.kind = version.kind
    document.chunks = chunks
    document.status = DocumentStatus.READY
    document.error = None
    document.updated_at = now
    session.add(document)
    record_stage(session, version_id, Stage.DONE, chunks_done=chunks, chunks_total=chunks)
    return True


def skip_version(session: Session, version_id: str) -> None:
    version = record_stage(session, version_id, Stage.SKIPPED)
    document = document_of(session, version)
    version.chunks_done = version.chunks_total = document.chunks
    session.add(version)


def fail_version(session: Session, version_id: str, error: str, code: str) -> None:
    version = record_stage(session, version_id, Stage.FAILED, error=error, error_code=code)
    document = document_of(session, version)
    if document.version_id is None:
        document.status = DocumentStatus.FAILED
        document.error = error
    document.updated_at = utcnow()
    session.add(document)


def end_unfinished_versions(
    session: Session, job_id: str, stage: Stage, error: str
) -> list[DocumentVersion]:
    """Marks every version of a job that did not finish (cancel, crash). Idempotent.

    Returns the versions that were stopped, for ``versions.discard``.
    """
    stopped = []
    for version in versions_of(session, job_id):
        if version.stage.finished:
            continue
        document = session.get_one(Document, version.document_id)
        sentence = error if document.version_id is None else f"{error} {PREVIOUS_VERSION_KEPT}"
        record_stage(session, version.id, stage, error=sentence, error_code=stage.value)
        if document.version_id is None:
            document.status = (
                DocumentStatus.CANCELLED if stage == Stage.CANCELLED else DocumentStatus.FAILED
            )
            document.error = error
            session.add(document)
        stopped.append(version)
    return stopped


def unfinished_versions(session: Session, job_id: str) -> list[DocumentVersion]:
    return [v for v in versions_of(session, job_id) if v.stage not in (Stage.DONE, Stage.SKIPPED)]


# How soon a user told they have too many jobs running should look again.
JOBS_IN_FLIGHT_RETRY_S = 30


def ensure_room_for_a_job(session: Session, owner_id: str, in_flight_max: int) -> None:
    """Raises TooManyRequests when ``owner_id`` already has ``in_flight_max`` unfinished jobs,
    so one user cannot queue work without bound (an upload or a retry starts a job)."""
    in_flight = session.exec(
        select(func.count())
        .select_from(Job)
        .where(Job.owner_id == owner_id, col(Job.state).not_in(FINISHED_JOB_STATES))
    ).one()
    if in_flight >= in_flight_max:
        raise TooManyRequests(
            f"You already have {in_flight} jobs in progress (at most {in_flight_max}); "
            "wait for some to finish, or cancel some, before starting another.",
            retry_after_s=JOBS_IN_FLIGHT_RETRY_S,
        )


def set_job_state(session: Session, job: Job, state: JobState, *, error: str | None = None) -> bool:
    """Moves a job to ``state``; returns whether anything changed. Finished jobs stay put,
    their sentence too (a state reported again must not undo what its end recorded)."""
    if job.state.finished:
        return False
    changed = job.state != state or job.error != error
    now = utcnow()
    job.state = state
    job.error = error
    if state in (JobState.PENDING, JobState.RUNNING) and job.started_at is None:
        job.started_at = now
    if state.finished and job.finished_at is None:
        job.finished_at = now
    if changed:
        job.updated_at = now
        session.add(job)
    return changed


def _newer(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and b is not None and a > b


IN_PROGRESS = (Stage.PARSING, Stage.CHUNKING, Stage.EMBEDDING, Stage.STORING)


def queue_position(session: Session, job: Job) -> QueuePosition | None:
    """What the job waits behind, if none of its documents has started and some wait.

    Counted: the owner's documents in flight, or queued in older unfinished jobs; and other
    users' documents in flight.
    """
    stages = [v.stage for v in versions_of(session, job.id)]
    if Stage.QUEUED not in stages or any(stage in IN_PROGRESS for stage in stages):
        return None
    unfinished = col(Job.state).not_in(list(FINISHED_JOB_STATES))
    in_flight = col(DocumentVersion.stage).in_(IN_PROGRESS)
    ahead = (
        select(func.count())
        .select_from(DocumentVersion)
        .join(Job, col(Job.id) == col(DocumentVersion.job_id))
        .where(unfinished, col(Job.id) != job.id)
    )
    mine = col(Job.owner_id) == job.owner_id
    queued_before = (col(DocumentVersion.stage) == Stage.QUEUED) & (
        col(Job.created_at) < job.created_at
    )
    yours = session.exec(ahead.where(mine, in_flight | queued_before)).one()
    others = session.exec(ahead.where(~mine, in_flight)).one()
    return QueuePosition(yours=yours, others=others)
