"""Usage counted in memory on the request path, written to PostgreSQL every few seconds.

A request costs a dictionary update (``recorder.batch.record(...)``); the loop swaps the batch
for an empty one and adds it to the day rows in one transaction (:func:`ragline.analytics.write`).
A batch that could not be written (the database restarting) is merged back and written
with the next one. What is lost is at most the last few seconds before the process stops.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from api.loops import every
from ragline import analytics
from ragline.analytics import UsageBatch
from ragline.db import session_scope


class UsageRecorder:
    def __init__(self, engine: Engine, flush_seconds: float) -> None:
        self.engine = engine
        self.flush_seconds = flush_seconds
        self._batch = UsageBatch()

    @property
    def batch(self) -> UsageBatch:
        """What the request path adds to (swapped at each flush)."""
        return self._batch

    async def run_forever(self) -> None:
        await every("usage", self.flush_seconds, self.flush)

    async def flush(self) -> None:
        batch, self._batch = self._batch, UsageBatch()  # in the event loop: nothing is lost
        if not batch:
            return
        try:
            await asyncio.to_thread(self._write, batch)
        except BaseException:
            self._batch.merge(batch)
            raise

    def _write(self, batch: UsageBatch) -> None:
        with session_scope(self.engine) as session:
            analytics.write(session, batch)
