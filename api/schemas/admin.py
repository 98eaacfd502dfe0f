"""Public shapes of the operator console: system health, usage analytics, the re-ingestion
schedule (the contract's additions, docs/API.md)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from api.schemas.health import ComponentHealth


class WorkerHealth(BaseModel):
    name: str
    kind: str = Field(description="deployment (its runs' pollers) or worker (of the work pool)")
    last_seen: datetime | None = Field(description="Last poll or heartbeat.")
    status: str | None = Field(description="Prefect's word for it (READY, ONLINE...).")
    ok: bool
    url: str | None = Field(description="Where Prefect's UI shows it.")


class QueueHealth(BaseModel):
    scheduled: int = Field(description="Jobs waiting to be picked up.")
    late: int = Field(description="Of those, past their start time.")
    running: int = Field(description="Jobs picked up (pending, running, cancelling).")
    oldest_waiting_s: float | None = Field(description="Age of the oldest waiting job.")


class DiskHealth(BaseModel):
    free_bytes: int
    total_bytes: int


class HealthPoint(BaseModel):
    at: datetime
    ok: dict[str, bool]
    latency_ms: dict[str, float | None]
    scheduled: int
    running: int
    late: int
    disk_free_bytes: int | None


class PrefectLinks(BaseModel):
    ui: str
    work_pool: str
    runs: str
    deployments: dict[str, str] = Field(description="deployment name -> its page")


class AdminHealth(BaseModel):
    components: dict[str, ComponentHealth]
    workers: list[WorkerHealth]
    queue: QueueHealth
    disk: DiskHealth
    history: list[HealthPoint] = Field(description="Samples of the last hour, oldest first.")
    links: PrefectLinks
    sample_every_s: float


class DayUsage(BaseModel):
    day: date
    user: str = Field(description='A username, or "-" for calls nobody signed.')
    requests: int
    uploads: int = Field(description="Upload requests accepted.")
    bytes: int = Field(description="Bytes uploaded.")
    documents: int = Field(description="Documents ingested by jobs that ended.")
    failed: int = Field(description="Documents that failed.")
    questions: int


class RouteUsage(BaseModel):
    method: str
    route: str
    count: int
    errors: int = Field(description="Answers 500 and above.")
    client_errors: int = Field(description="Answers 400 to 499.")
    error_rate: float = Field(description="errors / count.")
    p50_ms: float | None
    p95_ms: float | None


class Analytics(BaseModel):
    days: int
    per_day: list[DayUsage]
    per_route: list[RouteUsage]


class ReingestSchedule(BaseModel):
    scheduled: bool = Field(description="Whether the deployment has a schedule at all.")
    cron: str | None = None
    timezone: str | None = None
    active: bool = False
    next_run_at: datetime | None = None
    deployment_url: str | None = None


class ScheduleChange(BaseModel):
    active: bool = Field(description="false pauses the nightly re-ingestion, true resumes it.")
