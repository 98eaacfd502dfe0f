"""Turns rows into the contract's shapes; derives a job's progress, throughput and ETA."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from api.schemas import DocumentPublic, JobDocumentPublic, JobPublic, ReingestCounts
from ragline import jobs, reingest_report
from ragline.models import Document, DocumentVersion, Job, JobKind, JobState, Stage, utcnow


def document_public(document: Document) -> DocumentPublic:
    return DocumentPublic.model_validate(document)


def job_public(job: Job, versions: Sequence[DocumentVersion], prefect_ui_url: str) -> JobPublic:
    progress = sum(v.progress for v in versions) / len(versions) if versions else 1.0
    rate, eta = _throughput(job, versions)
    return JobPublic(
        id=job.id,
        kind=job.kind,
        state=job.state,
        progress=round(1.0 if job.state == JobState.COMPLETED else progress, 4),
        documents=[JobDocumentPublic.model_validate(v) for v in versions],
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        flow_run_id=job.flow_run_id,
        prefect_url=f"{prefect_ui_url}/runs/flow-run/{job.flow_run_id}"
        if job.flow_run_id
        else None,
        chunks_per_second=rate,
        eta_seconds=eta,
        owner_id=job.owner_id,
        retry_of=job.retry_of,
        cpu_seconds=job.cpu_seconds,
        counts=ReingestCounts(**vars(reingest_report.counts(v.stage for v in versions)))
        if job.kind == JobKind.REINGEST
        else None,
    )


def load_job_public(session: Session, job: Job, prefect_ui_url: str) -> JobPublic:
    return job_public(job, jobs.versions_of(session, job.id), prefect_ui_url)


def _throughput(job: Job, versions: Sequence[DocumentVersion]) -> tuple[float | None, float | None]:
    """Chunks embedded per second since the job started, and the time the rest will take.

    Documents not chunked yet are estimated from their size, at the chunks-per-byte rate
    of the documents already chunked in this job.
    """
    if job.state != JobState.RUNNING or job.started_at is None:
        return None, (0.0 if job.state.finished else None)
    worked = [v for v in versions if v.stage != Stage.SKIPPED]
    done = sum(v.chunks_done for v in worked)
    elapsed = (utcnow() - job.started_at).total_seconds()
    if done == 0 or elapsed <= 0:
        return None, None
    rate = done / elapsed
    known = [v for v in worked if v.chunks_total]
    remaining = sum(v.chunks_total - v.chunks_done for v in known)
    bytes_known = sum(v.size_bytes for v in known)
    if bytes_known:
        per_byte = sum(v.chunks_total for v in known) / bytes_known
        pending = [v for v in worked if not v.chunks_total and not v.stage.finished]
        remaining += int(per_byte * sum(v.size_bytes for v in pending))
    return round(rate, 2), round(remaining / rate, 1)
