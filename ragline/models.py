"""ragline's own tables (SQLModel on PostgreSQL).

A *document* is a user's file, identified by its filename; each upload of new bytes is a
*version*, carried by the :class:`DocumentVersion` of the job that ingests it. The document
row always describes what is in the index: a version becomes current (``version_id``)
only when all its chunks are stored, so a failed or cancelled version leaves the previous
one serving.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Computed, DateTime, Index, Integer, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return secrets.token_hex(12)


def _timestamp(*, nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


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


class NotifyChoice(StrEnum):
    """Which of a user's job ends are notified (by mail and webhook)."""

    ALL = "all"
    FAILURES = "failures"  # failed and crashed jobs
    NONE = "none"


class User(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str
    is_admin: bool = False
    disabled: bool = Field(default=False, description="Cannot sign in; keys and tokens refused.")
    notify: NotifyChoice = NotifyChoice.ALL
    quota_bytes: int | None = Field(
        default=None, sa_type=BigInteger, description="Most bytes stored; None: the default."
    )
    quota_documents: int | None = Field(
        default=None, description="Most documents; None: the default."
    )
    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_secret: str | None = Field(default=None, description="Signs webhook bodies (HMAC).")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class LoginSession(SQLModel, table=True):
    """One sign-in: a login token is valid while its session row is, so one can be ended.

    The token's ``jti`` is this row's id. Signing out revokes one session; a password change
    revokes the user's others; an expired row is only history and is pruned at sign-in.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    expires_at: datetime = Field(sa_column=_timestamp())
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class ApiKey(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, description="Shown in lists so a key can be recognised.")
    key_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    last_used_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    started_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    heartbeat_at: datetime | None = Field(
        default=None, sa_column=_timestamp(nullable=True), description="Its run's last beat."
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


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
    started_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


# The text search configuration of every chunk's search vector (stemming, stop words).
SEARCH_CONFIG = "english"


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
            TSVECTOR, Computed(f"to_tsvector('{SEARCH_CONFIG}', text)", persisted=True)
        ),
    )


class NotificationChannel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class NotificationState(StrEnum):
    PENDING = "pending"  # to be sent at next_attempt_at (again, after a failed attempt)
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt


class Notification(SQLModel, table=True):
    """The notification outbox: one row per job end and channel, written in the transaction
    that ends the job, sent (and marked sent) by whichever API process claims it first.

    ``payload`` is frozen when the job ends: a webhook's retries sign the very same bytes.
    """

    __table_args__ = (UniqueConstraint("job_id", "channel"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    job_id: str = Field(foreign_key="job.id", ondelete="CASCADE")
    channel: NotificationChannel
    target: str = Field(description="The e-mail address or the webhook URL.")
    payload: str = Field(description="The job as JSON, as it ended.")
    state: NotificationState = NotificationState.PENDING
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    last_status: int | None = Field(default=None, description="The webhook's last HTTP status.")
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    sent_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class UsageDay(SQLModel, table=True):
    """One user's usage on one day (UTC), added to by every API process (ragline.analytics)."""

    day: date = Field(primary_key=True)
    user_id: str = Field(primary_key=True, description='A user id, or "-" for anonymous calls.')
    requests: int = 0
    uploads: int = 0
    upload_bytes: int = Field(default=0, sa_type=BigInteger)
    questions: int = 0
    documents: int = Field(default=0, description="Documents ingested by jobs that ended.")
    failed: int = Field(default=0, description="Documents that failed, in jobs that ended.")


class RouteDay(SQLModel, table=True):
    """One route's calls on one day: counts and a fixed latency histogram (p50/p95 from it)."""

    day: date = Field(primary_key=True)
    method: str = Field(primary_key=True, max_length=10)
    route: str = Field(primary_key=True, max_length=200, description="The route's template.")
    count: int = 0
    errors: int = Field(default=0, description="Answers 500 and above.")
    client_errors: int = Field(default=0, description="Answers 400 to 499.")
    latency_buckets: list[int] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Integer), nullable=False),
        description="Calls per latency bucket (ragline.analytics.LATENCY_BOUNDS_MS).",
    )


class HealthSample(SQLModel, table=True):
    """The system's health at one moment, sampled by the API (kept for a retention period)."""

    taken_at: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    components: dict[str, Any] = Field(
        sa_column=Column(JSONB, nullable=False),
        description="name -> {ok, latency_ms} of each component.",
    )
    scheduled: int = 0
    running: int = 0
    late: int = 0
    oldest_waiting_s: float | None = None
    disk_free_bytes: int | None = Field(default=None, sa_type=BigInteger)
