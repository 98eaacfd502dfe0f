"""What the jobs of one command have done so far, from the live socket's messages.

Pure bookkeeping, no I/O: :class:`JobBoard` keeps the latest copy of each job it watches
(the socket sends a whole job on every change, and a fresh snapshot on every reconnect) and
sums them up for the progress bars. Throughput and ETA are the server's own figures
(``chunks_per_second``, ``eta_seconds`` on each job), which see every document's embedding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ragline_client.models import JobPublic

FINISHED_JOB_STATES = frozenset({"completed", "failed", "cancelled", "crashed"})
FINISHED_STAGES = frozenset({"done", "skipped", "failed", "cancelled"})


@dataclass(frozen=True)
class DocumentProgress:
    version_id: str
    filename: str
    stage: str
    progress: float
    chunks_done: int
    chunks_total: int
    error: str | None

    @property
    def finished(self) -> bool:
        return self.stage in FINISHED_STAGES


@dataclass(frozen=True)
class Overall:
    documents: int
    finished: int
    failed: int
    progress: float  # 0..1, every document weighing the same
    chunks_done: int
    chunks_total: int
    chunks_per_second: float | None
    eta_seconds: float | None


class JobBoard:
    def __init__(self, job_ids: Iterable[str]) -> None:
        self._jobs: dict[str, JobPublic | None] = dict.fromkeys(job_ids)

    def apply(self, message: Mapping[str, Any]) -> bool:
        """Takes a socket message in; whether it changed a watched job."""
        if message.get("type") == "snapshot":
            found = [self.update(JobPublic.from_dict(job)) for job in message.get("jobs", [])]
            return any(found)
        if message.get("type") == "job":
            return self.update(JobPublic.from_dict(message["job"]))
        return False  # heartbeats, and kinds a newer server may send

    def update(self, job: JobPublic) -> bool:
        if job.id not in self._jobs:
            return False  # another of the user's jobs
        self._jobs[job.id] = job
        return True

    @property
    def unseen(self) -> list[str]:
        """Watched jobs no message has described yet (e.g. missing from a snapshot)."""
        return [job_id for job_id, job in self._jobs.items() if job is None]

    @property
    def done(self) -> bool:
        return all(job is not None and job.state in FINISHED_JOB_STATES for job in self.jobs)

    @property
    def jobs(self) -> list[JobPublic]:
        return [job for job in self._jobs.values() if job is not None]

    def documents(self) -> list[DocumentProgress]:
        return [
            DocumentProgress(
                version_id=d.version_id,
                filename=d.filename,
                stage=d.stage,
                progress=d.progress,
                chunks_done=d.chunks_done,
                chunks_total=d.chunks_total,
                error=d.error,
            )
            for job in self.jobs
            for d in job.documents
        ]

    def overall(self) -> Overall:
        documents = self.documents()
        running = [job for job in self.jobs if job.state not in FINISHED_JOB_STATES]
        speeds = [job.chunks_per_second for job in running if job.chunks_per_second]
        etas = [job.eta_seconds for job in running if job.eta_seconds is not None]
        return Overall(
            documents=len(documents),
            finished=sum(d.finished for d in documents),
            failed=sum(d.stage == "failed" for d in documents),
            progress=sum(d.progress for d in documents) / len(documents) if documents else 0.0,
            chunks_done=sum(d.chunks_done for d in documents),
            chunks_total=sum(d.chunks_total for d in documents),
            # The jobs run side by side: their speeds add up, and the last one ends them all.
            chunks_per_second=sum(speeds) if speeds else None,
            eta_seconds=max(etas) if etas else None,
        )
