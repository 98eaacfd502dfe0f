"""A job spread over workers: each of its documents a run of the ``ingest-document``
deployment, which whichever worker polls first takes (``Settings.spread_jobs``).

The job's run starts its documents' runs as its children and waits for them, no more at a
time than its owner may have in flight: more would only hold worker processes waiting for
the owner's slots, processes other users' runs need. Each child takes its slots where it
runs (its worker's and its owner's, ``flows.slots``) and beats its version row while it
lives. A child whose worker died (no beat, so Prefect still reads it Running) is marked
crashed and started once more, on any worker, reusing the stages it had finished from the
shared result storage; a second loss fails the document with a sentence.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun, State
from prefect.deployments import run_deployment
from prefect.logging import get_run_logger
from prefect.states import Crashed, Failed
from sqlmodel import Session

from flows.heartbeat import heartbeat
from flows.progress import ProgressReporter
from flows.slots import document_turn
from ragline import warmup
from ragline.db import get_engine
from ragline.deployments import INGEST_DOCUMENT_DEPLOYMENT
from ragline.embedding import get_embedder
from ragline.models import DocumentVersion, utcnow
from ragline.settings import Settings

POLL_S = 1.0
ATTEMPTS = 2
WORKER_LOST = (
    "The workers that took this document stopped twice (killed, or their host gone); retry the job."
)


def width(settings: Settings, *, bulk: bool) -> int:
    """How many of a job's documents run at once on all workers together."""
    return settings.bulk_documents_in_flight if bulk else settings.user_documents_in_flight


@contextmanager
def as_own_run(
    settings: Settings, job_id: str, version_id: str, owner_id: str, *, bulk: bool, small: bool
) -> Iterator[None]:
    """A document's own run: alive (beating) from its start, then holding its slots and
    its share of the model while the block ingests it."""
    engine = get_engine(settings)
    get_run_logger().info("document %s of job %s", version_id, job_id)
    with heartbeat(engine, version_id, settings.run_heartbeat_s, DocumentVersion):
        if not small:
            warmup.flow_run_in_background(settings)
        with document_turn(settings, owner_id, get_embedder(settings), bulk=bulk, small=small):
            yield


def ingest_elsewhere(
    settings: Settings,
    job_id: str,
    version_id: str,
    filename: str,
    *,
    owner_id: str,
    bulk: bool,
    small: bool,
    force: bool,
) -> State[Any]:
    """Runs one document as a child run on any worker; its final state."""
    parameters = {
        "job_id": job_id,
        "version_id": version_id,
        "filename": filename,
        "force": force,
        "owner_id": owner_id,
        "bulk": bulk,
        "small": small,
    }
    for attempt in range(1, ATTEMPTS + 1):
        # Called from a lane's thread, outside any event loop: the synchronous variant.
        run = run_deployment(
            INGEST_DOCUMENT_DEPLOYMENT,
            parameters=parameters,
            timeout=0,
            flow_run_name=filename[:100],
            idempotency_key=f"{version_id}-{attempt}",
        )
        state = outcome(settings, cast(FlowRun, run).id, version_id)
        if state is not None:
            return state
        get_run_logger().warning("%s: its run was lost with its worker", filename)
    ProgressReporter(settings, job_id, version_id, filename).failed(WORKER_LOST, "worker_lost")
    return Failed(message=WORKER_LOST)


def outcome(settings: Settings, flow_run_id: UUID, version_id: str) -> State[Any] | None:
    """The child run's final state; ``None`` when it crashed (or stopped beating, and is
    then marked crashed here, as nobody else would)."""
    engine = get_engine(settings)
    silent_after = timedelta(seconds=settings.crashed_after_s)
    with get_client(sync_client=True) as client:
        while True:
            run = client.read_flow_run(flow_run_id)
            state = run.state
            if state is not None and state.is_crashed():
                return None
            if state is not None and state.is_final():
                return state
            if state is not None and state.is_running() and run.start_time is not None:
                with Session(engine) as session:
                    version = session.get(DocumentVersion, version_id)  # None once deleted
                beat = version.heartbeat_at if version is not None else None
                if utcnow() - last_sign_of_life(beat, run.start_time) > silent_after:
                    message = "Its worker stopped beating (killed, or its host gone)."
                    client.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
                    return None
            time.sleep(POLL_S)


def last_sign_of_life(beat: datetime | None, started: datetime) -> datetime:
    """A beat of an earlier attempt says nothing of this one: never before its start."""
    return started if beat is None else max(beat, started)
