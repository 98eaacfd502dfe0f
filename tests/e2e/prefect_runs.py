"""What Prefect recorded of a job's runs, read from its REST API (for assertions)."""

from __future__ import annotations

import time

import httpx

from scripts.stack import Stack


def subflow_states(stack: Stack, flow_run_id: str) -> dict[str, str]:
    """Each document's subflow run state under a job's flow run, by its name (the file's)."""
    runs = httpx.post(
        f"{stack.settings.endpoints.prefect_api}/flow_runs/filter",
        json={"flow_runs": {"parent_flow_run_id": {"any_": [flow_run_id]}}},
    ).json()
    return {r["name"]: r["state"]["name"] for r in runs}


def parse_task_states(stack: Stack, flow_run_id: str) -> list[str]:
    """The state names of the parse tasks run under a job's flow run (and its subflows).

    Prefect records task runs in batches, up to a second after they ran: wait for them.
    """
    api = stack.settings.endpoints.prefect_api
    subflows = httpx.post(
        f"{api}/flow_runs/filter",
        json={"flow_runs": {"parent_flow_run_id": {"any_": [flow_run_id]}}},
    ).json()
    deadline = time.monotonic() + 10
    while True:
        tasks = httpx.post(
            f"{api}/task_runs/filter",
            json={
                # A job of one document runs its tasks in its own run, not in a subflow.
                "flow_runs": {"id": {"any_": [flow_run_id, *(r["id"] for r in subflows)]}},
                "task_runs": {"name": {"like_": "parse"}},
            },
        ).json()
        states = [t["state"]["name"] for t in tasks]
        if states and all(state in ("Cached", "Completed", "Failed") for state in states):
            return states
        if time.monotonic() > deadline:
            return states
        time.sleep(0.2)


def cached_tasks(stack: Stack, name: str, at_least: int = 0, timeout_s: float = 10) -> int:
    """How many tasks named like ``name`` Prefect recorded as Cached, in every run.

    Task runs reach the server in batches after they ran: a count expected to grow is read
    again until it reaches ``at_least`` or the time is up.
    """
    body = {"task_runs": {"name": {"like_": name}, "state": {"name": {"any_": ["Cached"]}}}}
    deadline = time.monotonic() + timeout_s
    while True:
        response = httpx.post(f"{stack.settings.endpoints.prefect_api}/task_runs/count", json=body)
        response.raise_for_status()
        count = int(response.json())
        if count >= at_least or time.monotonic() > deadline:
            return count
        time.sleep(0.2)
