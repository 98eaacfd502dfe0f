"""Users, sign-in and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import PLAIN_TEXT, Schema
from ragline.models import NotifyChoice


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


KeyName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PLAIN_TEXT)
]


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
