"""Pushes a job, as ``GET /jobs/{id}`` would show it, to its owner's open sockets.

Every push reads the job back from the database, so what a socket says always agrees with
what the API answers. Progress arrives about twice a second per document: with nobody
listening, not even the job's owner is looked up.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session

from api.live import Hub
from api.schemas import JobPublic
from api.views import load_job_public
from ragline.models import Job


class Publisher:
    def __init__(self, engine: Engine, hub: Hub, prefect_ui_url: str) -> None:
        self.engine = engine
        self.hub = hub
        self.prefect_ui_url = prefect_ui_url

    async def push(self, job_id: str) -> None:
        if not self.hub.listening():
            return
        job = await asyncio.to_thread(self._load, job_id)
        if job is not None:
            self.hub.publish(job.owner_id, job)

    def _load(self, job_id: str) -> JobPublic | None:
        with Session(self.engine) as session:
            job = session.get(Job, job_id)
            # Build the message only for someone to send it to.
            if job is None or not self.hub.listening(job.owner_id):
                return None
            return load_job_public(session, job, self.prefect_ui_url)
