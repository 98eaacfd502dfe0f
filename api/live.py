"""The open WebSockets, by user: who listens, and a bounded queue per socket.

Publishing never blocks on a slow client: a full queue loses its oldest message, and the
client's next snapshot (on reconnect) has everything anyway. Each socket remembers the
credential it signed in with, so a change of access (a user disabled, signed out) can
re-check it and :meth:`Hub.close` the ones no longer valid.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from typing import Any

from api import metrics
from api.schemas import JobPublic

QUEUE_SIZE = 256
#: The message a socket's loop reads as "close with this code" (never sent to the client).
CLOSE = "close"

Queue = asyncio.Queue[dict[str, Any]]


class Hub:
    def __init__(self) -> None:
        self._queues: dict[str, set[Queue]] = defaultdict(set)
        self._credentials: dict[Queue, str] = {}

    def subscribe(self, user_id: str, credential: str = "") -> Queue:
        queue: Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._queues[user_id].add(queue)
        self._credentials[queue] = credential
        metrics.WS_CONNECTIONS.inc()
        return queue

    def unsubscribe(self, user_id: str, queue: Queue) -> None:
        self._queues[user_id].discard(queue)
        self._credentials.pop(queue, None)
        if not self._queues[user_id]:
            del self._queues[user_id]
        metrics.WS_CONNECTIONS.dec()

    def listening(self, owner_id: str | None = None) -> bool:
        """Whether ``owner_id`` (or, without one, anybody) has a socket open."""
        return bool(self._queues.get(owner_id) if owner_id else self._queues)

    def sockets_of(self, user_id: str) -> list[tuple[Queue, str]]:
        """The user's open sockets, each with the credential it signed in with."""
        return [(queue, self._credentials[queue]) for queue in self._queues.get(user_id, ())]

    def close(self, queue: Queue, code: int, reason: str) -> None:
        """Asks the socket behind ``queue`` to close; nothing it had queued is sent."""
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait({"type": CLOSE, "code": code, "reason": reason})

    def publish(self, owner_id: str, job: JobPublic) -> None:
        message = {"type": "job", "job": job.model_dump(mode="json")}
        for queue in self._queues.get(owner_id, ()):
            if queue.full():  # a stalled client loses its oldest update, not the newest
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)
