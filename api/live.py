"""Keeps jobs in step with Prefect and pushes every change to the owner's WebSockets.

Three loops run inside the API process:
- ``follow_events``: one subscription to Prefect's event stream. A flow-run state change
  updates its job.
- ``follow_job_updates``: listens for the flows' announcements that a document moved on
  (``ragline.job_updates``, PostgreSQL notifications) and pushes the job.
- ``reconcile``: every few seconds, for unfinished jobs, triggers the ones never handed to
  Prefect (the outbox: an upload accepted while Prefect was down), reads run states the
  stream may have missed (the API was restarting), and says why a job is waiting. While
  every unfinished job runs and events keep arriving, it reads run states less often: the
  stream carries each change, and each read costs the Prefect server a query.
Both write through ``apply_run_state`` and read back from the database before pushing, so
``GET /jobs/{id}`` always agrees with what the socket said.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api import metrics
from api.prefect_gateway import PrefectGateway, RunState
from api.schemas import JobPublic
from api.views import load_job_public
from ragline import job_mail, job_updates, jobs
from ragline.deployments import INGEST_DEPLOYMENT, REINGEST_DEPLOYMENT
from ragline.errors import OrchestratorUnavailable, VectorStoreUnavailable
from ragline.models import (
    FINISHED_JOB_STATES,
    Document,
    DocumentVersion,
    Job,
    JobKind,
    JobState,
    Stage,
    User,
)
from ragline.settings import Settings
from ragline.vectorstore import VectorStore

logger = logging.getLogger("ragline.live")

RECONCILE_EVERY_S = 2.0
# How long the event stream is trusted for running jobs: with an event seen this recently,
# run states are read from Prefect at most this often instead of at every tick.
TRUST_STREAM_S = 10.0
WAITING_FOR_WORKER = "Waiting: no ingestion worker is running; the job starts when one is."
WAITING_FOR_PREFECT = (
    "Waiting: the orchestrator (Prefect) is not reachable; the job starts when it is back."
)
LATE = "Waiting: the run is late; the ingestion worker is busy or not running."
CRASHED = (
    "The ingestion process stopped unexpectedly (killed or out of memory); "
    "retry the job, and split very large files if it happens again."
)
CANCELLED = "Cancelled before this document finished."
NOT_PROCESSED = "The ingestion run ended before this document was processed; retry the job."
_UNFINISHED_MESSAGE = {JobState.CANCELLED: CANCELLED, JobState.CRASHED: CRASHED}

_STATE_BY_PREFECT = {
    "SCHEDULED": JobState.SCHEDULED,
    "PAUSED": JobState.SCHEDULED,
    "PENDING": JobState.PENDING,
    "RUNNING": JobState.RUNNING,
    "COMPLETED": JobState.COMPLETED,
    "FAILED": JobState.FAILED,
    "CANCELLING": JobState.CANCELLING,
    "CANCELLED": JobState.CANCELLED,
    "CRASHED": JobState.CRASHED,
}


def deployment_for(job: Job) -> str:
    return REINGEST_DEPLOYMENT if job.kind == JobKind.REINGEST else INGEST_DEPLOYMENT


def trigger_parameters(job: Job, only_changed: bool = True) -> dict[str, Any]:
    if job.kind == JobKind.REINGEST:
        return {"job_id": job.id, "only_changed": only_changed}
    return {"job_id": job.id}


class Hub:
    """The connected WebSockets, by user. Publishing never blocks on a slow client."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, user_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=256)
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


class JobTracker:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        gateway: PrefectGateway,
        hub: Hub,
        vector_store: VectorStore,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.gateway = gateway
        self.hub = hub
        self.vector_store = vector_store
        self._wake = asyncio.Event()
        self._last_event_at = self._last_read_at = float("-inf")
        # A worker that has not polled for this long is gone (it polls every few seconds).
        self.worker_stale_after_s = max(5.0, 3.0 * settings.runner_poll_seconds)

    # -- called by routes ------------------------------------------------------------------
    def wake(self) -> None:
        """Asks the reconciler to look now (a job was just created)."""
        self._wake.set()

    async def submit(self, job_id: str, only_changed: bool = True) -> None:
        """Hands a recorded job to Prefect; on failure it stays in the outbox."""
        with Session(self.engine, expire_on_commit=False) as session:
            job = session.get_one(Job, job_id)
            if job.flow_run_id or job.state.finished:
                return
            job.trigger_attempts += 1
            try:
                job.flow_run_id = await self.gateway.trigger(
                    deployment_for(job), trigger_parameters(job, only_changed), job.id
                )
                job.error = None
                logger.info(
                    "job %s (request %s) -> flow run %s", job.id, job.request_id, job.flow_run_id
                )
            except OrchestratorUnavailable as exc:
                logger.warning("job %s not triggered yet: %s", job.id, exc.message)
                job.error = WAITING_FOR_PREFECT
            session.add(job)
            session.commit()
        self.push(job_id)

    def push(self, job_id: str) -> None:
        # Progress arrives about twice a second per document: with no socket open, there is
        # nobody to tell, so not even the job's owner is looked up.
        if not self.hub.listening():
            return
        with Session(self.engine) as session:
            job = session.get(Job, job_id)
            # Build the message only for someone to send it to.
            if job is not None and self.hub.listening(job.owner_id):
                self.hub.publish(job.owner_id, load_job_public(session, job, self.gateway.ui_url))

    # -- Prefect → jobs ------------------------------------------------------------------
    async def apply_run_state(self, state: RunState, *, worker_online: bool = True) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            job = session.exec(select(Job).where(Job.flow_run_id == state.flow_run_id)).first()
            if job is None:
                return  # a per-document subflow, or a run that is not ours
            new_state = _job_state(state)
            error = _error_for(session, job, new_state, state, worker_online)
            was_finished = job.state.finished
            changed = jobs.set_job_state(session, job, new_state, error=error)
            stopped: list[DocumentVersion] = []
            if new_state in FINISHED_JOB_STATES:
                stage = Stage.CANCELLED if new_state == JobState.CANCELLED else Stage.FAILED
                message = _UNFINISHED_MESSAGE.get(new_state, NOT_PROCESSED)
                stopped = jobs.end_unfinished_versions(session, job.id, stage, message)
            # Chunks a killed run wrote for a version that never became live go before the
            # job reads as ended, so whoever sees "cancelled" or "crashed" sees them gone.
            await self._delete_abandoned(session, stopped)
            session.commit()
            if not (changed or stopped):
                return  # the reconciler re-reads unfinished jobs every few seconds
            owner = session.get(User, job.owner_id)
            finished_now = changed and new_state.finished and not was_finished
            public = load_job_public(session, job, self.gateway.ui_url)
        self.hub.publish(public.owner_id, public)
        if finished_now:
            metrics.JOBS_FINISHED.labels(state=public.state.value).inc()
            if owner is not None and owner.email and self.settings.mail_enabled:
                outcome = job_mail.JobOutcome(
                    id=public.id,
                    state=public.state.value,
                    error=public.error,
                    documents=[
                        job_mail.DocumentOutcome(d.filename, d.stage.value, d.error)
                        for d in public.documents
                    ],
                )
                await asyncio.to_thread(job_mail.send_job_mail, self.settings, owner.email, outcome)

    async def _delete_abandoned(self, session: Session, versions: list[DocumentVersion]) -> None:
        for version in versions:
            owner_id = session.get_one(Document, version.document_id).owner_id
            try:
                await asyncio.to_thread(
                    self.vector_store.delete_version, owner_id, version.document_id, version.id
                )
            except VectorStoreUnavailable:
                # Harmless meanwhile: queries only read live versions. The next ingestion
                # of the document deletes every other version.
                logger.warning("could not delete abandoned chunks of %s yet", version.id)

    # -- loops ------------------------------------------------------------------------------
    async def follow_events(self) -> None:
        while True:
            try:
                async for state in self.gateway.state_changes():
                    self._last_event_at = time.monotonic()
                    await self.apply_run_state(state)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the reconciler covers the gap; try again shortly
                logger.warning("event stream interrupted: %s", exc)
            await asyncio.sleep(1.0)

    async def follow_job_updates(self) -> None:
        while True:
            try:
                async for job_id in job_updates.listen(self.settings.endpoints.app_database):
                    # Runs are moving; the reconciler still reads their states now and then.
                    self._last_event_at = time.monotonic()
                    self.push(job_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # rows are the record: the next announcement catches up
                logger.warning("job updates interrupted: %s", exc)
            await asyncio.sleep(1.0)

    async def reconcile(self) -> None:
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
        with Session(self.engine) as session:
            unfinished = list(
                session.exec(select(Job).where(col(Job.state).not_in(list(FINISHED_JOB_STATES))))
            )
            outbox = [job.id for job in unfinished if not job.flow_run_id]
            tracked = {job.flow_run_id: job for job in unfinished if job.flow_run_id}
        for job_id in outbox:
            await self.submit(job_id)
        now = time.monotonic()
        if not tracked or stream_covers(
            [job.state for job in tracked.values()],
            since_event_s=now - self._last_event_at,
            since_read_s=now - self._last_read_at,
        ):
            return
        self._last_read_at = now
        try:
            states = await self.gateway.run_states(list(tracked))
            # Only a run still waiting to start needs to know whether a worker is there.
            waiting = any(_job_state(state) == JobState.SCHEDULED for state in states.values())
            online = not waiting or await self.gateway.worker_online(
                INGEST_DEPLOYMENT, self.worker_stale_after_s
            )
        except OrchestratorUnavailable:
            await self._mark_waiting(list(tracked.values()))
            return
        for state in states.values():
            await self.apply_run_state(state, worker_online=online)

    async def _mark_waiting(self, waiting: list[Job]) -> None:
        for job in waiting:
            if (
                job.state in (JobState.SCHEDULED, JobState.PENDING)
                and job.error != WAITING_FOR_PREFECT
            ):
                with Session(self.engine) as session:
                    row = session.get_one(Job, job.id)
                    row.error = WAITING_FOR_PREFECT
                    session.add(row)
                    session.commit()
                self.push(job.id)


def stream_covers(states: list[JobState], *, since_event_s: float, since_read_s: float) -> bool:
    """Whether the event stream alone can be trusted with jobs in these states, for now.

    Only running jobs qualify: a job waiting to start needs its reason (no worker, late),
    which only a read tells. And the stream must be alive: an event seen just now.
    """
    return (
        all(state == JobState.RUNNING for state in states)
        and since_event_s < TRUST_STREAM_S
        and since_read_s < TRUST_STREAM_S
    )


def _job_state(run: RunState) -> JobState:
    return _STATE_BY_PREFECT.get(run.type, JobState.SCHEDULED)


def _error_for(
    session: Session, job: Job, state: JobState, run: RunState, worker_online: bool
) -> str | None:
    if state == JobState.SCHEDULED:
        if not worker_online:
            return WAITING_FOR_WORKER
        return LATE if run.name == "Late" else None
    if state == JobState.FAILED:
        versions = jobs.versions_of(session, job.id)
        failed = [v for v in versions if v.stage == Stage.FAILED]
        if failed:
            return f"{len(failed)} of {len(versions)} documents failed."
        return run.message or "The ingestion run failed."
    if state == JobState.CRASHED:
        return CRASHED
    if state == JobState.CANCELLED:
        return "Cancelled."
    return None
