"""Public shapes of the v1 contract (docs/API.md). Routes return these, never tables."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ragline.answering import RetrievalMode
from ragline.models import (
    DocumentStatus,
    JobKind,
    JobState,
    NotificationChannel,
    NotificationState,
    NotifyChoice,
    Stage,
)

T = TypeVar("T")

# No field of ours means a control character, and PostgreSQL text cannot hold NUL: refused
# at the schema (422) rather than failing in the database. Tab, newline and return pass.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

# Text that is all spaces says nothing: refused (422) like empty text, and stored stripped.
# (A question's NUL or control characters are word breaks: it is never stored as it is.)
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]
KeyName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PLAIN_TEXT)
]


# PostgreSQL's OFFSET is a bigint: a larger one was a 500. No list comes near this many.
MAX_OFFSET = 1_000_000_000


class Schema(BaseModel):
    """A public shape read from a table row. Times are UTC (the database session is UTC),
    which pydantic writes as ISO 8601 with a "Z"."""

    model_config = ConfigDict(from_attributes=True)


class Page(Schema, Generic[T]):
    data: list[T]
    count: int = Field(description="Total number of items matching the query.")


class ErrorBody(BaseModel):
    detail: str = Field(description="A sentence for a human.")
    code: str = Field(description="A stable machine-readable code.")


# --- users and keys ---------------------------------------------------------------------
class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=PLAIN_TEXT)
    password: str = Field(min_length=1, max_length=256)


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


# Where job mails go: name@host, nothing more is checked.
EmailAddress = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256)]
Quota = Annotated[int, Field(ge=0)]


class UserPublic(Schema):
    id: str
    username: str
    email: str | None
    is_admin: bool
    disabled: bool
    created_at: datetime
    notify: NotifyChoice = Field(description="Which job ends are notified: all, failures, none.")
    quota_bytes: int | None = Field(
        description="Most bytes the user may store; null: the default (RAGLINE_QUOTA_BYTES)."
    )
    quota_documents: int | None = Field(
        description="Most documents; null: the server's default (RAGLINE_QUOTA_DOCUMENTS)."
    )


class StorageUsage(BaseModel):
    """What the caller stores against what they may store (null: no limit)."""

    bytes_used: int = Field(description="Bytes of the current file of each of their documents.")
    bytes_allowed: int | None
    documents: int
    documents_allowed: int | None


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: Password
    email: EmailAddress | None = None
    is_admin: bool = False


class UserUpdate(BaseModel):
    """An administrator's changes: only the fields sent change; null clears e-mail and quotas."""

    email: EmailAddress | None = None
    is_admin: bool | None = None
    disabled: bool | None = Field(None, description="A disabled user cannot sign in.")
    password: Password | None = Field(None, description="A new password (ends their sessions).")
    quota_bytes: Quota | None = None
    quota_documents: Quota | None = None


class MeUpdate(BaseModel):
    email: EmailAddress | None = None
    notify: NotifyChoice | None = None


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: Password


def _reachable_url(url: str) -> str:
    """A URL the sender can post to: one httpx can parse (an IDNA-valid host, a port)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"not a URL a webhook can be sent to ({exc})") from None
    if not parsed.host:
        raise ValueError("the URL has no host")
    return url


WebhookUrl = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=2000, pattern=r"^https?://[^\s\x00-\x1f\x7f]+$"
    ),
    AfterValidator(_reachable_url),
]


class WebhookPublic(BaseModel):
    url: str | None = Field(description="Receives a signed POST when one of your jobs ends.")
    secret_hint: str | None = Field(description="The secret's first characters, to recognise it.")


class WebhookSet(BaseModel):
    url: WebhookUrl
    new_secret: bool = Field(False, description="Replace the signing secret with a new one.")


class WebhookSaved(WebhookPublic):
    secret: str | None = Field(
        description="The signing secret, when it is new (shown this once): verify "
        "X-Ragline-Signature = sha256=HMAC-SHA256(secret, body)."
    )


class NotificationPublic(Schema):
    id: str
    job_id: str
    channel: NotificationChannel
    target: str
    state: NotificationState
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class ApiKeyCreate(BaseModel):
    name: KeyName


class ApiKeyPublic(Schema):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The secret; shown this once only.")


# --- documents and jobs -----------------------------------------------------------------
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


# --- questions --------------------------------------------------------------------------
class QueryRequest(BaseModel):
    question: QuestionText
    top_k: int = Field(default=5, ge=1, le=50)
    mode: RetrievalMode = Field(
        default=RetrievalMode.HYBRID,
        description="hybrid (dense and keyword rankings fused), dense or keyword alone.",
    )


class Citation(BaseModel):
    document_id: str
    filename: str
    page: int | None
    snippet: str
    score: float
    heading: str | None = None


class QueryAnswer(BaseModel):
    answer: str
    citations: list[Citation]
    mode: RetrievalMode = Field(
        description="The retrieval that found the citations: the one asked for, or keyword "
        "when the vector store could not be reached."
    )
    notice: str | None = Field(
        default=None, description="Why the answer was found another way than asked, if it was."
    )


# --- health -----------------------------------------------------------------------------
class ComponentHealth(BaseModel):
    ok: bool
    latency_ms: float | None
    detail: str | None
    required: bool = Field(
        True, description="Whether the API is ready only while this component is up."
    )


class Readiness(BaseModel):
    status: Literal["ok", "degraded"]
    components: dict[str, ComponentHealth]
