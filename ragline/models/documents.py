"""Documents, their versions, the jobs that ingest them and the chunks' text.

A *document* is a user's file, identified by its filename; each upload of new bytes is a
*version*, carried by the :class:`DocumentVersion` of the job that ingests it. The document
row always describes what is in the index: a version becomes current (``version_id``)
only when all its chunks are stored, so a failed or cancelled version leaves the previous
one serving.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Computed, Index, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from ragline.models.columns import new_id, timestamp_column, utcnow


class DocumentStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


class JobKind(StrEnum):
    INGEST = "ingest"
    REINGEST = "reingest"


class JobState(StrEnum):
    SCHEDULED = "scheduled"
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    CRASHED = "crashed"

    @property
    def finished(self) -> bool:
        return self in FINISHED_JOB_STATES


FINISHED_JOB_STATES = frozenset(
    {JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED, JobState.CRASHED}
)


class Stage(StrEnum):
    QUEUED = "queued"
    PARSING = "parsing"
    CHUNKING = "chunking"
    EMBEDDING = "embedding"
    STORING = "storing"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in FINISHED_STAGES


FINISHED_STAGES = frozenset({Stage.DONE, Stage.SKIPPED, Stage.FAILED, Stage.CANCELLED})


class Document(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("owner_id", "filename"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    owner_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=255)
    # What is in the index (the current version); empty until a first version is stored.
    content_type: str = ""
    kind: str = ""
    size_bytes: int = 0
    sha256: str = ""
    chunks: int = 0
    version_id: str | None = Field(default=None, description="DocumentVersion id now indexed.")
    index_key: str | None = Field(
        default=None, description="Content hash + pipeline versions of the indexed version."
    )
    status: DocumentStatus = DocumentStatus.QUEUED
    error: str | None = None
    last_job_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(index=True))


class Job(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    owner_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: JobKind = JobKind.INGEST
    only_changed: bool = Field(
        default=True, description="A re-ingestion skips documents that would come out the same."
    )
    state: JobState = Field(default=JobState.SCHEDULED, index=True)
    error: str | None = None
    flow_run_id: str | None = Field(default=None, index=True)
    trigger_attempts: int = 0
    retry_of: str | None = None
    resumes: str | None = Field(
        default=None, description="The crashed job this one resumes, once, automatically."
    )
    request_id: str | None = None
    cpu_seconds: float | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(index=True))
    started_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    heartbeat_at: datetime | None = Field(
        default=None, sa_column=timestamp_column(nullable=True), description="Its run's last beat."
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class DocumentVersion(SQLModel, table=True):
    """One version of one document, ingested by one job. Its id names the version's chunks.

    The contract calls it a job's document (``JobDocument``): the job lists its versions.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    job_id: str = Field(foreign_key="job.id", index=True, ondelete="CASCADE")
    document_id: str = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    position: int = 0
    filename: str
    content_type: str
    kind: str
    size_bytes: int
    sha256: str
    stage: Stage = Stage.QUEUED
    progress: float = 0.0
    chunks_done: int = 0
    chunks_total: int = 0
    error: str | None = None
    error_code: str | None = None
    started_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    heartbeat_at: datetime | None = Field(
        default=None,
        sa_column=timestamp_column(nullable=True),
        description="Its own run's last beat, when the job's documents are spread over workers.",
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


# The text search configuration of every chunk's search vector (stemming, stop words).
SEARCH_CONFIG = "english"
# The SQL function (migration 0013) that adds the parts of compound names to a text before it
# is parsed, for chunks and questions alike: PostgreSQL keeps "statsmodels-nile.csv" or
# "na.locf" as one word, which a question naming "nile" or "locf" would never match.
WITH_NAME_PARTS = "with_name_parts"


class ChunkText(SQLModel, table=True):
    """A stored chunk's text, for keyword (BM25) search beside the vector store's dense one.

    Rows belong to a version like the vector store's chunks do, and only the live version's
    count; the search vector is computed by PostgreSQL itself, so it always matches the
    parser the question is read with.
    """

    __table_args__ = (Index("ix_chunktext_search_vector", "search_vector", postgresql_using="gin"),)

    id: str = Field(primary_key=True, description="The vector store's id for the same chunk.")
    document_id: str = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    version_id: str = Field(foreign_key="documentversion.id", index=True, ondelete="CASCADE")
    filename: str
    page: int | None = None
    heading: str | None = None
    text: str
    search_vector: Any = Field(
        default=None,
        sa_column=Column(
            TSVECTOR,
            Computed(f"to_tsvector('{SEARCH_CONFIG}', {WITH_NAME_PARTS}(text))", persisted=True),
        ),
    )
