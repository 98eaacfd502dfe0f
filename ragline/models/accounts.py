"""Users, their sign-in sessions and API keys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from ragline.models.columns import new_id, timestamp_column, utcnow


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
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class LoginSession(SQLModel, table=True):
    """One sign-in: a login token is valid while its session row is, so one can be ended.

    The token's ``jti`` is this row's id. Signing out revokes one session; a password change
    revokes the user's others; an expired row is only history and is pruned at sign-in.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column())
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))


class ApiKey(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, description="Shown in lists so a key can be recognised.")
    key_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    last_used_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
