"""What one unit of orchestration costs Prefect: a subflow, a task, an event, a log line.

    python bench/prefect_costs.py [--prefect-defaults]

Starts PostgreSQL and the Prefect server only (with ragline's server settings, or Prefect's
defaults with --prefect-defaults), then runs, from this process, a parent flow with N
subflows of 4 trivial cached tasks (ragline's shape per document), N subflows with no task,
and flows emitting events and log lines. Prints, per unit, the Prefect server's CPU (minus
its idle CPU), this client's CPU and the wall time, as one JSON line:
{subflow_4_tasks: {server_ms, client_ms, wall_ms}, subflow: {...}, event: {...}, log: {...},
 server_idle_cpu_percent}.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest import tree_cpu_seconds  # noqa: E402
from scripts import prefect_tuning  # noqa: E402
from scripts.environment import child_env  # noqa: E402
from scripts.stack import Stack, throwaway_settings  # noqa: E402

SUBFLOWS = 30
EVENTS_OR_LOGS = 300
FLUSH_S = 7.0  # longer than the recorder's and the persister's flush intervals


def main() -> None:
    if "--prefect-defaults" in sys.argv:
        prefect_tuning.PREFECT_SERVER_TUNING.clear()
    with tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir:
        settings = throwaway_settings(Path(data_dir), "bench-admin-password")
        with Stack(settings, echo=lambda line: None, only=["postgres", "prefect"]) as stack:
            os.environ.update(child_env(settings))
            server = next(int(r.process.pid) for r in stack.running if r.service.name == "prefect")
            print(json.dumps(measure(server)))


def measure(server_pid: int) -> dict[str, Any]:
    from prefect import flow, task
    from prefect.events import emit_event
    from prefect.logging import get_run_logger

    @task(persist_result=True, cache_key_fn=lambda context, parameters: parameters["key"])
    def stage(key: str) -> list[str]:
        return [key] * 10

    @flow
    def document(n: int) -> None:
        for step in range(4):
            stage(f"{os.getpid()}-{time.time()}-{n}-{step}")

    @flow
    def empty(n: int) -> int:
        return n

    @flow
    def events(count: int) -> None:
        for n in range(count):
            emit_event(event="bench.unit", resource={"prefect.resource.id": f"bench.{n}"})

    @flow
    def logs(count: int) -> None:
        logger = get_run_logger()
        for n in range(count):
            logger.info("line %d", n)

    @flow
    def parent(kind: str) -> None:
        if kind == "subflow_4_tasks":
            for n in range(SUBFLOWS):
                document(n)
        elif kind == "subflow":
            for n in range(SUBFLOWS):
                empty(n)
        elif kind == "event":
            events(EVENTS_OR_LOGS)
        elif kind == "log":
            logs(EVENTS_OR_LOGS)

    parent("warm-up")
    time.sleep(FLUSH_S)
    before = tree_cpu_seconds(server_pid)
    time.sleep(20)
    idle_per_s = (tree_cpu_seconds(server_pid) - before) / 20
    result: dict[str, Any] = {"server_idle_cpu_percent": round(100 * idle_per_s, 1)}
    units = {"subflow_4_tasks": SUBFLOWS, "subflow": SUBFLOWS}
    for kind in ("subflow_4_tasks", "subflow", "event", "log"):
        run = functools.partial(parent, kind)
        result[kind] = per_unit(run, units.get(kind, EVENTS_OR_LOGS), server_pid, idle_per_s)
    return result


def per_unit(
    run: Callable[[], object], units: int, server_pid: int, idle_per_s: float
) -> dict[str, float]:
    server_before, client_before = tree_cpu_seconds(server_pid), time.process_time()
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    client = time.process_time() - client_before
    time.sleep(FLUSH_S)  # the server finishes recording what the run sent
    server = tree_cpu_seconds(server_pid) - server_before - idle_per_s * (wall + FLUSH_S)
    return {
        "server_ms": round(1000 * server / units, 1),
        "client_ms": round(1000 * client / units, 1),
        "wall_ms": round(1000 * wall / units, 1),
    }


if __name__ == "__main__":
    main()
