"""Prefect's flow-run start and Runner internals the serve process patches."""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest

from ragline import compat
from ragline.compat.prefect_runner import outage_tolerant
from tests.ragline.compat.inspection import assert_checked, parameters


def test_run_flow_runs_in_forkserver_replaces_the_multiprocessing_prefect_spawns_runs_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_checked("prefect")
    from prefect import flow_engine

    assert 'multiprocessing.get_context("spawn")' in inspect.getsource(
        flow_engine.run_flow_in_subprocess
    )
    assert hasattr(flow_engine, "multiprocessing")

    monkeypatch.setattr(flow_engine, "multiprocessing", flow_engine.multiprocessing)  # restored
    compat.run_flow_runs_in_forkserver()
    patched: Any = flow_engine.multiprocessing
    assert patched.get_context("spawn").get_start_method() == "forkserver"
    assert patched.Queue is multiprocessing.Queue


def test_poll_runner_now_calls_the_runners_own_poll_once_started() -> None:
    assert_checked("prefect")
    from prefect.runner import Runner

    poll = Runner._get_and_submit_flow_runs
    assert inspect.iscoroutinefunction(poll) and parameters(poll) == ["self"]
    assert "self._scheduled_run_poller = ScheduledRunPoller(" in inspect.getsource(Runner)
    assert "self._scheduled_run_poller._get_and_submit_flow_runs()" in inspect.getsource(poll)

    runner = Runner(name="compat-test")
    assert not hasattr(runner, "_scheduled_run_poller")  # not started
    asyncio.run(compat.poll_runner_now(runner))  # does nothing, fails nothing


def test_the_cancellation_observer_renewal_uses_the_runners_own_observer() -> None:
    assert_checked("prefect")
    from prefect._internal.observers import FlowRunCancellingObserver
    from prefect.runner import Runner

    entering = inspect.getsource(Runner.__aenter__)
    assert "self._handle_cancellation_observer_failure" in entering  # looked up per call
    assert "self._cancelling_observer = await self._exit_stack.enter_async_context(" in entering
    assert parameters(FlowRunCancellingObserver) == [
        "on_cancelling",
        "polling_interval",
        "event_filter",
        "on_failure",
    ]
    observer = FlowRunCancellingObserver(on_cancelling=lambda _: None, polling_interval=3)
    observer.add_in_flight_flow_run_id(uuid.uuid4())
    assert len(observer._in_flight_flow_run_ids) == 1 and observer.polling_interval == 3
    assert inspect.iscoroutinefunction(observer._check_for_cancelled_flow_runs)

    runner = Runner(name="compat-test")
    compat.renew_cancellation_observer_on_failure(runner)
    assert inspect.iscoroutinefunction(runner._handle_cancellation_observer_failure)


def test_the_runners_poll_gives_up_after_three_failures_so_it_is_made_outage_tolerant() -> None:
    assert_checked("prefect")
    from prefect.runner._scheduled_run_poller import ScheduledRunPoller
    from prefect.utilities.services import critical_service_loop

    defaults = inspect.signature(critical_service_loop).parameters
    assert (defaults["consecutive"].default, defaults["backoff"].default) == (3, 1)
    assert "critical_service_loop" in inspect.getsource(ScheduledRunPoller.run)
    assert parameters(ScheduledRunPoller._get_and_submit_flow_runs) == ["self", "task_group"]

    compat.keep_polling_through_prefect_outages()
    compat.keep_polling_through_prefect_outages()  # once is enough, twice changes nothing
    patched = ScheduledRunPoller._get_and_submit_flow_runs
    assert getattr(patched, "tolerates_outages", False)
    assert not getattr(inspect.unwrap(patched), "tolerates_outages", False)


def test_an_outage_tolerant_poll_survives_5xx_and_no_connection_but_not_a_4xx() -> None:
    request = httpx.Request("GET", "http://prefect/api/flow_runs/filter")

    def failing(error: Exception) -> Callable[[], Coroutine[Any, Any, None]]:
        async def poll() -> None:
            raise error

        return poll

    outage = httpx.HTTPStatusError("down", request=request, response=httpx.Response(503))
    asyncio.run(outage_tolerant(failing(outage))())
    asyncio.run(outage_tolerant(failing(httpx.ConnectError("refused")))())
    mistake = httpx.HTTPStatusError("bad", request=request, response=httpx.Response(422))
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(outage_tolerant(failing(mistake))())
