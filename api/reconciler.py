"""Keeps every unfinished job in step with Prefect, whatever the event stream missed.

Three loops run in the API process (:meth:`Reconciler.run_forever` starts them; with several
API processes, the third runs in one of them at a time, see ``api/leader.py``):
- **run states**: one subscription to Prefect's event stream; a flow-run state change
  updates its job (:class:`api.job_sync.JobSync`);
- **job updates**: the flows' announcements that a job moved on (PostgreSQL ``LISTEN``,
  ``ragline.job_updates``), pushed to the owner's sockets;
- **reconcile**: every few seconds, for unfinished jobs: submits the ones the outbox still
  holds, reads run states the stream may have missed (the API was restarting), and says
  why a job waits. While every unfinished job runs and events keep arriving it reads less
  often: the stream carries each change, and each read costs the Prefect server a query.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from api.job_sync import JobSync
from api.leader import Leadership
from api.loops import forever
from api.outbox import Outbox
from api.prefect_gateway import PrefectGateway
from api.publisher import Publisher
from ragline import job_updates, jobs
from ragline.errors import OrchestratorUnavailable
from ragline.job_states import (
    NO_HEARTBEAT,
    WAITING_FOR_ORCHESTRATOR,
    Circumstances,
    is_waiting_sentence,
    queue_reason,
    stream_covers,
)
from ragline.models import FINISHED_JOB_STATES, Job, JobState, utcnow

logger = logging.getLogger("ragline.reconciler")

RECONCILE_EVERY_S = 2.0
# The advisory lock of the one API process that reconciles ("rcnc").
RECONCILER_LOCK = 0x72636E63


class Reconciler:
    def __init__(
        self,
        engine: Engine,
        database_url: str,
        gateway: PrefectGateway,
        outbox: Outbox,
        sync: JobSync,
        publisher: Publisher,
        *,
        worker_stale_after_s: float,
        crashed_after_s: float,
    ) -> None:
        self.engine = engine
        self.database_url = database_url
        self.gateway = gateway
        self.outbox = outbox
        self.sync = sync
        self.publisher = publisher
        self.worker_stale_after_s = worker_stale_after_s
        self.crashed_after_s = crashed_after_s
        self.leadership = Leadership(database_url, RECONCILER_LOCK, "reconciler")
        self._wake = asyncio.Event()
        self._last_event_at = self._last_read_at = float("-inf")

    def wake(self) -> None:
        """Asks for a look now (a job was just created)."""
        self._wake.set()

    async def run_forever(self) -> None:
        """Every API process follows the streams (its own sockets need every update); one
        at a time reconciles (the outbox, crash detection, waiting reasons)."""
        await asyncio.gather(
            forever("run states", self._follow_run_states),
            forever("job updates", self._follow_job_updates),
            self.leadership.run(self._reconcile_forever),
        )

    async def _follow_run_states(self) -> None:
        async for run in self.gateway.state_changes():
            self._last_event_at = time.monotonic()
            await self.sync.apply(run)

    async def _follow_job_updates(self) -> None:
        async for job_id in job_updates.listen(self.database_url):
            # Runs are moving; the reconciler still reads their states now and then.
            self._last_event_at = time.monotonic()
            await self.publisher.push(job_id)

    async def _reconcile_forever(self) -> None:
        while True:
            try:
                await self.reconcile_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("reconcile failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), RECONCILE_EVERY_S)
            self._wake.clear()

    async def reconcile_once(self) -> None:
        await self.outbox.submit_waiting()
        await asyncio.to_thread(self._explain_queues)
        for flow_run_id in await asyncio.to_thread(self._silent_runs):
            logger.warning("flow run %s stopped beating: marking it crashed", flow_run_id)
            with contextlib.suppress(OrchestratorUnavailable):  # next tick, then
                await self.sync.apply(await self.gateway.mark_crashed(flow_run_id, NO_HEARTBEAT))
        tracked = await asyncio.to_thread(self._tracked)
        now = time.monotonic()
        if not tracked or stream_covers(
            list(tracked.values()),
            since_event_s=now - self._last_event_at,
            since_read_s=now - self._last_read_at,
        ):
            return
        self._last_read_at = now
        try:
            runs = await self.gateway.run_states(list(tracked))
            # Only a run still waiting to start needs to know whether a worker is there.
            waiting = any(run.state == JobState.SCHEDULED for run in runs.values())
            online = not waiting or await self.gateway.worker_online(self.worker_stale_after_s)
        except OrchestratorUnavailable:
            await asyncio.to_thread(self._mark_unreachable, list(tracked))
            return
        for run in runs.values():
            await self.sync.apply(run, Circumstances(worker_online=online))

    def _tracked(self) -> dict[str, JobState]:
        """Unfinished jobs with a run: their run ids and states."""
        with Session(self.engine) as session:
            query = select(Job.flow_run_id, Job.state).where(
                col(Job.flow_run_id).is_not(None), col(Job.state).not_in(list(FINISHED_JOB_STATES))
            )
            return {str(run_id): JobState(state) for run_id, state in session.exec(query)}

    def _silent_runs(self) -> list[str]:
        """Runs of started jobs whose heartbeat (flows/heartbeat.py) is overdue."""
        overdue = utcnow() - timedelta(seconds=self.crashed_after_s)
        with Session(self.engine) as session:
            query = select(Job.flow_run_id).where(
                col(Job.state).in_([JobState.PENDING, JobState.RUNNING]),
                col(Job.flow_run_id).is_not(None),
                func.coalesce(col(Job.heartbeat_at), col(Job.started_at)) < overdue,
            )
            return [str(run_id) for run_id in session.exec(query)]

    def _explain_queues(self) -> None:
        """Running jobs none of whose documents has started say what they wait behind.

        Read from the database alone: no run state changes when a document ahead finishes.
        """
        with Session(self.engine) as session:
            query = (
                select(Job)
                .where(col(Job.state).in_([JobState.PENDING, JobState.RUNNING]))
                .with_for_update(skip_locked=True)
            )
            for job in session.exec(query):
                if job.error is not None and not is_waiting_sentence(job.error):
                    continue
                reason = queue_reason(jobs.queue_position(session, job))
                if reason != job.error:
                    job.error = reason
                    session.add(job)
                    job_updates.announce(session, job.id)
            session.commit()

    def _mark_unreachable(self, flow_run_ids: list[str]) -> None:
        """Jobs waiting to start say that Prefect cannot be reached."""
        with Session(self.engine) as session:
            query = select(Job).where(
                col(Job.flow_run_id).in_(flow_run_ids),
                col(Job.state).in_([JobState.SCHEDULED, JobState.PENDING]),
                col(Job.error).is_distinct_from(WAITING_FOR_ORCHESTRATOR),
            )
            for job in session.exec(query):
                job.error = WAITING_FOR_ORCHESTRATOR
                session.add(job)
                job_updates.announce(session, job.id)
            session.commit()
