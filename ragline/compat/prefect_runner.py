"""Prefect's flow-run start and its ``Runner`` (poll, cancellation observer, scheduled-run
poller), for the serve process. Checked against prefect 3.9.1
(:data:`ragline.compat.CHECKED_AGAINST`)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from multiprocessing import context
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect.runner import Runner

logger = logging.getLogger(__name__)


class _ForkserverMultiprocessing:
    """Stands in for the ``multiprocessing`` module inside ``prefect.flow_engine``: Prefect
    asks for a "spawn" context to start a flow run, and gets the forkserver's."""

    def __getattr__(self, name: str) -> Any:
        import multiprocessing

        return getattr(multiprocessing, name)

    @staticmethod
    def get_context(method: str | None = None) -> context.BaseContext:
        import multiprocessing

        return multiprocessing.get_context("forkserver")


def run_flow_runs_in_forkserver() -> None:
    """Makes Prefect start every flow run of this process from the multiprocessing
    forkserver rather than a fresh ``spawn`` process.

    ``prefect.flow_engine.run_flow_in_subprocess`` takes ``multiprocessing.get_context(
    "spawn")`` and offers no way to choose another start method. Patches the
    ``multiprocessing`` name in ``prefect.flow_engine`` with a stand-in whose
    ``get_context`` returns the forkserver context, so runs fork from a process that has
    imported everything once (``deployments/serve.py``). Checked against prefect 3.9.1.
    """
    from prefect import flow_engine

    flow_engine.multiprocessing = _ForkserverMultiprocessing()  # type: ignore[attr-defined,assignment]


async def poll_runner_now(runner: Runner) -> None:
    """Makes a started Prefect ``Runner`` look for scheduled runs now, not at its next tick.

    Calls ``Runner._get_and_submit_flow_runs``, the poll the runner's own loop runs (it skips
    runs already being started, so an extra poll is harmless). The poller behind it,
    ``Runner._scheduled_run_poller``, exists only once ``Runner.start`` has set it up; until
    then this does nothing. Checked against prefect 3.9.1.
    """
    if hasattr(runner, "_scheduled_run_poller"):
        await runner._get_and_submit_flow_runs()  # type: ignore[no-untyped-call]


def renew_cancellation_observer_on_failure(runner: Runner, pause_s: float = 2.0) -> None:
    """Makes a Prefect ``Runner`` start a new cancellation observer when its observer gives up.

    The observer (``FlowRunCancellingObserver``) listens for Cancelling events and polls
    while the events stream is down; when its polls fail a few times in a row (a Prefect
    server restart of a few seconds is enough) it stops for good, and the runner only logs
    it (``Runner._handle_cancellation_observer_failure``): from then on no run of this
    process can be cancelled. Replaces that handler on this runner with one that, after
    ``pause_s``, enters a fresh observer into the runner's exit stack, hands it the runs in
    flight and checks once for runs cancelled meanwhile. Checked against prefect 3.9.1.
    """
    from prefect._internal.observers import FlowRunCancellingObserver

    async def renew() -> None:
        old = runner._cancelling_observer
        assert old is not None
        await asyncio.sleep(pause_s)
        new = FlowRunCancellingObserver(
            on_cancelling=old.on_cancelling,
            on_failure=old.on_failure,
            polling_interval=old.polling_interval,
        )
        await runner._exit_stack.enter_async_context(new)
        for flow_run_id in old._in_flight_flow_run_ids:
            new.add_in_flight_flow_run_id(flow_run_id)
        runner._cancelling_observer = new
        with contextlib.suppress(Exception):  # the new observer's own polls carry on
            await new._check_for_cancelled_flow_runs()  # type: ignore[no-untyped-call]

    runner._handle_cancellation_observer_failure = renew  # type: ignore[method-assign]


def keep_polling_through_prefect_outages() -> None:
    """Keeps a serve process polling for runs while the Prefect server fails or is away.

    The runner polls in ``critical_service_loop`` (``ScheduledRunPoller.run``), which gives up
    for good after three failed polls in a row (its ``backoff`` is 1): a PostgreSQL or Prefect
    restart of a few seconds answers 5xx or refuses the connection that long, the poller
    raises, and the serve process ends once its runs finish. Wraps
    ``ScheduledRunPoller._get_and_submit_flow_runs`` so that such a poll is logged and simply
    made again at the next tick. Checked against prefect 3.9.1.
    """
    from prefect.runner._scheduled_run_poller import ScheduledRunPoller

    poll = ScheduledRunPoller._get_and_submit_flow_runs
    if getattr(poll, "tolerates_outages", False):
        return
    ScheduledRunPoller._get_and_submit_flow_runs = outage_tolerant(poll)  # type: ignore[method-assign]


def outage_tolerant(
    poll: Callable[..., Coroutine[Any, Any, None]],
) -> Callable[..., Coroutine[Any, Any, None]]:
    """``poll``, except that an unreachable or failing (5xx) server is logged, not raised."""

    import httpx

    @functools.wraps(poll)
    async def tolerant(*args: Any, **kwargs: Any) -> None:
        try:
            await poll(*args, **kwargs)
        except httpx.TransportError as exc:
            logger.warning("Prefect is unreachable; polling again at the next tick: %s", exc)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:
                raise
            logger.warning("Prefect answered %s; polling again at the next tick", exc.response)

    tolerant.tolerates_outages = True  # type: ignore[attr-defined]
    return tolerant
