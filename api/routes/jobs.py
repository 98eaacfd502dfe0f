"""Job history, cancel and retry, bulk re-ingestion."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, status
from sqlmodel import col, func, select
from starlette.concurrency import run_in_threadpool

from api.deps import (
    AdminUser,
    CurrentUser,
    GatewayDep,
    JobSyncDep,
    OutboxDep,
    ReconcilerDep,
    SessionDep,
    SettingsDep,
    VectorStoreDep,
)
from api.errors import COMMON_ERRORS, error_responses
from api.ratelimit import ensure_room_for_a_job
from api.schemas import MAX_OFFSET, JobPublic, Page, ReingestRequest
from api.views import job_public, load_job_public
from ragline import job_plans, jobs, versions
from ragline.errors import Conflict, NotFound
from ragline.job_states import CANCELLED
from ragline.job_updates import announce
from ragline.models import Job, JobKind, JobState, Stage, User

router = APIRouter(prefix="/api/v1", tags=["jobs"], responses=error_responses(401, *COMMON_ERRORS))

CANCELLABLE = {JobState.SCHEDULED, JobState.PENDING, JobState.RUNNING}
RETRYABLE = {JobState.FAILED, JobState.CANCELLED, JobState.CRASHED}


@router.get("/jobs", response_model=Page[JobPublic])
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    state: list[JobState] | None = Query(None, description="Only jobs in these states."),
    kind: JobKind | None = Query(None),
    created_after: datetime | None = Query(None),
    created_before: datetime | None = Query(None),
) -> Page[JobPublic]:
    query = select(Job)
    if not user.is_admin:
        query = query.where(Job.owner_id == user.id)
    if state:
        query = query.where(col(Job.state).in_(state))
    if kind:
        query = query.where(Job.kind == kind)
    if created_after:
        query = query.where(col(Job.created_at) >= created_after)
    if created_before:
        query = query.where(col(Job.created_at) < created_before)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(
        session.exec(
            query.order_by(col(Job.created_at).desc(), col(Job.id)).offset(offset).limit(limit)
        )
    )
    versions = jobs.versions_for_jobs(session, [j.id for j in rows])
    return Page[JobPublic](
        data=[job_public(j, versions[j.id], settings.endpoints.prefect_ui) for j in rows],
        count=total,
    )


def owned_job(session: SessionDep, user: User, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or (job.owner_id != user.id and not user.is_admin):
        raise NotFound("No such job.")  # never 403: that would confirm it exists
    return job


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=error_responses(404))
def get_job(
    job_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> JobPublic:
    return load_job_public(session, owned_job(session, user, job_id), settings.endpoints.prefect_ui)


@router.post(
    "/jobs/{job_id}/cancel",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobPublic,
    responses=error_responses(404, 409),
)
async def cancel_job(
    job_id: str,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    sync: JobSyncDep,
    vector_store: VectorStoreDep,
) -> JobPublic:
    job = await run_in_threadpool(owned_job, session, user, job_id)
    if job.state not in CANCELLABLE:
        raise Conflict(f"A {job.state.value} job cannot be cancelled.", code="not_cancellable")
    if job.flow_run_id:
        run = await gateway.cancel(job.flow_run_id)

        def cancelling() -> None:
            # Read afresh under a lock: the run may have ended while Prefect was asked, and
            # a stale "running" would reopen the ended job (its end recorded twice).
            session.refresh(job, with_for_update=True)
            jobs.set_job_state(session, job, JobState.CANCELLING)
            announce(session, job.id)
            session.commit()

        await run_in_threadpool(cancelling)
        await sync.apply(run)
    else:  # never reached Prefect (still in the outbox): nothing to stop

        def cancelled() -> None:
            session.refresh(job, with_for_update=True)
            jobs.set_job_state(session, job, JobState.CANCELLED, error=CANCELLED)
            versions.stop_unfinished(
                session, vector_store, job.id, Stage.CANCELLED, "Cancelled before it started."
            )
            announce(session, job.id)
            session.commit()

        await run_in_threadpool(cancelled)

    def read_back() -> JobPublic:
        session.refresh(job)
        return load_job_public(session, job, settings.endpoints.prefect_ui)

    return await run_in_threadpool(read_back)


@router.post(
    "/jobs/{job_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobPublic,
    responses=error_responses(404, 409),
)
def retry_job(
    job_id: str,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    reconciler: ReconcilerDep,
) -> JobPublic:
    """A new job for the documents that did not finish; finished stages come from the cache."""
    job = owned_job(session, user, job_id)
    if job.state not in RETRYABLE:
        raise Conflict(f"A {job.state.value} job cannot be retried.", code="not_retryable")
    ensure_room_for_a_job(session, job.owner_id)
    new_job = job_plans.plan_retry(session, job)
    if new_job is None:
        raise Conflict(
            "Every document of this job finished; nothing to retry.", code="nothing_to_retry"
        )
    session.commit()
    reconciler.wake()
    return load_job_public(session, new_job, settings.endpoints.prefect_ui)


@router.post(
    "/reingest",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobPublic,
    responses=error_responses(403),
)
async def reingest(
    body: ReingestRequest,
    admin: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
) -> JobPublic:
    """Re-ingests every ready document; with only_changed, unchanged ones are skipped."""

    def plan() -> Job:
        job = job_plans.plan_reingest(session, admin.id, only_changed=body.only_changed)
        session.commit()
        return job

    job = await run_in_threadpool(plan)
    await outbox.submit(job.id)

    def read_back() -> JobPublic:
        session.refresh(job)
        return load_job_public(session, job, settings.endpoints.prefect_ui)

    return await run_in_threadpool(read_back)
