"""Serves every deployment in prefect.yaml from one process: ``python -m deployments.serve``.

Why ``serve`` and not a work pool + worker: the serve process polls every second and starts a
run in ~1 s, where a process worker took ~6 s (bench/trigger_latency.py has the figures).

Why a forkserver: Prefect starts each flow run in a fresh ``spawn`` process, which re-imports
Prefect, unstructured, llama-index and chromadb (~8 s of CPU) in every run. Here flow-run
processes are forked from a forkserver that imported all of that once, so a run starts in
well under a second and its CPU goes to the documents. The process boundary, cancellation
(the runner kills the child) and crash detection are unchanged.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import multiprocessing.context
from pathlib import Path
from typing import Any

import yaml
from prefect import Flow, flow_engine
from prefect.runner import Runner
from prefect.schedules import Cron

from ragline.settings import PROJECT_ROOT, get_settings

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
# Imported once in the forkserver; every flow-run process inherits them.
PRELOAD = ["flows.preload"]
SCHEDULED_EVENT = "prefect.flow-run.Scheduled"

logger = logging.getLogger("ragline.serve")


class _ForkserverMultiprocessing:
    """Stands in for the ``multiprocessing`` module inside ``prefect.flow_engine``.

    Prefect asks for a "spawn" context to start a flow run; we hand it the warm forkserver.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)

    @staticmethod
    def get_context(method: str | None = None) -> multiprocessing.context.BaseContext:
        return multiprocessing.get_context("forkserver")


def use_warm_forkserver() -> None:
    multiprocessing.set_forkserver_preload(PRELOAD)
    flow_engine.multiprocessing = _ForkserverMultiprocessing()  # type: ignore[attr-defined,assignment]
    # Start the forkserver now, so its imports are paid before the first run arrives.
    ctx = multiprocessing.get_context("forkserver")
    warmup = ctx.Process(target=_noop)
    warmup.start()
    warmup.join()


def _noop() -> None:
    pass


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


def add_deployments(runner: Runner) -> None:
    """Registers every deployment of prefect.yaml with the runner, as in-memory flows.

    ``add_flow`` (rather than ``serve(*deployments)``) is what lets the runner start a run
    straight from the flow object in a forked process, instead of ``python -m prefect.engine``
    re-importing it from its entrypoint.
    """
    for spec in load_deployments():
        runner.add_flow(
            flow_from_entrypoint(spec["entrypoint"]),
            name=spec["name"],
            description=spec.get("description"),
            tags=spec.get("tags"),
            parameters=spec.get("parameters"),
            schedules=[
                Cron(s["cron"], timezone=s.get("timezone", "UTC"), active=s.get("active", True))
                for s in spec.get("schedules") or []
            ],
        )


async def pick_up_new_runs_at_once(runner: Runner) -> None:
    """Polls as soon as Prefect announces a scheduled run, rather than at the next tick.

    The runner still polls every second on its own (that remains the guarantee); this only
    cuts the wait for a new upload's run from ~0.5 s on average to the event's delivery
    (~30 ms). Polling twice is harmless: the runner skips runs it is already starting.
    """
    from prefect.events.clients import PrefectEventSubscriber
    from prefect.events.filters import EventFilter, EventNameFilter

    scheduled = EventFilter(event=EventNameFilter(name=[SCHEDULED_EVENT]))
    while True:
        try:
            async with PrefectEventSubscriber(filter=scheduled) as subscriber:
                async for _ in subscriber:
                    if hasattr(runner, "_scheduled_run_poller"):  # the runner has started
                        await runner._get_and_submit_flow_runs()  # type: ignore[no-untyped-call]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the regular poll covers the gap
            logger.debug("scheduled-run events interrupted: %s", exc)
        await asyncio.sleep(1.0)


async def serve(runner: Runner) -> None:
    nudge = asyncio.create_task(pick_up_new_runs_at_once(runner))
    try:
        await runner.start()
    finally:
        nudge.cancel()


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level)
    use_warm_forkserver()
    runner = Runner(
        name="ragline-serve",
        limit=settings.max_concurrent_runs,
        query_seconds=settings.runner_poll_seconds,
        pause_on_shutdown=True,
    )
    add_deployments(runner)
    asyncio.run(serve(runner))


if __name__ == "__main__":
    main()
