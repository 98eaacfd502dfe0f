"""A job's state and sentence from what the orchestrator reports: pure decisions."""

from ragline.job_states import (
    CRASHED,
    LATE,
    TRUST_STREAM_S,
    WAITING_FOR_WORKER,
    Circumstances,
    RunState,
    job_error,
    stream_covers,
    unfinished_document_outcome,
)
from ragline.models import JobState, Stage


def run(state: JobState, *, late: bool = False, message: str | None = None) -> RunState:
    return RunState("run-1", state, late=late, message=message)


def test_a_waiting_job_says_why_it_waits() -> None:
    assert job_error(run(JobState.SCHEDULED), []) is None
    assert job_error(run(JobState.SCHEDULED, late=True), []) == LATE
    offline = Circumstances(worker_online=False)
    assert job_error(run(JobState.SCHEDULED, late=True), [], offline) == WAITING_FOR_WORKER


def test_a_failed_job_counts_its_failed_documents() -> None:
    stages = [Stage.DONE, Stage.FAILED, Stage.FAILED]
    assert job_error(run(JobState.FAILED), stages) == "2 of 3 documents failed."
    assert job_error(run(JobState.FAILED, message="boom"), [Stage.DONE]) == "boom"


def test_a_crashed_job_says_what_to_do() -> None:
    assert job_error(run(JobState.CRASHED), [Stage.EMBEDDING]) == CRASHED
    assert job_error(run(JobState.RUNNING), [Stage.EMBEDDING]) is None


def test_documents_a_run_never_finished_are_cancelled_or_failed_with_the_jobs_reason() -> None:
    assert unfinished_document_outcome(JobState.CANCELLED)[0] == Stage.CANCELLED
    assert unfinished_document_outcome(JobState.CRASHED) == (Stage.FAILED, CRASHED)
    assert unfinished_document_outcome(JobState.COMPLETED)[0] == Stage.FAILED


def test_running_jobs_rely_on_a_live_event_stream_between_reads() -> None:
    running = [JobState.RUNNING, JobState.RUNNING]

    assert stream_covers(running, since_event_s=0.5, since_read_s=3.0)
    assert not stream_covers(running, since_event_s=0.5, since_read_s=TRUST_STREAM_S)
    assert not stream_covers(running, since_event_s=TRUST_STREAM_S, since_read_s=3.0)


def test_a_job_that_is_not_running_is_always_read() -> None:
    for waiting in (JobState.SCHEDULED, JobState.PENDING, JobState.CANCELLING):
        states = [JobState.RUNNING, waiting]
        assert not stream_covers(states, since_event_s=0.5, since_read_s=1.0)
