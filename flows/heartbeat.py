"""A job's run says it is alive: its job row's ``heartbeat_at``, every few seconds.

When a run's process dies (killed, out of memory, its host gone) nobody tells Prefect, and
its run would read Running for good. The API's reconciler marks a run crashed once its
heartbeat is older than a few beats (``api/reconciler.py``), and the job resumes once.
A daemon thread: it dies with the process, which is the point.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, update
from sqlmodel import col

from ragline.models import Job, utcnow

logger = logging.getLogger("ragline.heartbeat")


def beat(engine: Engine, job_id: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(Job).where(col(Job.id) == job_id).values(heartbeat_at=utcnow()))


@contextmanager
def heartbeat(engine: Engine, job_id: str, every_s: float) -> Iterator[None]:
    """Beats at once, then every ``every_s`` seconds until the block ends."""
    stop = threading.Event()

    def run() -> None:
        while True:
            try:
                beat(engine, job_id)
            except Exception as exc:  # the database may be restarting: beat again later
                logger.warning("heartbeat of job %s not recorded: %s", job_id, exc)
            if stop.wait(every_s):
                return

    thread = threading.Thread(target=run, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
