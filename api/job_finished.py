"""What happens once when a job ends: its metric, and the owner's e-mail."""

from __future__ import annotations

import asyncio

from api import metrics
from api.schemas import JobPublic
from ragline import job_mail
from ragline.models import User
from ragline.settings import Settings


class OnJobFinished:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, job: JobPublic, owner: User) -> None:
        metrics.JOBS_FINISHED.labels(state=job.state.value).inc()
        if owner.email and self.settings.mail_enabled:
            outcome = job_mail.JobOutcome(
                id=job.id,
                state=job.state.value,
                error=job.error,
                documents=[
                    job_mail.DocumentOutcome(d.filename, d.stage.value, d.error)
                    for d in job.documents
                ],
            )
            await asyncio.to_thread(job_mail.send_job_mail, self.settings, owner.email, outcome)
