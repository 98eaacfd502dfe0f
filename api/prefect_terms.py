"""Prefect's words in the API's: run states as job states ("Late" is a scheduled run gone
stale), and what the gateway reports of deployments, workers and schedules. Only
``api.prefect_gateway`` reads Prefect's answers; it hands them on in these terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ragline.job_states import RunState
from ragline.models import JobState

JOB_STATE = {
    "SCHEDULED": JobState.SCHEDULED,
    "PAUSED": JobState.SCHEDULED,
    "PENDING": JobState.PENDING,
    "RUNNING": JobState.RUNNING,
    "COMPLETED": JobState.COMPLETED,
    "FAILED": JobState.FAILED,
    "CANCELLING": JobState.CANCELLING,
    "CANCELLED": JobState.CANCELLED,
    "CRASHED": JobState.CRASHED,
}
FINAL_STATE_TYPES = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")


def run_state(flow_run_id: str, state_type: str, state_name: str, message: str | None) -> RunState:
    """Prefect's state of a run, in the job's words ("Late" is a scheduled run gone stale)."""
    return RunState(
        flow_run_id=flow_run_id,
        state=JOB_STATE.get(state_type, JobState.SCHEDULED),
        late=state_name == "Late",
        message=message or None,
    )


@dataclass(frozen=True)
class DeploymentSeen:
    id: str
    name: str
    status: str | None  # READY while something polls for its runs
    paused: bool
    last_polled: datetime | None
    work_pool: str | None
    url: str  # in Prefect's UI


@dataclass(frozen=True)
class WorkerSeen:
    name: str
    status: str | None
    last_heartbeat: datetime | None


@dataclass(frozen=True)
class Schedule:
    deployment_id: str
    schedule_id: str
    cron: str | None
    timezone: str
    active: bool
    next_run_at: datetime | None
    deployment_url: str


def next_cron_time(cron: str, timezone: str, after: datetime | None = None) -> datetime:
    """When a cron schedule fires next (Prefect's own cron library)."""
    from cronsim import CronSim

    start = (after or datetime.now(UTC)).astimezone(ZoneInfo(timezone))
    return next(CronSim(cron, start)).astimezone(UTC)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def run_state_of(run: dict[str, Any]) -> RunState:
    state = run.get("state") or {}
    return run_state(
        str(run["id"]),
        str(state.get("type") or run.get("state_type") or "SCHEDULED"),
        str(state.get("name") or run.get("state_name") or "Scheduled"),
        state.get("message"),
    )
