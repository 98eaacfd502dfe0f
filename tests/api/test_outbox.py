"""The outbox on a real PostgreSQL, against a fake Prefect at the HTTP level."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.outbox import Outbox
from api.prefect_gateway import PrefectGateway
from ragline import job_plans
from ragline.job_states import WAITING_FOR_ORCHESTRATOR
from ragline.models import Job
from ragline.users import create_user
from tests.api.fake_prefect import fake_prefect

pytestmark = pytest.mark.anyio


def reingestion(engine: Engine, *, only_changed: bool) -> str:
    with Session(engine) as session:
        admin = create_user(session, "root", "a-long-password", is_admin=True)
        job = job_plans.plan_reingest(session, admin.id, only_changed=only_changed)
        session.commit()
        return job.id


async def test_a_reingestion_keeps_its_only_changed_through_a_retry(engine: Engine) -> None:
    """Regression: a re-ingestion the outbox retried always started with only_changed true."""
    job_id = reingestion(engine, only_changed=False)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    down = Outbox(
        engine, PrefectGateway("http://prefect.test/api", transport=httpx.MockTransport(refuse))
    )
    await down.submit(job_id)
    with Session(engine) as session:
        job = session.get_one(Job, job_id)
        assert job.flow_run_id is None and job.error == WAITING_FOR_ORCHESTRATOR

    parameters: dict[str, dict[str, Any]] = {}
    back = Outbox(
        engine, PrefectGateway("http://prefect.test/api", transport=fake_prefect({}, parameters))
    )
    await back.submit_waiting()
    await back.submit_waiting()  # nothing left: started once

    assert list(parameters.values()) == [
        {"deployment": "dep-2", "job_id": job_id, "only_changed": False}
    ]
    with Session(engine) as session:
        job = session.get_one(Job, job_id)
        assert job.flow_run_id == next(iter(parameters)) and job.error is None


async def test_a_job_planned_by_its_own_run_is_never_started_again(engine: Engine) -> None:
    """Regression: the nightly re-ingestion's job, planned by its run, got a second run."""
    with Session(engine) as session:
        admin = create_user(session, "root", "a-long-password", is_admin=True)
        job_id = job_plans.plan_reingest(session, admin.id, flow_run_id="nightly-run").id
        session.commit()
    parameters: dict[str, dict[str, Any]] = {}
    outbox = Outbox(
        engine, PrefectGateway("http://prefect.test/api", transport=fake_prefect({}, parameters))
    )

    await outbox.submit_waiting()
    await outbox.submit(job_id)

    assert parameters == {}
    with Session(engine) as session:
        assert session.get_one(Job, job_id).flow_run_id == "nightly-run"
