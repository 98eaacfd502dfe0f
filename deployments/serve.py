"""Serves every deployment in prefect.yaml from one process: ``python -m deployments.serve``.

Why ``serve`` and not a work pool + worker: the serve process polls often and is told of
new runs at once, so it starts a run sooner than a process worker does
(bench/trigger_latency.py measures both).

Why a forkserver: Prefect starts each flow run in a fresh ``spawn`` process, which would
re-import Prefect, unstructured and chromadb and load the model in every run. Here flow-run
processes are forked from a forkserver that did all of that once
(:func:`ragline.warmup.flow_run_server`), so a run's CPU goes to its documents. The process
boundary, cancellation (the runner kills the child) and crash detection are unchanged.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
from pathlib import Path
from typing import Any

import yaml
from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.schedules import CronSchedule
from prefect.exceptions import ObjectNotFound
from prefect.runner import Runner
from prefect.schedules import Cron, Schedule

from flows.results import save_stage_result_storage
from ragline import compat, warmup
from ragline.settings import PROJECT_ROOT, get_settings

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
# Imported once in the forkserver; every flow-run process inherits them.
PRELOAD = ["flows.preload"]
SCHEDULED_EVENT = "prefect.flow-run.Scheduled"

logger = logging.getLogger("ragline.serve")


def use_warm_forkserver() -> None:
    """Makes Prefect start flow runs from a forkserver that has imported :data:`PRELOAD`,
    and starts it now, so its imports are paid before the first run arrives."""
    compat.run_flow_runs_in_forkserver()
    warmup.start_forkserver(PRELOAD)


def load_deployments(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    config = yaml.safe_load(path.read_text())
    return list(config["deployments"])


def flow_from_entrypoint(entrypoint: str) -> Flow[Any, Any]:
    module_path, function = entrypoint.split(":")
    module_name = module_path.removesuffix(".py").replace("/", ".")
    flow = getattr(importlib.import_module(module_name), function)
    if not isinstance(flow, Flow):
        raise TypeError(f"{entrypoint} is not a Prefect flow")
    return flow


async def schedules_left_by_operators(full_name: str) -> dict[str, bool]:
    """Whether each cron schedule of a deployment already on the server is active, as an
    operator may have left it (paused from the UI or Prefect's); empty for a new one."""
    async with get_client() as client:
        try:
            deployment = await client.read_deployment_by_name(full_name)
        except ObjectNotFound:
            return {}
    return {
        s.schedule.cron: s.active
        for s in deployment.schedules
        if isinstance(s.schedule, CronSchedule)
    }


def schedules_of(spec: dict[str, Any], left_by_operators: dict[str, bool]) -> list[Schedule]:
    """prefect.yaml's schedules, each keeping the active flag an operator chose for it: a
    restart must not resume a schedule someone paused."""
    return [
        Cron(
            s["cron"],
            timezone=s.get("timezone", "UTC"),
            active=left_by_operators.get(s["cron"], s.get("active", True)),
        )
        for s in spec.get("schedules") or []
    ]


def add_deployments(runner: Runner) -> None:
    """Registers every deployment of prefect.yaml with the runner, as in-memory flows.

    ``add_flow`` (rather than ``serve(*deployments)``) is what lets the runner start a run
    straight from the flow object in a forked process, instead of ``python -m prefect.engine``
    re-importing it from its entrypoint.
    """
    for spec in load_deployments():
        flow = flow_from_entrypoint(spec["entrypoint"])
        left = asyncio.run(schedules_left_by_operators(f"{flow.name}/{spec['name']}"))
        runner.add_flow(
            flow,
            name=spec["name"],
            description=spec.get("description"),
            tags=spec.get("tags"),
            parameters=spec.get("parameters"),
            schedules=schedules_of(spec, left),
        )


async def pick_up_new_runs_at_once(runner: Runner) -> None:
    """Polls as soon as Prefect announces a scheduled run, rather than at the next tick.

    The runner still polls on its own every ``runner_poll_seconds`` (that remains the
    guarantee); this only cuts a new upload's wait for its run from half a poll interval on
    average to the event's delivery. Polling twice is harmless: the runner skips runs it is
    already starting.
    """
    from prefect.events.clients import PrefectEventSubscriber
    from prefect.events.filters import EventFilter, EventNameFilter

    scheduled = EventFilter(event=EventNameFilter(name=[SCHEDULED_EVENT]))
    while True:
        try:
            async with PrefectEventSubscriber(filter=scheduled) as subscriber:
                async for _ in subscriber:
                    await compat.poll_runner_now(runner)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the regular poll covers the gap
            logger.debug("scheduled-run events interrupted: %s", exc)
        await asyncio.sleep(1.0)


async def mark_serving(runner: Runner, marker: Path) -> None:
    """Writes ``marker`` once the runner has polled Prefect: the local stack's sign that this
    process serves (Prefect records when a deployment was polled, not by which worker)."""
    while runner.last_polled is None:
        await asyncio.sleep(0.2)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{runner.last_polled.isoformat()}\n")


async def serve(runner: Runner, marker: Path) -> None:
    nudge = asyncio.create_task(pick_up_new_runs_at_once(runner))
    serving = asyncio.create_task(mark_serving(runner, marker))
    try:
        await runner.start()
    finally:
        nudge.cancel()
        serving.cancel()
        marker.unlink(missing_ok=True)


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    save_stage_result_storage(settings)  # before the forkserver: runs inherit its environment
    use_warm_forkserver()
    runner = Runner(
        name="ragline-serve",
        limit=settings.max_concurrent_runs,
        query_seconds=settings.runner_poll_seconds,
        pause_on_shutdown=True,
    )
    compat.renew_cancellation_observer_on_failure(runner)
    compat.keep_polling_through_prefect_outages()
    add_deployments(runner)
    asyncio.run(serve(runner, settings.paths.serving(os.getpid())))


if __name__ == "__main__":
    main()
