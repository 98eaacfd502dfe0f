"""Work that one API process does at a time, however many run: a PostgreSQL advisory lock.

The lock is held by a connection of its own; PostgreSQL releases it the moment that
connection ends, so when the process holding it dies (or its host does), another one takes
over within :data:`RETRY_S`. While it holds the lock, a process checks the connection every
:data:`CHECK_S` and stops the work as soon as it is lost, so two processes never do it at
once for longer than that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

logger = logging.getLogger("ragline.leader")

RETRY_S = 2.0
CHECK_S = 2.0


def libpq_url(database_url: str) -> str:
    # SQLAlchemy's URL names its driver ("postgresql+psycopg://"); libpq wants it plain.
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Leadership:
    def __init__(self, database_url: str, key: int, name: str) -> None:
        self.conninfo = libpq_url(database_url)
        self.key = key
        self.name = name
        self.leading = False

    async def run(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Runs ``work`` whenever this process holds the lock; never returns."""
        while True:
            try:
                await self._lead(work)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: try again shortly
                logger.warning("%s: lost the lead or could not take it: %s", self.name, exc)
            finally:
                self.leading = False
            await asyncio.sleep(RETRY_S)

    async def _lead(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        async with await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True
        ) as connection:
            while not await self._try_lock(connection):
                await asyncio.sleep(RETRY_S)
            self.leading = True
            logger.info("%s: this process leads", self.name)
            task = asyncio.create_task(work(), name=self.name)
            try:
                while not task.done():
                    await asyncio.wait({task}, timeout=CHECK_S)
                    await connection.execute("SELECT 1")  # raises once the lock is gone
                task.result()  # the work ended by itself: say why
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _try_lock(self, connection: psycopg.AsyncConnection[tuple[object, ...]]) -> bool:
        cursor = await connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,))
        row = await cursor.fetchone()
        return bool(row and row[0])
