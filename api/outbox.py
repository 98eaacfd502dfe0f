"""Hands recorded jobs to the orchestrator: the outbox.

A job is recorded (committed) before anyone asks Prefect for a run, so an upload is
accepted while Prefect is down; a job without a run waits here, says why, and starts when
Prefect is back. It never gets two runs: its id is the run's idempotency key, and a job
planned by a run (the nightly re-ingestion) already has its run.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.prefect_gateway import PrefectGateway
from ragline.errors import OrchestratorUnavailable
from ragline.job_states import WAITING_FOR_ORCHESTRATOR
from ragline.job_updates import announce
from ragline.models import FINISHED_JOB_STATES, Job

logger = logging.getLogger("ragline.outbox")


class Outbox:
    def __init__(self, engine: Engine, gateway: PrefectGateway) -> None:
        self.engine = engine
        self.gateway = gateway

    async def submit(self, job_id: str) -> None:
        """Starts the job's run; on failure the job stays in the outbox, saying why."""
        job = await asyncio.to_thread(self._waiting_job, job_id)
        if job is None:
            return
        flow_run_id: str | None = None
        try:
            flow_run_id = await self.gateway.start(job.id, job.kind, only_changed=job.only_changed)
            logger.info("job %s (request %s) -> flow run %s", job.id, job.request_id, flow_run_id)
        except OrchestratorUnavailable as exc:
            logger.warning("job %s not started yet: %s", job.id, exc.message)
        await asyncio.to_thread(self._record, job_id, flow_run_id)

    async def submit_waiting(self) -> None:
        """Submits every unfinished job that has no run yet."""
        for job_id in await asyncio.to_thread(self._waiting_ids):
            await self.submit(job_id)

    def _waiting_ids(self) -> list[str]:
        with Session(self.engine) as session:
            query = select(Job.id).where(
                col(Job.flow_run_id).is_(None), col(Job.state).not_in(list(FINISHED_JOB_STATES))
            )
            return list(session.exec(query))

    def _waiting_job(self, job_id: str) -> Job | None:
        with Session(self.engine, expire_on_commit=False) as session:
            job = session.get(Job, job_id)
            return None if job is None or job.flow_run_id or job.state.finished else job

    def _record(self, job_id: str, flow_run_id: str | None) -> None:
        with Session(self.engine) as session:
            job = session.exec(select(Job).where(Job.id == job_id).with_for_update()).first()
            if job is None or job.flow_run_id or job.state.finished:
                return  # deleted, cancelled or started meanwhile
            job.trigger_attempts += 1
            job.flow_run_id = flow_run_id
            error = None if flow_run_id else WAITING_FOR_ORCHESTRATOR
            changed = flow_run_id is not None or job.error != error
            job.error = error
            session.add(job)
            if changed:
                announce(session, job_id)
            session.commit()
