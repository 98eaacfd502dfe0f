"""Planning jobs: one version per accepted file, a bulk re-ingestion, a retry or a resume.

The API plans uploads, retries and re-ingestions; the reconciler plans a crashed job's
resume; the nightly run plans its own re-ingestion. Rows only: what the runs then do to the
versions is :mod:`ragline.jobs`' and :mod:`ragline.versions`' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ragline.documents import DocumentKind
from ragline.errors import NotFound
from ragline.jobs import unfinished_versions, versions_of
from ragline.models import (
    Document,
    DocumentStatus,
    DocumentVersion,
    Job,
    JobKind,
    JobState,
    Stage,
    User,
    utcnow,
)


@dataclass(frozen=True)
class AcceptedFile:
    """An uploaded (or re-read) file that passed every check, ready to be ingested."""

    filename: str
    kind: DocumentKind
    sha256: str
    size_bytes: int


def plan_job(
    session: Session,
    owner_id: str,
    files: Sequence[AcceptedFile],
    *,
    kind: JobKind = JobKind.INGEST,
    request_id: str | None = None,
    retry_of: str | None = None,
    force: bool = False,
) -> Job:
    """Records a job with one version per file. Unchanged files are ``skipped`` at once.

    A file is unchanged when its document already serves the very same bytes; ``force``
    (bulk re-ingestion) leaves that decision to the flow, which also compares pipeline
    versions.
    """
    job = Job(owner_id=owner_id, kind=kind, request_id=request_id, retry_of=retry_of)
    session.add(job)
    now = utcnow()
    for position, file in enumerate(files):
        document = session.exec(
            select(Document).where(
                Document.owner_id == owner_id, Document.filename == file.filename
            )
        ).first()
        if document is None:
            document = Document(owner_id=owner_id, filename=file.filename)
            session.add(document)
        unchanged = document.status == DocumentStatus.READY and document.sha256 == file.sha256
        version = DocumentVersion(
            job_id=job.id,
            document_id=document.id,
            position=position,
            filename=file.filename,
            content_type=file.kind.content_type,
            kind=file.kind.value,
            size_bytes=file.size_bytes,
            sha256=file.sha256,
        )
        if unchanged and not force:
            version.stage = Stage.SKIPPED
            version.progress = 1.0
            version.chunks_done = version.chunks_total = document.chunks
            version.finished_at = now
        elif document.version_id is None:
            # Nothing indexed yet: describe the pending upload rather than nothing.
            document.status = DocumentStatus.QUEUED
            document.error = None
            document.sha256, document.size_bytes = file.sha256, file.size_bytes
            document.content_type, document.kind = file.kind.content_type, file.kind.value
        document.last_job_id = job.id
        document.updated_at = now
        session.add(version)
    session.flush()
    if all(v.stage == Stage.SKIPPED for v in versions_of(session, job.id)):
        job.state = JobState.COMPLETED
        job.started_at = job.finished_at = now
    return job


def plan_reingest(
    session: Session,
    owner_id: str | None = None,
    *,
    only_changed: bool = True,
    flow_run_id: str | None = None,
) -> Job:
    """A bulk re-ingestion job over every ready document, owned by ``owner_id`` or an admin.

    ``flow_run_id`` is the run the job belongs to when a run plans it (the nightly schedule);
    the API's outbox starts a run only for a job that has none.
    """
    if owner_id is None:
        admin = session.exec(
            select(User).where(User.is_admin).order_by(col(User.created_at))
        ).first()
        if admin is None:
            raise NotFound("There is no admin to own the re-ingestion job.")
        owner_id = admin.id
    job = Job(
        owner_id=owner_id,
        kind=JobKind.REINGEST,
        only_changed=only_changed,
        flow_run_id=flow_run_id,
        state=JobState.RUNNING if flow_run_id else JobState.SCHEDULED,
        started_at=utcnow() if flow_run_id else None,
    )
    session.add(job)
    documents = session.exec(
        select(Document).where(Document.status == DocumentStatus.READY).order_by(col(Document.id))
    )
    for position, document in enumerate(documents):
        session.add(
            DocumentVersion(
                job_id=job.id,
                document_id=document.id,
                position=position,
                filename=document.filename,
                content_type=document.content_type,
                kind=document.kind,
                size_bytes=document.size_bytes,
                sha256=document.sha256,
            )
        )
    session.flush()
    return job


def plan_retry(session: Session, job: Job, *, resume: bool = False) -> Job | None:
    """A new job for the documents of ``job`` that did not finish (None if every one did).

    Finished stages come back from the cache. ``resume``: the automatic one after a crash.
    """
    unfinished = unfinished_versions(session, job.id)
    if not unfinished:
        return None
    files = [
        AcceptedFile(v.filename, DocumentKind(v.kind), v.sha256, v.size_bytes) for v in unfinished
    ]
    # A re-ingestion's flow decides itself what is unchanged (it compares pipeline versions).
    retry = plan_job(
        session,
        job.owner_id,
        files,
        kind=job.kind,
        retry_of=job.id,
        force=job.kind == JobKind.REINGEST,
    )
    retry.only_changed = job.only_changed
    retry.request_id = job.request_id
    if resume:
        retry.resumes = job.id
    session.add(retry)
    return retry
