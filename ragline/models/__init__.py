"""ragline's own tables (SQLModel on PostgreSQL), a module per group; import them from here
(``from ragline.models import Job``): importing this package registers every table on
``SQLModel.metadata``, which the migrations compare against.

- :mod:`.columns`: ids, the clock, timestamp columns
- :mod:`.accounts`: ``User``, ``LoginSession``, ``ApiKey``
- :mod:`.documents`: ``Document``, ``DocumentVersion``, ``Job``, ``ChunkText`` and their states
- :mod:`.notifications`: the ``Notification`` outbox
- :mod:`.operations`: ``UsageDay``, ``RouteDay``, ``HealthSample``
"""

from __future__ import annotations

from ragline.models.accounts import ApiKey, LoginSession, NotifyChoice, User
from ragline.models.columns import new_id, timestamp_column, utcnow
from ragline.models.documents import (
    FINISHED_JOB_STATES,
    FINISHED_STAGES,
    SEARCH_CONFIG,
    WITH_NAME_PARTS,
    ChunkText,
    Document,
    DocumentStatus,
    DocumentVersion,
    Job,
    JobKind,
    JobState,
    Stage,
)
from ragline.models.notifications import Notification, NotificationChannel, NotificationState
from ragline.models.operations import HealthSample, RouteDay, UsageDay

__all__ = [
    "ApiKey",
    "ChunkText",
    "Document",
    "DocumentStatus",
    "DocumentVersion",
    "FINISHED_JOB_STATES",
    "FINISHED_STAGES",
    "HealthSample",
    "Job",
    "JobKind",
    "JobState",
    "LoginSession",
    "Notification",
    "NotificationChannel",
    "NotificationState",
    "NotifyChoice",
    "RouteDay",
    "SEARCH_CONFIG",
    "WITH_NAME_PARTS",
    "Stage",
    "UsageDay",
    "User",
    "new_id",
    "timestamp_column",
    "utcnow",
]
