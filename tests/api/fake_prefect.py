"""A fake Prefect server at the HTTP level, for the gateway and the outbox."""

import json
from typing import Any

import httpx

DEPLOYMENT = {"id": "dep-1", "status": "READY", "last_polled": "2000-01-01T00:00:00Z"}
DEPLOYMENT_IDS = {
    "ingest-documents/ingest-documents": "dep-1",
    "reingest-corpus/reingest-corpus": "dep-2",
}


FINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


def fake_prefect(
    runs: dict[str, dict[str, str]],
    parameters: dict[str, dict[str, Any]] | None = None,
    children: dict[str, list[str]] | None = None,
) -> httpx.MockTransport:
    """Prefect's REST API as far as the gateway uses it; ``runs`` holds each run's state,
    ``parameters`` what each run was started with (and from which deployment) and
    ``children`` each run's child runs (a spread job's documents, started by a deployment)."""
    created: dict[str, str] = {}
    parameters = {} if parameters is None else parameters
    children = {} if children is None else children

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/")
        body: Any = json.loads(request.content) if request.content else None
        if path.startswith("deployments/name/"):
            name = path.removeprefix("deployments/name/")
            return httpx.Response(200, json=DEPLOYMENT | {"id": DEPLOYMENT_IDS[name]})
        if path in ("deployments/dep-1", "deployments/dep-2"):
            return httpx.Response(200, json=DEPLOYMENT)
        if path.startswith("deployments/") and path.endswith("/create_flow_run"):
            run_id = created.setdefault(body["idempotency_key"], f"run-{len(created) + 1}")
            runs.setdefault(run_id, {"type": "SCHEDULED", "name": "Scheduled"})
            parameters[run_id] = {"deployment": path.split("/")[1], **body["parameters"]}
            return httpx.Response(201, json={"id": run_id})
        if path == "flow_runs/filter" and "parent_flow_run_id" in body["flow_runs"]:
            (parent,) = body["flow_runs"]["parent_flow_run_id"]["any_"]
            unfinished = [c for c in children.get(parent, []) if runs[c]["type"] not in FINAL]
            return httpx.Response(
                200,
                json=[
                    {"id": c, "deployment_id": "dep-3", "state_type": runs[c]["type"]}
                    for c in unfinished
                ],
            )
        if path == "flow_runs/filter":
            ids = body["flow_runs"]["id"]["any_"]
            return httpx.Response(200, json=[{"id": i, "state": runs[i]} for i in ids if i in runs])
        if path.endswith("/set_state"):
            runs[path.split("/")[1]] = body["state"]
            return httpx.Response(201, json={"status": "ACCEPT"})
        if path == "health":
            return httpx.Response(200, json=True)
        return httpx.Response(404, json={"detail": "not found"})

    return httpx.MockTransport(handle)
