"""The door to Prefect, against a fake server at the HTTP level."""

import json
from typing import Any

import httpx
import pytest

from api.prefect_gateway import PrefectGateway
from ragline.errors import OrchestratorUnavailable

pytestmark = pytest.mark.anyio

DEPLOYMENT = {"id": "dep-1", "status": "READY", "last_polled": "2000-01-01T00:00:00Z"}


def fake_prefect(runs: dict[str, dict[str, str]]) -> httpx.MockTransport:
    created: dict[str, str] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/")
        body: Any = json.loads(request.content) if request.content else None
        if path == "deployments/name/ingest-documents/ingest-documents":
            return httpx.Response(200, json=DEPLOYMENT)
        if path == "deployments/dep-1":
            return httpx.Response(200, json=DEPLOYMENT)
        if path == "deployments/dep-1/create_flow_run":
            run_id = created.setdefault(body["idempotency_key"], f"run-{len(created) + 1}")
            runs.setdefault(run_id, {"type": "SCHEDULED", "name": "Scheduled"})
            return httpx.Response(201, json={"id": run_id})
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


@pytest.fixture
def runs() -> dict[str, dict[str, str]]:
    return {}


@pytest.fixture
def gateway(runs: dict[str, dict[str, str]]) -> PrefectGateway:
    return PrefectGateway("http://prefect.test/api", transport=fake_prefect(runs))


async def test_the_same_job_is_never_triggered_twice(gateway: PrefectGateway) -> None:
    first = await gateway.trigger("ingest-documents/ingest-documents", {"job_id": "j"}, "j")
    again = await gateway.trigger("ingest-documents/ingest-documents", {"job_id": "j"}, "j")
    assert first == again


async def test_a_run_nobody_picked_up_is_cancelled_at_once(gateway: PrefectGateway) -> None:
    run_id = await gateway.trigger("ingest-documents/ingest-documents", {}, "k")
    assert (await gateway.cancel(run_id)).type == "CANCELLED"


async def test_a_running_run_goes_through_cancelling(
    gateway: PrefectGateway, runs: dict[str, dict[str, str]]
) -> None:
    run_id = await gateway.trigger("ingest-documents/ingest-documents", {}, "k")
    runs[run_id] = {"type": "RUNNING", "name": "Running"}
    assert (await gateway.cancel(run_id)).type == "CANCELLING"
    assert (await gateway.run_states([run_id]))[run_id].type == "CANCELLING"


async def test_an_unreachable_server_is_a_clear_service_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    gateway = PrefectGateway("http://prefect.test/api", transport=httpx.MockTransport(refuse))
    with pytest.raises(OrchestratorUnavailable, match="not reachable"):
        await gateway.ping()


def test_run_links_point_at_prefects_ui(gateway: PrefectGateway) -> None:
    assert gateway.run_url("abc") == "http://prefect.test/runs/flow-run/abc"


async def test_a_worker_that_stopped_polling_is_offline(gateway: PrefectGateway) -> None:
    assert not await gateway.worker_online("ingest-documents/ingest-documents", 10)
