"""The operator console's data: system health, usage analytics, the re-ingestion schedule."""

from __future__ import annotations

import csv
import io
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import AdminUser, GatewayDep, ServicesDep, SessionDep
from api.errors import COMMON_ERRORS, error_responses
from api.health_sampler import health_now
from api.prefect_terms import Schedule
from api.schemas import (
    AdminHealth,
    Analytics,
    DayUsage,
    DiskHealth,
    HealthPoint,
    PrefectLinks,
    QueueHealth,
    ReingestSchedule,
    RouteUsage,
    ScheduleChange,
    WorkerHealth,
)
from api.services import worker_stale_after_s
from ragline import analytics, health
from ragline.deployments import WORK_POOL
from ragline.errors import OrchestratorUnavailable
from ragline.models import utcnow

router = APIRouter(
    prefix="/api/v1/admin", tags=["admin"], responses=error_responses(401, 403, *COMMON_ERRORS)
)

Days = Query(7, ge=1, le=366, description="The last N days, today (UTC) included.")


@router.get("/health", response_model=AdminHealth)
async def system_health(
    admin: AdminUser, services: ServicesDep, session: SessionDep, gateway: GatewayDep
) -> AdminHealth:
    """Every component now, the workers' last polls and heartbeats, the job queue, the data
    disk, the last hour's samples, and where Prefect's UI shows the rest."""
    now = await health_now(services)
    workers = await _workers(services, gateway)
    history = await run_in_threadpool(health.history, session)
    deployments = {w.name: w.url for w in workers if w.kind == "deployment" and w.url}
    return AdminHealth(
        components=now.components,
        workers=workers,
        queue=QueueHealth(**vars(now.queue)),
        disk=DiskHealth(**vars(now.disk)),
        history=[
            HealthPoint(
                at=s.taken_at,
                ok={name: bool(c["ok"]) for name, c in s.components.items()},
                latency_ms={name: c["latency_ms"] for name, c in s.components.items()},
                scheduled=s.scheduled,
                running=s.running,
                late=s.late,
                disk_free_bytes=s.disk_free_bytes,
            )
            for s in history
        ],
        links=PrefectLinks(
            ui=gateway.ui_url,
            work_pool=gateway.pool_url(WORK_POOL),
            runs=f"{gateway.ui_url}/runs",
            deployments=deployments,
        ),
        sample_every_s=services.settings.health_sample_seconds,
    )


async def _workers(services: ServicesDep, gateway: GatewayDep) -> list[WorkerHealth]:
    """Who polls for runs: each deployment's last poll (the serve process) and the work
    pool's workers; none when Prefect cannot be asked (its component says why)."""
    stale_after = worker_stale_after_s(services.settings)
    now = utcnow()
    try:
        deployments = await gateway.deployments()
        pool = await gateway.pool_workers(WORK_POOL)
    except OrchestratorUnavailable:
        return []
    found = [
        WorkerHealth(
            name=d.name,
            kind="deployment",
            last_seen=d.last_polled,
            status="PAUSED" if d.paused else d.status,
            ok=d.last_polled is not None and (now - d.last_polled).total_seconds() <= stale_after,
            url=d.url,
        )
        for d in deployments
    ]
    found += [
        WorkerHealth(
            name=w.name,
            kind="worker",
            last_seen=w.last_heartbeat,
            status=w.status,
            ok=w.status == "ONLINE",
            url=gateway.pool_url(WORK_POOL),
        )
        for w in pool
    ]
    return found


@router.get("/analytics", response_model=Analytics)
def usage_analytics(admin: AdminUser, session: SessionDep, days: int = Days) -> Analytics:
    """Usage per day and user, and per route (count, errors, p50/p95 latency), from the
    aggregates the API keeps (written every few seconds)."""
    return Analytics(
        days=days,
        per_day=[DayUsage(**vars(row)) for row in analytics.per_day(session, days)],
        per_route=[RouteUsage(**vars(row)) for row in analytics.per_route(session, days)],
    )


@router.get(
    "/analytics.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The table as CSV."}},
)
def usage_analytics_csv(
    admin: AdminUser,
    session: SessionDep,
    days: int = Days,
    table: Literal["per_day", "per_route"] = Query("per_day"),
) -> Response:
    """One of the analytics tables as CSV; a cell a spreadsheet would run as a formula
    (starting with = + - @, a tab or a carriage return) is prefixed with a quote."""
    if table == "per_day":
        rows: list[object] = list(analytics.per_day(session, days))
        columns = list(DayUsage.model_fields)
    else:
        rows = list(analytics.per_route(session, days))
        columns = list(RouteUsage.model_fields)
    out = io.StringIO()
    csv.writer(out).writerows(analytics.csv_rows(rows, columns))
    filename = f"ragline-{table.replace('_', '-')}-{days}d.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/reingest/schedule", response_model=ReingestSchedule)
async def reingest_schedule(admin: AdminUser, gateway: GatewayDep) -> ReingestSchedule:
    """The nightly re-ingestion's schedule as Prefect has it: cron, paused or active, next run."""
    return _schedule(await gateway.reingest_schedule())


@router.patch("/reingest/schedule", response_model=ReingestSchedule)
async def change_reingest_schedule(
    body: ScheduleChange, admin: AdminUser, gateway: GatewayDep
) -> ReingestSchedule:
    """Pauses (``active: false``) or resumes the nightly re-ingestion, in Prefect."""
    return _schedule(await gateway.set_reingest_schedule_active(body.active))


def _schedule(found: Schedule | None) -> ReingestSchedule:
    if found is None:
        return ReingestSchedule(scheduled=False)
    return ReingestSchedule(
        scheduled=True,
        cron=found.cron,
        timezone=found.timezone,
        active=found.active,
        next_run_at=found.next_run_at,
        deployment_url=found.deployment_url,
    )
