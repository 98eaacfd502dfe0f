"""Reports a document's stage and progress: database row, announcement, progress artifact.

The database row is the record (the API serves it); the announcement, committed with the
row, tells the API to push the job to the owner's sockets at once (``ragline.job_updates``);
the artifact shows a long document's progress in Prefect's UI. Embedding progress is
throttled so reporting never slows ingestion down.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, cast
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.logging import get_run_logger
from sqlmodel import Session

from ragline import jobs
from ragline.db import get_engine, session_scope
from ragline.errors import DocumentDeleted
from ragline.job_updates import announce
from ragline.models import DocumentVersion, Stage
from ragline.settings import Settings

# Progress is sent at most this often while embedding. The contract promises a job update
# at least once a second while embedding, and updates land on batch boundaries (~0.5 s
# apart), hence 0.4 s. Each costs a database write, a notification and a push by the API.
MIN_INTERVAL_S = 0.4
# Prefect's progress artifact is for operators watching a long document; each update is a
# blocking API call and an event, so a document done sooner than this gets none (its
# subflow run's final state already says how it went).
ARTIFACT_INTERVAL_S = 5.0
# Where each stage starts on the document's 0..1 progress bar (embedding dominates).
STAGE_START = {
    Stage.QUEUED: 0.0,
    Stage.PARSING: 0.02,
    Stage.CHUNKING: 0.08,
    Stage.EMBEDDING: 0.1,
    Stage.STORING: 0.95,
}


class JobPace:
    """When each job last announced embedding progress, shared by its documents' reporters.

    The API sends the whole job, every document's progress included, on each announcement.
    So while documents embed side by side, one announcement per interval tells the API about
    all of them: each still writes its own progress row, and the next announcement carries
    it. With two documents at a time that nearly halves the API's pushes while embedding.
    """

    def __init__(self, interval_s: float = MIN_INTERVAL_S) -> None:
        self._interval_s = interval_s
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def due(self, job_id: str, now: float) -> bool:
        """Whether it is time for ``job_id`` to announce; if so, counts this one as sent."""
        with self._lock:
            if now - self._last.get(job_id, float("-inf")) < self._interval_s:
                return False
            self._last[job_id] = now
            return True


_JOB_PACE = JobPace()


def artifact_due(progress: float, since_last_s: float, *, shown: bool) -> bool:
    """Whether to write the progress artifact: every interval while the document is in
    progress, and its end only if one is shown (a quick document's run state says enough)."""
    if progress >= 1.0:
        return shown
    return since_last_s >= ARTIFACT_INTERVAL_S


class ProgressReporter:
    def __init__(self, settings: Settings, job_id: str, version_id: str, filename: str) -> None:
        self._engine = get_engine(settings)
        self._per_batch = settings.progress_updates
        self._job_id = job_id
        self._version_id = version_id
        self._filename = filename
        self._last_sent = 0.0
        self._artifact: UUID | None = None
        self._artifact_sent = time.monotonic()  # the first one is due an interval after start
        self._stage = Stage.QUEUED
        # Embedding progress is written by a side thread, so the model never waits on the
        # database or Prefect (a blocking write every 0.5 s cost ~3% of throughput).
        self._sender: ThreadPoolExecutor | None = None
        self._sending: Future[None] | None = None
        # Set by the side thread on finding the version gone; stops the embedding.
        self._deleted = False

    def stage(self, stage: Stage, **fields: Any) -> None:
        self._drain()
        self._stage = stage
        progress = fields.pop("progress", STAGE_START.get(stage))
        self._write(stage, progress=progress, **fields)

    def embedding(self, done: int, total: int) -> None:
        if self._deleted:
            raise DocumentDeleted(f"{self._filename} was deleted while it was being embedded.")
        now = time.monotonic()
        if done < total and (not self._per_batch or now - self._last_sent < MIN_INTERVAL_S):
            return
        if self._sending is not None and not self._sending.done():
            return  # the previous update is still being written; the next batch brings one
        share = done / total if total else 1.0
        progress = STAGE_START[Stage.EMBEDDING] + share * (
            STAGE_START[Stage.STORING] - STAGE_START[Stage.EMBEDDING]
        )
        if self._sender is None:
            self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="progress")
        self._last_sent = now
        self._sending = self._sender.submit(
            contextvars.copy_context().run,  # Prefect's run context, for the artifact
            self._write_embedding,
            progress,
            done,
            total,
        )

    def _drain(self) -> None:
        """Waits for the progress update being written, so that it cannot overtake this one."""
        if self._sender is None:
            return
        self._sender.shutdown(wait=True)
        error = self._sending.exception() if self._sending is not None else None
        if error is not None:
            get_run_logger().warning("progress not recorded: %s", error)
        self._sender = self._sending = None

    def failed(self, message: str, code: str) -> None:
        """Records the failure as one sentence naming the stage it happened in."""
        self._drain()
        sentence = f"{self._stage.value.capitalize()} failed: {message}"
        with self._recording() as session:
            jobs.fail_version(session, self._version_id, sentence, code)
        self._update_artifact(Stage.FAILED, None)

    def committed(self) -> None:
        """Announces the version the flow has just made live (``jobs.commit_version``)."""
        self._drain()
        with session_scope(self._engine) as session:
            announce(session, self._job_id)
        self._update_artifact(Stage.DONE, 1.0)

    def skipped(self) -> None:
        self._drain()
        with self._recording() as session:
            jobs.skip_version(session, self._version_id)
        self._update_artifact(Stage.SKIPPED, 1.0)

    @contextmanager
    def _recording(self, *, announced: bool = True) -> Iterator[Session]:
        """A transaction that, when ``announced``, tells the API about the job as it commits."""
        with session_scope(self._engine) as session:
            yield session
            if announced:
                announce(session, self._job_id)
                self._last_sent = time.monotonic()

    def _write(self, stage: Stage, **fields: Any) -> None:
        with self._recording() as session:
            jobs.record_stage(session, self._version_id, stage, **fields)
        self._update_artifact(stage, fields.get("progress"))

    def _write_embedding(self, progress: float, done: int, total: int) -> None:
        # Another document of the job may have announced just now; its push carries this row.
        with self._recording(announced=_JOB_PACE.due(self._job_id, time.monotonic())) as session:
            if not jobs.record_embedding_progress(session, self._version_id, progress, done, total):
                self._deleted = session.get(DocumentVersion, self._version_id) is None
        self._update_artifact(Stage.EMBEDDING, progress)

    def _update_artifact(self, stage: Stage, progress: float | None) -> None:
        now = time.monotonic()
        if progress is None or not artifact_due(
            progress, now - self._artifact_sent, shown=self._artifact is not None
        ):
            return
        self._artifact_sent = now
        description = f"{self._filename}: {stage.value}"
        try:
            if self._artifact is None:
                self._artifact = cast(
                    UUID, create_progress_artifact(progress=progress * 100, description=description)
                )
            else:
                update_progress_artifact(
                    self._artifact, progress=progress * 100, description=description
                )
        except Exception as exc:  # the artifact is a nicety; never fail ingestion for it
            get_run_logger().debug("progress artifact not updated: %s", exc)
