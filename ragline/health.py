"""The system's health in ragline's own words: the job queue, the data disk, the mail server,
and the samples kept in PostgreSQL for the health page's last hour.

One sample is taken per interval however many API processes run: the writer holds a
transaction-level advisory lock and skips when a fresh sample exists (:func:`store_sample`).
"""

from __future__ import annotations

import shutil
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, text
from sqlmodel import Session, col, func, select

from ragline.job_states import LATE
from ragline.models import HealthSample, Job, JobState, utcnow
from ragline.settings import Settings

_SAMPLE_LOCK_KEY = 0x72676C68  # "rglh"
HISTORY = timedelta(hours=1)


@dataclass(frozen=True)
class Queue:
    scheduled: int  # waiting to be picked up
    late: int  # of those, past their start time (Prefect's "Late")
    running: int  # picked up: pending, running or cancelling
    oldest_waiting_s: float | None


def queue(session: Session) -> Queue:
    counts = dict(
        session.exec(
            select(Job.state, func.count())
            .where(col(Job.state).not_in([s for s in JobState if s.finished]))
            .group_by(col(Job.state))
        ).all()
    )
    late = session.exec(
        select(func.count()).where(Job.state == JobState.SCHEDULED, Job.error == LATE)
    ).one()
    oldest = session.exec(
        select(func.min(Job.created_at)).where(Job.state == JobState.SCHEDULED)
    ).one()
    return Queue(
        scheduled=counts.get(JobState.SCHEDULED, 0),
        late=late,
        running=sum(counts.get(s, 0) for s in (JobState.PENDING, JobState.RUNNING))
        + counts.get(JobState.CANCELLING, 0),
        oldest_waiting_s=round((utcnow() - oldest).total_seconds(), 1) if oldest else None,
    )


@dataclass(frozen=True)
class Disk:
    free_bytes: int
    total_bytes: int

    def enough(self, settings: Settings) -> bool:
        return self.free_bytes >= settings.disk_min_free_mb * 1024 * 1024


def disk(path: Path) -> Disk:
    """Free and total space of the disk ``path`` (or its nearest existing parent) is on."""
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return Disk(free_bytes=usage.free, total_bytes=usage.total)


def check_smtp(settings: Settings, timeout_s: float = 3.0) -> None:
    """Greets the mail server and says goodbye; raises OSError/SMTPException when it cannot."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout_s) as smtp:
        smtp.noop()


def store_sample(session: Session, sample: HealthSample, every_s: float, keep_hours: float) -> bool:
    """Stores ``sample`` unless another process stored one less than ``every_s`` ago; prunes
    samples older than ``keep_hours``. Returns whether it was stored."""
    locked = session.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _SAMPLE_LOCK_KEY}
    ).scalar_one()
    if not locked:
        return False
    latest = session.exec(select(func.max(HealthSample.taken_at))).one()
    if latest is not None and (sample.taken_at - latest).total_seconds() < every_s * 0.8:
        return False
    session.add(sample)
    session.execute(
        delete(HealthSample).where(
            col(HealthSample.taken_at) < sample.taken_at - timedelta(hours=keep_hours)
        )
    )
    return True


def history(session: Session, since: datetime | None = None) -> list[HealthSample]:
    """The samples of the last hour, oldest first."""
    start = since or utcnow() - HISTORY
    query = (
        select(HealthSample)
        .where(col(HealthSample.taken_at) >= start)
        .order_by(col(HealthSample.taken_at))
    )
    return list(session.exec(query))
