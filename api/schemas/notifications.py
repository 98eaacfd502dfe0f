"""A user's webhook and the notifications sent when their jobs end."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import httpx
from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from api.schemas.common import Schema
from ragline.models import NotificationChannel, NotificationState


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
