"""The open WebSockets, by user: who listens, and a bounded queue per socket.

Publishing never blocks on a slow client: a full queue loses its oldest message, and the
client's next snapshot (on reconnect) has everything anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from typing import Any

from api import metrics
from api.schemas import JobPublic

QUEUE_SIZE = 256


class Hub:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, user_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues[user_id].add(queue)
        metrics.WS_CONNECTIONS.inc()
        return queue

    def unsubscribe(self, user_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[user_id].discard(queue)
        if not self._queues[user_id]:
            del self._queues[user_id]
        metrics.WS_CONNECTIONS.dec()

    def listening(self, owner_id: str | None = None) -> bool:
        """Whether ``owner_id`` (or, without one, anybody) has a socket open."""
        return bool(self._queues.get(owner_id) if owner_id else self._queues)

    def publish(self, owner_id: str, job: JobPublic) -> None:
        message = {"type": "job", "job": job.model_dump(mode="json")}
        for queue in self._queues.get(owner_id, ()):
            if queue.full():  # a stalled client loses its oldest update, not the newest
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)
