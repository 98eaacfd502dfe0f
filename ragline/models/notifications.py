"""The notification outbox: a row per job end and channel."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ragline.models.columns import new_id, timestamp_column, utcnow


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
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=timestamp_column(index=True)
    )
    last_status: int | None = Field(default=None, description="The webhook's last HTTP status.")
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column(index=True))
    sent_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
