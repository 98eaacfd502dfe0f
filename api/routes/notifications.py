"""The caller's webhook and the log of their notifications (mails and webhook deliveries)."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from api.deps import CurrentUser, SessionDep
from api.errors import COMMON_ERRORS, error_responses
from api.schemas import (
    MAX_OFFSET,
    NotificationPublic,
    Page,
    WebhookPublic,
    WebhookSaved,
    WebhookSet,
)
from ragline import notifications, users
from ragline.models import User

router = APIRouter(
    prefix="/api/v1/me", tags=["notifications"], responses=error_responses(401, *COMMON_ERRORS)
)


def _webhook(user: User) -> WebhookPublic:
    hint = user.webhook_secret[:10] if user.webhook_secret else None
    return WebhookPublic(url=user.webhook_url, secret_hint=hint)


@router.get("/webhook", response_model=WebhookPublic)
def get_webhook(user: CurrentUser) -> WebhookPublic:
    return _webhook(user)


@router.put("/webhook", response_model=WebhookSaved)
def set_webhook(body: WebhookSet, user: CurrentUser, session: SessionDep) -> WebhookSaved:
    secret = users.set_webhook(session, user, body.url, new_secret=body.new_secret)
    return WebhookSaved(**_webhook(user).model_dump(), secret=secret)


@router.delete("/webhook", status_code=status.HTTP_204_NO_CONTENT)
def remove_webhook(user: CurrentUser, session: SessionDep) -> None:
    users.remove_webhook(session, user)


@router.get("/notifications", response_model=Page[NotificationPublic])
def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[NotificationPublic]:
    """Your notifications, newest first: sent, waiting to be retried (and why), or given up."""
    rows, total = notifications.for_user(session, user.id, limit=limit, offset=offset)
    return Page[NotificationPublic](
        data=[NotificationPublic.model_validate(n) for n in rows], count=total
    )
