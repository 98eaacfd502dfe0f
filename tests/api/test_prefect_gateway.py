"""The door to Prefect, against a fake server at the HTTP level."""

import httpx
import pytest

from api.prefect_gateway import PrefectGateway
from ragline.errors import OrchestratorUnavailable
from ragline.models import JobKind, JobState
from tests.api.fake_prefect import fake_prefect

pytestmark = pytest.mark.anyio


@pytest.fixture
def runs() -> dict[str, dict[str, str]]:
    return {}


@pytest.fixture
def gateway(runs: dict[str, dict[str, str]]) -> PrefectGateway:
    return PrefectGateway("http://prefect.test/api", transport=fake_prefect(runs))


async def test_the_same_job_is_never_started_twice(gateway: PrefectGateway) -> None:
    first = await gateway.start("j", JobKind.INGEST)
    again = await gateway.start("j", JobKind.INGEST)
    assert first == again


async def test_a_run_nobody_picked_up_is_cancelled_at_once(gateway: PrefectGateway) -> None:
    run_id = await gateway.start("k", JobKind.INGEST)
    assert (await gateway.cancel(run_id)).state == JobState.CANCELLED


async def test_a_running_run_goes_through_cancelling(
    gateway: PrefectGateway, runs: dict[str, dict[str, str]]
) -> None:
    run_id = await gateway.start("k", JobKind.INGEST)
    runs[run_id] = {"type": "RUNNING", "name": "Running"}
    assert (await gateway.cancel(run_id)).state == JobState.CANCELLING
    assert (await gateway.run_states([run_id]))[run_id].state == JobState.CANCELLING


async def test_a_spread_jobs_unfinished_documents_stop_with_it() -> None:
    runs = {
        "job": {"type": "RUNNING", "name": "Running"},
        "embedding": {"type": "RUNNING", "name": "Running"},
        "waiting": {"type": "SCHEDULED", "name": "Scheduled"},
        "done": {"type": "COMPLETED", "name": "Completed"},
    }
    children = {"job": ["embedding", "waiting", "done"]}
    gateway = PrefectGateway(
        "http://prefect.test/api", transport=fake_prefect(runs, children=children)
    )
    await gateway.cancel("job")
    # Its worker's runner stops the one it runs; nobody started the other.
    assert [runs[c]["type"] for c in children["job"]] == ["CANCELLING", "CANCELLED", "COMPLETED"]
    runs |= {
        "job2": {"type": "RUNNING", "name": "Running"},
        "left": {"type": "RUNNING", "name": "Running"},
    }
    children["job2"] = ["left"]
    await gateway.mark_crashed("job2", "no heartbeat")
    assert runs["left"]["type"] == "CANCELLING"  # the job's resume takes its document over


async def test_an_unreachable_server_is_a_clear_service_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    gateway = PrefectGateway("http://prefect.test/api", transport=httpx.MockTransport(refuse))
    with pytest.raises(OrchestratorUnavailable, match="not reachable"):
        await gateway.ping()


def test_run_links_point_at_prefects_ui(gateway: PrefectGateway) -> None:
    assert gateway.run_url("abc") == "http://prefect.test/runs/flow-run/abc"


async def test_a_worker_that_stopped_polling_is_offline(gateway: PrefectGateway) -> None:
    assert not await gateway.worker_online(10)
