"""The only door from the API to Prefect: start a job's run, read and change run states, and
follow the event stream. Prefect's vocabulary (deployments, state types, "Late") stops here:
what leaves this module speaks in jobs (:class:`ragline.job_states.RunState`), in the terms
of ``api.prefect_terms``.

REST calls go through one ``httpx.AsyncClient`` (tests swap its transport); the event stream
uses Prefect's own subscriber, which handles the websocket protocol and reconnection.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

from api.prefect_terms import (
    FINAL_STATE_TYPES,
    DeploymentSeen,
    Schedule,
    WorkerSeen,
    next_cron_time,
    parse_time,
    run_state,
    run_state_of,
)
from ragline.deployments import INGEST_DEPLOYMENT, REINGEST_DEPLOYMENT
from ragline.errors import OrchestratorUnavailable
from ragline.job_states import RunState
from ragline.models import JobKind, JobState

logger = logging.getLogger("ragline.prefect")

_DEPLOYMENT = {JobKind.INGEST: INGEST_DEPLOYMENT, JobKind.REINGEST: REINGEST_DEPLOYMENT}


def prefect_auth_headers(auth_string: str | None) -> dict[str, str]:
    """What a Prefect server with PREFECT_SERVER_API_AUTH_STRING wants: the string, Basic."""
    if not auth_string:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(auth_string.encode()).decode()}


class PrefectGateway:
    def __init__(
        self,
        api_url: str,
        *,
        ui_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        auth_string: str | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.ui_url = (ui_url or self.api_url.removesuffix("/api")).rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.api_url + "/",
            timeout=httpx.Timeout(5.0),
            transport=transport,
            headers=prefect_auth_headers(auth_string),
        )
        self._deployment_ids: dict[str, str] = {}

    async def aclose(self) -> None:
        await self._http.aclose()

    def run_url(self, flow_run_id: str) -> str:
        return f"{self.ui_url}/runs/flow-run/{flow_run_id}"

    # -- runs -----------------------------------------------------------------------------
    async def start(self, job_id: str, kind: JobKind, *, only_changed: bool = True) -> str:
        """Creates the job's flow run and returns its id; a job never gets a second run
        (its id is the run's idempotency key)."""
        parameters: dict[str, Any] = {"job_id": job_id}
        if kind == JobKind.REINGEST:
            parameters["only_changed"] = only_changed
        deployment_id = await self._deployment_id(_DEPLOYMENT[kind])
        body = {"parameters": parameters, "idempotency_key": job_id}
        run = await self._request("POST", f"deployments/{deployment_id}/create_flow_run", body)
        return str(run["id"])

    async def run_states(self, flow_run_ids: list[str]) -> dict[str, RunState]:
        if not flow_run_ids:
            return {}
        body = {"flow_runs": {"id": {"any_": flow_run_ids}}, "limit": len(flow_run_ids)}
        runs = await self._request("POST", "flow_runs/filter", body)
        return {str(run["id"]): run_state_of(run) for run in runs}

    async def cancel(self, flow_run_id: str) -> RunState:
        """Cancels a run: at once if no process runs it yet, else via Cancelling (the
        runner kills the process, then reports Cancelled)."""
        current = (await self.run_states([flow_run_id])).get(flow_run_id)
        if current is None:
            raise OrchestratorUnavailable("Prefect does not know this run.")
        name = "Cancelled" if current.state == JobState.SCHEDULED else "Cancelling"
        state = {"type": name.upper(), "name": name, "message": "Cancelled by the user."}
        await self._request(
            "POST", f"flow_runs/{flow_run_id}/set_state", {"state": state, "force": True}
        )
        await self._stop_children(flow_run_id, "The job was cancelled.")
        return run_state(flow_run_id, state["type"], name, state["message"])

    async def mark_crashed(self, flow_run_id: str, message: str) -> RunState:
        """Records that a run's process is gone (nobody else will tell Prefect)."""
        state = {"type": "CRASHED", "name": "Crashed", "message": message}
        await self._request(
            "POST", f"flow_runs/{flow_run_id}/set_state", {"state": state, "force": True}
        )
        # A spread job's documents still running elsewhere stop: the job resumes them.
        await self._stop_children(flow_run_id, "The job's run crashed; its resume takes over.")
        return run_state(flow_run_id, "CRASHED", "Crashed", message)

    async def _stop_children(self, flow_run_id: str, message: str) -> None:
        """Cancels a run's unfinished child runs at once, as Prefect's own cleanup would
        later: a spread job's documents run as children on any worker (flows/spread.py),
        which no longer kills with the job's process."""
        body = {
            "flow_runs": {
                "parent_flow_run_id": {"any_": [flow_run_id]},
                "state": {"type": {"not_any_": list(FINAL_STATE_TYPES)}},
            }
        }
        for child in await self._request("POST", "flow_runs/filter", body):
            # Only a runner can stop a process: a child it has not started, or one that ran
            # in the job's own process, is cancelled outright.
            started = child["deployment_id"] and child["state_type"] != "SCHEDULED"
            name = "Cancelling" if started else "Cancelled"
            state = {"type": name.upper(), "name": name, "message": message}
            await self._request(
                "POST", f"flow_runs/{child['id']}/set_state", {"state": state, "force": True}
            )

    # -- health ---------------------------------------------------------------------------
    async def ping(self) -> float:
        """Round-trip to the server in ms; raises OrchestratorUnavailable."""
        started = time.perf_counter()
        await self._request("GET", "health")
        return (time.perf_counter() - started) * 1000

    async def worker_online(self, stale_after_s: float) -> bool:
        """Whether a serve process or worker polled for ingestion runs lately.

        Prefect's own READY flag lags by about a minute; the last poll time says at once.
        """
        deployment_id = await self._deployment_id(INGEST_DEPLOYMENT)
        data = await self._request("GET", f"deployments/{deployment_id}")
        last_polled = parse_time(data.get("last_polled"))
        if data.get("status") != "READY" or last_polled is None:
            return False
        age = datetime.now(UTC) - last_polled
        return age.total_seconds() <= stale_after_s

    async def deployments(self) -> list[DeploymentSeen]:
        """Every deployment, with when a serve process or worker last polled for its runs."""
        found = await self._request("POST", "deployments/filter", {})
        return [
            DeploymentSeen(
                id=str(d["id"]),
                name=str(d["name"]),
                status=d.get("status"),
                paused=bool(d.get("paused")),
                last_polled=parse_time(d.get("last_polled")),
                work_pool=d.get("work_pool_name"),
                url=f"{self.ui_url}/deployments/deployment/{d['id']}",
            )
            for d in found
        ]

    async def pool_workers(self, pool: str) -> list[WorkerSeen]:
        """The workers of a work pool and their last heartbeats; none when there is no such
        pool (``make run`` serves the deployments from one process instead)."""
        found = await self._request(
            "POST", f"work_pools/{pool}/workers/filter", {}, missing_ok=True
        )
        return [
            WorkerSeen(
                name=str(w["name"]),
                status=w.get("status"),
                last_heartbeat=parse_time(w.get("last_heartbeat_time")),
            )
            for w in found or []
        ]

    def pool_url(self, pool: str) -> str:
        return f"{self.ui_url}/work-pools/work-pool/{pool}"

    # -- the nightly re-ingestion's schedule -----------------------------------------------
    async def reingest_schedule(self) -> Schedule | None:
        """The re-ingestion deployment's schedule (None when it has none) and its next run."""
        deployment_id = await self._deployment_id(REINGEST_DEPLOYMENT)
        schedules = await self._request("GET", f"deployments/{deployment_id}/schedules")
        if not schedules:
            return None
        first = schedules[0]
        cron = (first.get("schedule") or {}).get("cron")
        timezone = (first.get("schedule") or {}).get("timezone") or "UTC"
        active = bool(first.get("active"))
        next_run = None
        if active:
            body = {
                "deployments": {"id": {"any_": [deployment_id]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                "sort": "EXPECTED_START_TIME_ASC",
                "limit": 1,
            }
            runs = await self._request("POST", "flow_runs/filter", body)
            next_run = parse_time(runs[0].get("next_scheduled_start_time")) if runs else None
            if next_run is None and cron:  # Prefect schedules the next runs a moment later
                next_run = next_cron_time(cron, timezone)
        return Schedule(
            deployment_id=deployment_id,
            schedule_id=str(first["id"]),
            cron=cron,
            timezone=timezone,
            active=active,
            next_run_at=next_run,
            deployment_url=f"{self.ui_url}/deployments/deployment/{deployment_id}",
        )

    async def set_reingest_schedule_active(self, active: bool) -> Schedule | None:
        """Pauses or resumes the nightly re-ingestion (Prefect drops the runs it had planned
        when paused, and plans them again when resumed)."""
        schedule = await self.reingest_schedule()
        if schedule is None:
            return None
        await self._request(
            "PATCH",
            f"deployments/{schedule.deployment_id}/schedules/{schedule.schedule_id}",
            {"active": active},
        )
        return await self.reingest_schedule()

    # -- events ---------------------------------------------------------------------------
    async def state_changes(self) -> AsyncIterator[RunState]:
        """Flow-run state changes, as they happen (Prefect's event stream)."""
        from prefect.events.clients import PrefectEventSubscriber
        from prefect.events.filters import EventFilter, EventNameFilter

        event_filter = EventFilter(event=EventNameFilter(prefix=["prefect.flow-run."]))
        async with PrefectEventSubscriber(
            api_url=self.api_url, filter=event_filter, reconnection_attempts=1_000_000
        ) as subscriber:
            async for event in subscriber:
                resource = event.resource
                state_type = resource.get("prefect.state-type")
                if state_type is None:
                    continue  # a heartbeat
                yield run_state(
                    resource.id.removeprefix("prefect.flow-run."),
                    state_type,
                    resource.get("prefect.state-name") or state_type.title(),
                    resource.get("prefect.state-message"),
                )

    # -- plumbing -------------------------------------------------------------------------
    async def _deployment_id(self, deployment: str) -> str:
        if deployment not in self._deployment_ids:
            data = await self._request("GET", f"deployments/name/{deployment}")
            self._deployment_ids[deployment] = str(data["id"])
        return self._deployment_ids[deployment]

    async def _request(
        self, method: str, path: str, body: Any = None, *, missing_ok: bool = False
    ) -> Any:
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.TransportError as exc:
            raise OrchestratorUnavailable(
                f"The orchestrator (Prefect) at {self.api_url} is not reachable."
            ) from exc
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code == 404 and path.startswith("deployments/name/"):
            raise OrchestratorUnavailable(
                "The ingestion deployment is not registered yet: is the ingestion worker running?"
            )
        if response.status_code >= 400:
            raise OrchestratorUnavailable(
                f"The orchestrator (Prefect) answered {response.status_code} to {method} {path}."
            )
        return response.json() if response.content else None
