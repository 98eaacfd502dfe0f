"""What happens once when a job ends.

In the transaction that ends it (:meth:`OnJobFinished.record`): its notifications go into the
outbox, and its documents into the owner's usage of the day. After the commit
(:meth:`OnJobFinished.__call__`): its metric, and the sender is woken to send at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from api import metrics
from api.schemas import JobPublic
from ragline import analytics, notifications
from ragline.models import Stage, User
from ragline.settings import Settings


class OnJobFinished:
    def __init__(self, settings: Settings, wake_sender: Callable[[], None]) -> None:
        self.settings = settings
        self.wake_sender = wake_sender

    def record(self, session: Session, job: JobPublic, owner: User) -> None:
        notifications.enqueue_job_end(session, owner, job.model_dump(mode="json"), self.settings)
        stages = [d.stage for d in job.documents]
        analytics.record_job_end(
            session, owner.id, documents=stages.count(Stage.DONE), failed=stages.count(Stage.FAILED)
        )

    async def __call__(self, job: JobPublic, owner: User) -> None:
        metrics.JOBS_FINISHED.labels(state=job.state.value).inc()
        self.wake_sender()
