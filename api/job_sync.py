"""Applies what the orchestrator reports of a run to its job, once per change.

Run states arrive from the event stream and from the reconciler's reads, possibly twice and
possibly from several API processes at once: the job's row is locked while a state is
applied, so a change is applied (and a job's end is announced) exactly once. Every change
is announced in its own transaction (``ragline.job_updates``), so every API process pushes
it to the owner's sockets.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.schemas import JobPublic
from api.views import load_job_public
from ragline import job_plans, jobs, versions
from ragline.job_states import (
    CRASHED,
    CRASHED_AGAIN,
    RESUMED,
    Circumstances,
    RunState,
    job_error,
    unfinished_document_outcome,
)
from ragline.job_updates import announce
from ragline.models import Job, JobState, User
from ragline.vectorstore import VectorStore

logger = logging.getLogger("ragline.jobs")


class JobFinished(Protocol):
    """Called once when a job has just ended, with the job as the API shows it and its owner:
    ``record`` inside the transaction that ends it, the call itself after the commit."""

    def record(self, session: Session, job: JobPublic, owner: User) -> None: ...

    async def __call__(self, job: JobPublic, owner: User) -> None: ...


class JobSync:
    def __init__(
        self,
        engine: Engine,
        vector_store: VectorStore,
        prefect_ui_url: str,
        on_finished: JobFinished,
    ) -> None:
        self.engine = engine
        self.vector_store = vector_store
        self.prefect_ui_url = prefect_ui_url
        self.on_finished = on_finished

    async def apply(self, run: RunState, circumstances: Circumstances = Circumstances()) -> None:
        ended = await asyncio.to_thread(self._apply, run, circumstances)
        if ended is not None:
            await self.on_finished(*ended)

    def _apply(self, run: RunState, circumstances: Circumstances) -> tuple[JobPublic, User] | None:
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(Job).where(Job.flow_run_id == run.flow_run_id).with_for_update()
            job = session.exec(query).first()
            if job is None:
                return None  # a per-document subflow, or a run that is not ours
            stages = [v.stage for v in jobs.versions_of(session, job.id)]
            was_finished = job.state.finished
            if not run.state.finished:
                circumstances = replace(circumstances, queue=jobs.queue_position(session, job))
            changed = jobs.set_job_state(
                session, job, run.state, error=job_error(run, stages, circumstances)
            )
            stopped = []
            if run.state.finished:
                stage, message = unfinished_document_outcome(run.state)
                # A killed run's chunks go before the job reads as ended, so whoever sees
                # "cancelled" or "crashed" sees them gone.
                stopped = versions.stop_unfinished(
                    session, self.vector_store, job.id, stage, message
                )
            if not (changed or stopped):
                return None  # the reconciler re-reads unfinished jobs every few seconds
            if changed and run.state == JobState.CRASHED and not was_finished:
                job.error = self._resume(session, job)
                session.add(job)
            ended = None
            if changed and run.state.finished and not was_finished:
                owner = session.get_one(User, job.owner_id)
                ended = load_job_public(session, job, self.prefect_ui_url), owner
                self.on_finished.record(session, *ended)  # notified if and only if it ends
            announce(session, job.id)
            session.commit()
            return ended

    def _resume(self, session: Session, job: Job) -> str:
        """A crashed job is resumed once, by a new job for its unfinished documents (the
        outbox starts it); the sentence says so. A resume that crashes again is not."""
        if job.resumes is not None:
            return CRASHED_AGAIN
        resumed = job_plans.plan_retry(session, job, resume=True)
        if resumed is None:
            return CRASHED
        logger.warning("job %s crashed; resumed as job %s", job.id, resumed.id)
        return CRASHED + RESUMED
