"""Documents in flight, on the real Prefect server: a user's slots run out, others' do not."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator

import pytest
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.slots import BULK, document_slot, user_limit, worker_limit
from ragline.settings import Settings
from scripts.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture
def settings(stack: Stack) -> Iterator[Settings]:
    with temporary_settings({PREFECT_API_URL: stack.settings.endpoints.prefect_api}):
        yield stack.settings.model_copy(
            update={
                "worker_name": f"test-{time.monotonic_ns()}",
                "worker_documents_in_flight": 3,
                "user_documents_in_flight": 2,
            }
        )


def hold(settings: Settings, owner: str, started: list[str], release: threading.Event) -> None:
    with document_slot(settings, owner):
        started.append(owner)
        release.wait(30)


def lane(*args: object) -> threading.Thread:
    """A thread holding a slot, in this context (its Prefect settings), as a run's lane is."""
    context = contextvars.copy_context()
    return threading.Thread(target=context.run, args=(hold, *args), daemon=True)


def test_a_user_past_their_slots_waits_while_another_user_starts_at_once(
    settings: Settings,
) -> None:
    started: list[str] = []
    release = threading.Event()
    lanes = [lane(settings, "alice", started, release) for _ in range(3)]
    for thread in lanes:
        thread.start()
    deadline = time.monotonic() + 20
    while len(started) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # alice's third document had time to take a slot, and must not have
    assert started == ["alice", "alice"]

    asked = time.monotonic()
    bob = lane(settings, "bob", started, release)
    bob.start()
    while "bob" not in started:
        assert time.monotonic() - asked < 5, "bob waited behind alice's documents"
        time.sleep(0.05)

    release.set()
    for thread in [*lanes, bob]:
        thread.join(30)
    assert started.count("alice") == 3  # her third document went once a slot freed


def test_the_limits_have_their_settings_sizes(settings: Settings) -> None:
    with document_slot(settings, "carol"), document_slot(settings, "admin", bulk=True):
        pass
    with get_client(sync_client=True) as client:
        sizes = {
            name: client.read_global_concurrency_limit_by_name(name).limit
            for name in (worker_limit(settings), user_limit("carol"), BULK)
        }
    assert sizes == {worker_limit(settings): 3, user_limit("carol"): 2, BULK: 1}
