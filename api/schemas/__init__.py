"""Public shapes of the v1 contract (docs/API.md), one module per resource. Routes return
these, never tables; import them from here (``from api.schemas import JobPublic``).

- :mod:`.common`: the row-read base, the ``{data, count}`` page, the error body, plain text
- :mod:`.accounts`: users, sign-in, API keys
- :mod:`.notifications`: a user's webhook, the notifications of job ends
- :mod:`.jobs`: documents, uploads, jobs
- :mod:`.questions`: a question, its answer and citations
- :mod:`.health`: readiness and each component's health
- :mod:`.admin`: the operator console: system health, usage, the re-ingestion schedule
"""

from __future__ import annotations

from api.schemas.accounts import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    EmailAddress,
    KeyName,
    LoginRequest,
    MeUpdate,
    Password,
    PasswordChange,
    Quota,
    StorageUsage,
    Token,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from api.schemas.admin import (
    AdminHealth,
    Analytics,
    DayUsage,
    DiskHealth,
    HealthPoint,
    PrefectLinks,
    QueueHealth,
    ReingestSchedule,
    RouteUsage,
    ScheduleChange,
    WorkerHealth,
)
from api.schemas.common import MAX_OFFSET, PLAIN_TEXT, ErrorBody, Page, Schema
from api.schemas.health import ComponentHealth, Readiness
from api.schemas.jobs import (
    DocumentPublic,
    JobDocumentPublic,
    JobPublic,
    ReingestCounts,
    ReingestRequest,
    RejectedFile,
    UploadAccepted,
    UploadLimits,
)
from api.schemas.notifications import (
    NotificationPublic,
    WebhookPublic,
    WebhookSaved,
    WebhookSet,
    WebhookUrl,
)
from api.schemas.questions import Citation, QueryAnswer, QueryRequest, QuestionText

__all__ = [
    "AdminHealth",
    "Analytics",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "Citation",
    "ComponentHealth",
    "DayUsage",
    "DiskHealth",
    "DocumentPublic",
    "EmailAddress",
    "ErrorBody",
    "HealthPoint",
    "JobDocumentPublic",
    "JobPublic",
    "KeyName",
    "LoginRequest",
    "MAX_OFFSET",
    "MeUpdate",
    "NotificationPublic",
    "PLAIN_TEXT",
    "Page",
    "Password",
    "PasswordChange",
    "PrefectLinks",
    "QueryAnswer",
    "QueryRequest",
    "QuestionText",
    "QueueHealth",
    "Quota",
    "Readiness",
    "ReingestCounts",
    "ReingestRequest",
    "ReingestSchedule",
    "RejectedFile",
    "RouteUsage",
    "ScheduleChange",
    "Schema",
    "StorageUsage",
    "Token",
    "UploadAccepted",
    "UploadLimits",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "WebhookPublic",
    "WebhookSaved",
    "WebhookSet",
    "WebhookUrl",
    "WorkerHealth",
]
