"""A run says it is alive: its row's ``heartbeat_at``, every few seconds.

When a run's process dies (killed, out of memory, its host gone) nobody tells Prefect, and
its run would read Running for good. A job's run beats its job row: the API's reconciler
marks the run crashed once that beat is older than a few beats (``api/reconciler.py``), and
the job resumes once. A document's own run (a job spread over workers, ``flows/spread.py``)
beats its version row, which the job's run watches the same way.
A daemon thread: it dies with the process, which is the point.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, update
from sqlmodel import col

from ragline.models import DocumentVersion, Job, utcnow

logger = logging.getLogger("ragline.heartbeat")

Beating = type[Job] | type[DocumentVersion]


def beat(engine: Engine, row_id: str, table: Beating = Job) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(table).where(col(table.id) == row_id).values(heartbeat_at=utcnow())
        )


@contextmanager
def heartbeat(engine: Engine, row_id: str, every_s: float, table: Beating = Job) -> Iterator[None]:
    """Beats at once, then every ``every_s`` seconds until the block ends."""
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                beat(engine, row_id, table)
            except Exception as exc:  # the database may be restarting: beat again later
                logger.warning("heartbeat of %s %s not recorded: %s", table.__name__, row_id, exc)
            if stop.wait(every_s):
                return

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
