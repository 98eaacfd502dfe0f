"""Sends the notification outbox (mails, webhooks) from the API process.

Every API process runs this loop; :func:`ragline.notifications.send_next` makes sure each
notification is sent by one of them, once. It looks every ``notify_poll_seconds``, and at
once when this process has just ended a job (:meth:`NotificationSender.wake`). A mail
server or receiver that is down is only a failed attempt: the row waits and is retried.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from api.loops import every
from ragline import notifications, webhooks
from ragline.settings import Settings
from ragline.webhooks import Delivery

logger = logging.getLogger("ragline.notifications")


class NotificationSender:
    def __init__(
        self, engine: Engine, settings: Settings, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.engine = engine
        self.settings = settings
        self._http = httpx.Client(
            timeout=settings.webhook_timeout_s, transport=transport, follow_redirects=False
        )
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        await every("notifications", self.settings.notify_poll_seconds, self.send_due, self._wake)

    async def send_due(self) -> int:
        """Sends every notification due now; returns how many were attempted."""
        attempted = 0
        while await asyncio.to_thread(self.send_one):
            attempted += 1
        return attempted

    def send_one(self) -> bool:
        with Session(self.engine, expire_on_commit=False) as session:
            sent = notifications.send_next(session, self.settings, self._post)
        if sent is not None and sent.last_error:
            logger.warning(
                "%s notification %s (job %s), attempt %d: %s",
                sent.channel.value,
                sent.id,
                sent.job_id,
                sent.attempts,
                sent.last_error,
            )
        return sent is not None

    def _post(self, url: str, body: bytes, secret: str, delivery_id: str, event: str) -> Delivery:
        return webhooks.post(self._http, url, body, secret, delivery_id, event)

    def close(self) -> None:
        self._http.close()
