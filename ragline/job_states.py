"""What a job's state and its sentence are, given what the orchestrator reports of its run.

Pure functions, no I/O: the API's reconciler and event follower gather the facts (the run's
state, whether a worker is polling, whether the orchestrator answers, the job's documents)
and these decide. A job never waits silently: every waiting job's ``error`` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ragline.models import JobState, Stage

WAITING_FOR_WORKER = "Waiting: no ingestion worker is running; the job starts when one is."
WAITING_FOR_ORCHESTRATOR = (
    "Waiting: the orchestrator (Prefect) is not reachable; the job starts when it is back."
)
LATE = "Waiting: the run is late; the ingestion worker is busy or not running."
CRASHED = (
    "The ingestion process stopped unexpectedly (killed or out of memory); "
    "retry the job, and split very large files if it happens again."
)
RESUMED = " It is resumed automatically, once, as a new job that reuses its finished stages."
CRASHED_AGAIN = (
    "The ingestion process stopped unexpectedly again, after an automatic resume; "
    "retry the job yourself, and split very large files if it happens again."
)
NO_HEARTBEAT = "Its run stopped sending heartbeats: the process was killed or its host is gone."
CANCELLED = "Cancelled."
DOCUMENT_CANCELLED = "Cancelled before this document finished."
DOCUMENT_NOT_PROCESSED = (
    "The ingestion run ended before this document was processed; retry the job."
)
RUN_FAILED = "The ingestion run failed."

# How long the event stream is trusted for running jobs: with an event seen this recently,
# run states are read from the orchestrator at most this often instead of at every tick.
TRUST_STREAM_S = 10.0


@dataclass(frozen=True)
class RunState:
    """A run's state as the orchestrator reports it, in the job's words."""

    flow_run_id: str
    state: JobState
    late: bool = False  # scheduled, and its start time has passed with nobody picking it up
    message: str | None = None


@dataclass(frozen=True)
class QueuePosition:
    """What a job none of whose documents has started waits behind: documents in flight or
    queued before it, the owner's own and other users'."""

    yours: int
    others: int


@dataclass(frozen=True)
class Circumstances:
    """What else decides a waiting job's sentence."""

    worker_online: bool = True
    queue: QueuePosition | None = None


def queue_reason(position: QueuePosition | None) -> str | None:
    """Why a job that runs has not started any document yet (flows/slots.py: each user has
    a few documents in flight at a time, and each worker a few more)."""
    if position is None:
        return None
    if position.yours:
        noun = "document" if position.yours == 1 else "documents"
        return f"Waiting: queued behind {position.yours} {noun} of yours."
    if position.others:
        return (
            f"Waiting: the ingestion workers are busy with {position.others} documents of "
            "other users; yours are next."
        )
    return None


def is_waiting_sentence(error: str | None) -> bool:
    return bool(error and error.startswith("Waiting:"))


def job_error(
    run: RunState, stages: Sequence[Stage], circumstances: Circumstances = Circumstances()
) -> str | None:
    """The sentence a job in ``run.state`` carries (why it waits, how it ended), or None.

    ``stages`` are the job's documents' stages, for a failed job's count.
    """
    state = run.state
    if state == JobState.SCHEDULED:
        if not circumstances.worker_online:
            return WAITING_FOR_WORKER
        return LATE if run.late else queue_reason(circumstances.queue)
    if state in (JobState.PENDING, JobState.RUNNING):
        return queue_reason(circumstances.queue)
    if state == JobState.FAILED:
        failed = sum(stage == Stage.FAILED for stage in stages)
        if failed:
            return f"{failed} of {len(stages)} documents failed."
        return run.message or RUN_FAILED
    if state == JobState.CRASHED:
        return CRASHED
    if state == JobState.CANCELLED:
        return CANCELLED
    return None


def unfinished_document_outcome(state: JobState) -> tuple[Stage, str]:
    """What becomes of a document the run never finished, once the job ended in ``state``."""
    if state == JobState.CANCELLED:
        return Stage.CANCELLED, DOCUMENT_CANCELLED
    if state == JobState.CRASHED:
        return Stage.FAILED, CRASHED
    return Stage.FAILED, DOCUMENT_NOT_PROCESSED


def stream_covers(states: Sequence[JobState], *, since_event_s: float, since_read_s: float) -> bool:
    """Whether the event stream alone can be trusted with jobs in these states, for now.

    Only running jobs qualify: a job waiting to start needs its reason (no worker, late),
    which only a read tells. And the stream must be alive: an event seen just now.
    """
    return (
        all(state == JobState.RUNNING for state in states)
        and since_event_s < TRUST_STREAM_S
        and since_read_s < TRUST_STREAM_S
    )
