"""A job's end writes its notifications in the transaction that ends it, once."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.job_finished import OnJobFinished
from api.job_sync import JobSync
from ragline import users
from ragline.db import session_scope
from ragline.job_states import RunState
from ragline.models import Job, JobState, Notification, NotificationChannel
from ragline.settings import Settings
from tests.api.routes.conftest import RecordingVectorStore

pytestmark = pytest.mark.anyio


async def test_a_run_that_ends_queues_its_owners_notifications_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        owner = users.create_user(session, "alice", "a-long-password", email="a@example.com")
        users.set_webhook(session, owner, "http://127.0.0.1:9/hook")
        job = Job(owner_id=owner.id, state=JobState.RUNNING, flow_run_id="run-1")
        session.add(job)
    woken = []
    finished = OnJobFinished(Settings(_env_file=None), lambda: woken.append(True))
    sync = JobSync(engine, RecordingVectorStore(), "http://prefect", finished)  # type: ignore[arg-type]

    for _ in range(2):  # the stream and the reconciler may both report the end
        await sync.apply(RunState("run-1", JobState.CRASHED))

    with Session(engine) as session:
        queued = list(session.exec(select(Notification)))
        assert session.get_one(Job, job.id).state == JobState.CRASHED
    assert sorted(n.channel for n in queued) == [
        NotificationChannel.EMAIL,
        NotificationChannel.WEBHOOK,
    ]
    assert woken == [True]
