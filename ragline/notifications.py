"""The notification outbox: what a job's end notifies, and sending each notification once.

:func:`enqueue_job_end` runs in the transaction that ends the job, so a job that ended is
notified even if the process dies a moment later (and a job that did not end is not). The
owner's ``notify`` choice decides whether it is notified at all: every end, failures only
(failed, crashed) or none.

:func:`send_next` claims one due row with ``SELECT ... FOR UPDATE SKIP LOCKED``, delivers it,
and records the outcome in the same transaction: while one process holds a row, the others
skip it, and once it is marked sent nobody claims it again. So several API processes may run
the sender side by side and a notification is sent once. A failed attempt is retried with
a doubling wait (``notify_retry_*`` settings) until ``notify_max_attempts``.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from ragline import job_mail, webhooks
from ragline.models import (
    Notification,
    NotificationChannel,
    NotificationState,
    NotifyChoice,
    User,
    utcnow,
)
from ragline.settings import Settings
from ragline.webhooks import Delivery

FAILURE_STATES = frozenset({"failed", "crashed"})

#: Sends a webhook: (url, body, secret, delivery id, event) → how it went.
PostWebhook = Callable[[str, bytes, str, str, str], Delivery]


def wanted(choice: NotifyChoice, state: str) -> bool:
    """Whether a job that ended in ``state`` is notified to a user who chose ``choice``."""
    if choice == NotifyChoice.NONE:
        return False
    return choice == NotifyChoice.ALL or state in FAILURE_STATES


def enqueue_job_end(
    session: Session, owner: User, job: dict[str, Any], settings: Settings
) -> list[Notification]:
    """Records the notifications of a job that just ended (``job`` as the API shows it)."""
    if not wanted(owner.notify, str(job["state"])):
        return []
    targets = []
    if owner.email and settings.mail_enabled:
        targets.append((NotificationChannel.EMAIL, owner.email))
    if owner.webhook_url:
        targets.append((NotificationChannel.WEBHOOK, owner.webhook_url))
    payload = json.dumps(
        {
            "event": webhooks.JOB_FINISHED,
            "job": job,
            "job_url": job_mail.job_link(settings, str(job["id"])),
        },
        sort_keys=True,
    )
    rows = [
        Notification(
            user_id=owner.id, job_id=str(job["id"]), channel=channel, target=target, payload=payload
        )
        for channel, target in targets
    ]
    session.add_all(rows)
    return rows


def claim_due(session: Session) -> Notification | None:
    """The oldest due notification, locked for this transaction; None when none is free."""
    query = (
        select(Notification)
        .where(
            Notification.state == NotificationState.PENDING,
            col(Notification.next_attempt_at) <= utcnow(),
        )
        .order_by(col(Notification.next_attempt_at))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.exec(query).first()


def deliver(
    session: Session, notification: Notification, settings: Settings, post: PostWebhook
) -> Delivery:
    """One attempt at sending ``notification``."""
    body = json.loads(notification.payload)
    if notification.channel == NotificationChannel.EMAIL:
        outcome = job_mail.JobOutcome.from_json(body["job"])
        message = job_mail.job_mail(settings, notification.target, outcome, notification.id)
        try:
            job_mail.send_mail(settings, message)
        except (OSError, smtplib.SMTPException) as exc:
            return Delivery(ok=False, error=f"The mail server did not take it: {exc}")
        return Delivery(ok=True)
    owner = session.get(User, notification.user_id)
    if owner is None or not owner.webhook_secret:
        return Delivery(ok=False, error="The webhook was removed.")
    return post(
        notification.target,
        notification.payload.encode(),
        owner.webhook_secret,
        notification.id,
        str(body["event"]),
    )


def record(
    session: Session, notification: Notification, delivery: Delivery, settings: Settings
) -> None:
    """Marks an attempt's outcome: sent, retried later (doubling waits), or given up."""
    now = utcnow()
    notification.attempts += 1
    notification.last_status = delivery.status
    notification.last_error = delivery.error
    if delivery.ok:
        notification.state = NotificationState.SENT
        notification.sent_at = now
    elif notification.attempts >= settings.notify_max_attempts:
        notification.state = NotificationState.FAILED
    else:
        wait = settings.notify_retry_first_s * 2 ** (notification.attempts - 1)
        notification.next_attempt_at = now + timedelta(
            seconds=min(wait, settings.notify_retry_max_s)
        )
    session.add(notification)


def send_next(session: Session, settings: Settings, post: PostWebhook) -> Notification | None:
    """Claims, delivers and records one due notification, and commits; None when none is due.

    The row stays locked from the claim to the commit, so no other sender can take it.
    """
    notification = claim_due(session)
    if notification is None:
        session.rollback()
        return None
    record(session, notification, deliver(session, notification, settings, post), settings)
    session.commit()
    return notification


def for_user(
    session: Session, user_id: str, *, limit: int, offset: int
) -> tuple[list[Notification], int]:
    """A user's notifications, newest first: the delivery log of their page."""
    where = Notification.user_id == user_id
    total = session.exec(select(func.count()).select_from(Notification).where(where)).one()
    query = (
        select(Notification)
        .where(where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query)), total
