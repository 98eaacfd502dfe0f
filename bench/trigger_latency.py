"""Trigger→Running latency of a trivial deployment: ``flow.serve`` versus a process worker.

Starts its own PostgreSQL + Prefect server (scripts.stack: temporary data dir, free ports), then
for each way of serving a deployment triggers it ``RUNS`` times, one at a time, after one
warm-up run, and takes the time from ``run_deployment(...)`` to the run's Running state (stamped
by the flow-run process itself). Pending ("picked up") is reported too: trigger→Pending is the
polling delay, Pending→Running is the cost of starting a flow-run process (CPU-bound, so it
grows with the machine's load). Prints one JSON line:
``{serve_p50_s, serve_p95_s, worker_p50_s, worker_p95_s, ...}``.

(a) serve: ``flow.serve()`` with PREFECT_RUNNER_POLL_FREQUENCY=1.
(b) worker: a ``process`` work pool and ``prefect worker start`` with
    PREFECT_WORKER_QUERY_SECONDS=1 and PREFECT_WORKER_PREFETCH_SECONDS=1.

Run with ``make bench-trigger`` or ``python -m bench.trigger_latency`` from the repository root.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from ragline.settings import Settings
from scripts.environment import child_env
from scripts.services import Service, launch, terminate
from scripts.stack import Stack

RUNS = 10
FLOW_SOURCE = """\
from prefect import flow


@flow
def noop() -> int:
    return 1


if __name__ == "__main__":
    noop.serve(name="bench-serve")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[round(0.95 * (len(ordered) - 1))]


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# Prefect is imported only in the functions below, once os.environ points at our server:
# it reads its settings when first imported.


def wait_until_ready(deployment: str, timeout_s: float = 180) -> None:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout_s
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            try:
                if str(client.read_deployment_by_name(deployment).status).endswith("READY"):
                    return
            except Exception:  # not registered yet
                pass
            time.sleep(0.5)
    raise SystemExit(f"{deployment} never became ready")


def measure(deployment: str, runs: int) -> tuple[list[float], list[float]]:
    """(trigger→Pending, trigger→Running) seconds for ``runs`` runs, after one warm-up run."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import FlowRun, StateType
    from prefect.deployments import run_deployment

    picked_up, running = [], []
    with get_client(sync_client=True) as client:
        for attempt in range(runs + 1):
            triggered = time.time()
            run = cast(FlowRun, run_deployment(deployment, timeout=0))  # sync in a sync caller
            while True:
                state = client.read_flow_run(run.id).state
                if state is not None and state.is_final():
                    break
                time.sleep(0.2)
            stamps = {s.type: s.timestamp.timestamp() for s in client.read_flow_run_states(run.id)}
            if attempt:  # the first run warms caches and is not counted
                picked_up.append(stamps[StateType.PENDING] - triggered)
                running.append(stamps[StateType.RUNNING] - triggered)
            log(f"{deployment}: run {attempt}: {stamps[StateType.RUNNING] - triggered:.2f} s")
    return picked_up, running


def register_worker_deployment(source: Path) -> None:
    from prefect import Flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="bench-pool", type="process"))
    # Prefect's sync/async dual functions return plain values when called from sync code.
    flow = cast(
        Flow[..., Any], Flow.from_source(source=str(source), entrypoint="bench_flow.py:noop")
    )
    deployment = cast(Any, flow.to_deployment(name="bench-worker", work_pool_name="bench-pool"))
    deployment.apply()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ragline-bench-"))
    (work / "bench_flow.py").write_text(FLOW_SOURCE)
    ports = ("postgres_port", "prefect_port", "chroma_port", "smtp_port", "api_port")
    settings = Settings(
        _env_file=None,
        data_dir=work / "data",
        **{name: free_port() for name in ports},  # type: ignore[arg-type]
    )
    env = child_env(settings)
    os.environ.update({k: v for k, v in env.items() if k.startswith("PREFECT_")})
    with Stack(settings, only={"postgres", "prefect"}, echo=log):
        serve_env = env | {"PREFECT_RUNNER_POLL_FREQUENCY": "1"}
        serve = launch(
            Service("bench-serve", [sys.executable, "bench_flow.py"], serve_env, cwd=work),
            settings.paths.logs,
            settings.paths.run,
        )
        try:
            wait_until_ready("noop/bench-serve")
            serve_pickup, serve_running = measure("noop/bench-serve", RUNS)
        finally:
            terminate(serve.process.pid)

        register_worker_deployment(work)
        worker_env = env | {
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_WORKER_PREFETCH_SECONDS": "1",
        }
        argv = [sys.executable, "-m", "prefect", "worker", "start", "--pool", "bench-pool"]
        worker = launch(
            Service("bench-worker", argv, worker_env, cwd=work),
            settings.paths.logs,
            settings.paths.run,
        )
        try:
            wait_until_ready("noop/bench-worker")
            worker_pickup, worker_running = measure("noop/bench-worker", RUNS)
        finally:
            terminate(worker.process.pid)

    figures = {
        "serve_p50_s": round(statistics.median(serve_running), 2),
        "serve_p95_s": round(p95(serve_running), 2),
        "worker_p50_s": round(statistics.median(worker_running), 2),
        "worker_p95_s": round(p95(worker_running), 2),
        "serve_pickup_p50_s": round(statistics.median(serve_pickup), 2),
        "worker_pickup_p50_s": round(statistics.median(worker_pickup), 2),
        "runs": RUNS,
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))
    shutil.rmtree(work, ignore_errors=True)  # kept (with its logs) when something failed


if __name__ == "__main__":
    main()
