"""Documents, uploads and the jobs that ingest them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas.common import Schema
from ragline.models import DocumentStatus, JobKind, JobState, Stage


class DocumentPublic(Schema):
    id: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    status: DocumentStatus
    chunks: int
    error: str | None
    created_at: datetime
    updated_at: datetime
    last_job_id: str | None


class JobDocumentPublic(Schema):
    document_id: str
    version_id: str = Field(
        validation_alias="id", description="This upload's version of the document."
    )
    filename: str
    stage: Stage
    progress: float
    chunks_done: int
    chunks_total: int
    error: str | None
    size_bytes: int
    sha256: str
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime


class ReingestCounts(BaseModel):
    skipped: int = Field(description="Documents unchanged (same bytes and pipeline).")
    reingested: int
    failed: int = Field(description="Documents that failed or were cancelled.")


class JobPublic(Schema):
    id: str
    kind: JobKind
    state: JobState
    progress: float
    documents: list[JobDocumentPublic]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    flow_run_id: str | None
    prefect_url: str | None
    chunks_per_second: float | None = Field(description="Embedding throughput right now.")
    eta_seconds: float | None = Field(description="Estimated seconds until the job ends.")
    owner_id: str
    retry_of: str | None
    cpu_seconds: float | None = Field(
        None, description="CPU the run used (flow process and parsers), once it ended."
    )
    counts: ReingestCounts | None = Field(
        None, description="A re-ingestion's documents so far: skipped, re-ingested, failed."
    )


class RejectedFile(BaseModel):
    filename: str
    status: int
    code: str
    detail: str


class UploadAccepted(BaseModel):
    job: JobPublic
    documents: list[DocumentPublic]
    rejected: list[RejectedFile] = Field(default_factory=list)


class UploadLimits(BaseModel):
    max_file_bytes: int = Field(description="Largest file accepted, in bytes (413 above it).")
    max_files_per_upload: int = Field(description="Most files in one upload request.")


class ReingestRequest(BaseModel):
    only_changed: bool = True
