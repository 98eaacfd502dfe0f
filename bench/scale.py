"""Scaling out: the same corpus through one ingestion worker and through two.

    python bench/scale.py [CORPUS_DIR] [--users 4]        (or `make bench-scale`)

Each run starts a throw-away stack with ``RAGLINE_WORKERS`` serve processes, splits the corpus
among ``--users`` users and has each upload their share as one job, all at once; a run lasts
from the first upload to the last job's ``finished_at``. One machine's cores are shared, so two
workers cannot be faster here: the figure is what the scaled layout costs (two serve processes
racing for runs, each with its own slots), ``ratio = one_worker_s / two_workers_s``, target
≥ 0.95. The runs go 1, 2, 1 workers and the one-worker time is the mean of its two runs, so a
machine that drifts during the benchmark does not tilt the ratio. Last line:
{docs, chunks, users, one_worker_s, two_workers_s, ratio, one_worker_s_runs, jobs_per_worker,
 prefect_cpu_ms_per_doc, worker_cpu_ms_per_doc}.
- jobs_per_worker: how many jobs each serve process ran in the two-worker run.
- prefect_cpu_ms_per_doc / worker_cpu_ms_per_doc: the Prefect server's and all workers' CPU
  per document, with one worker (mean of both runs) and with two: the orchestration's cost.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import admin_client, bench_stack  # noqa: E402
from bench.ingest import corpus_files, tree_cpu_seconds  # noqa: E402
from scripts.apiclient import ApiClient  # noqa: E402
from scripts.stack import Stack  # noqa: E402

USER_PASSWORD = "bench-user-password"


def users_of(admin: ApiClient, count: int, base_url: str) -> list[ApiClient]:
    clients = []
    for n in range(count):
        name = f"scale{n}"
        created = admin.post("/api/v1/users", json={"username": name, "password": USER_PASSWORD})
        created.raise_for_status()
        clients.append(ApiClient.signed_in(base_url, name, USER_PASSWORD))
    return clients


def run(files: list[Path], workers: int, users: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), workers=workers, max_files_per_upload=len(files)) as stack,
    ):
        with admin_client(stack.settings) as admin:
            clients = users_of(admin, users, stack.settings.endpoints.api)
        shares = [files[n::users] for n in range(users)]
        pids = {r.service.name: int(r.process.pid) for r in stack.running if not r.service.oneshot}
        cpu_before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
        started = time.time()
        with ThreadPoolExecutor(users) as pool:
            jobs = list(
                pool.map(
                    lambda pair: pair[0].ingest(*pair[1], timeout_s=3600, poll_s=1.0),
                    zip(clients, shares, strict=True),
                )
            )
        finished = max(datetime.fromisoformat(j["finished_at"]) for j in jobs)
        time.sleep(2)  # let the flow-run processes exit and be reaped, so their CPU counts
        cpu = {name: tree_cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        for client in clients:
            client.close()
        return {
            "seconds": finished.timestamp() - started,
            "chunks": sum(d["chunks_done"] for j in jobs for d in j["documents"]),
            "jobs_per_worker": jobs_per_worker(stack, [j["id"] for j in jobs]),
            "prefect_cpu_s": cpu["prefect"],
            "worker_cpu_s": sum(s for name, s in cpu.items() if name.startswith("worker")),
        }


def jobs_per_worker(stack: Stack, job_ids: list[str]) -> dict[str, int]:
    """Which serve process ran each job, from the line each run logs when it starts."""
    counts = {}
    for log in sorted(stack.settings.paths.logs.glob("worker*.log")):
        text = log.read_text(errors="replace")
        counts[log.stem] = sum(f"job {job_id} " in text for job_id in job_ids)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="bench/corpus", type=Path)
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    one_before = run(files, 1, args.users)
    two = run(files, 2, args.users)
    one_after = run(files, 1, args.users)
    one_s = (one_before["seconds"] + one_after["seconds"]) / 2

    def per_doc(key: str, *runs: dict[str, Any]) -> float:
        return round(1000 * sum(float(r[key]) for r in runs) / len(runs) / len(files), 1)

    print(
        json.dumps(
            {
                "docs": len(files),
                "chunks": two["chunks"],
                "users": args.users,
                "one_worker_s": round(one_s, 1),
                "two_workers_s": round(two["seconds"], 1),
                "ratio": round(one_s / two["seconds"], 3),
                "one_worker_s_runs": [
                    round(one_before["seconds"], 1),
                    round(one_after["seconds"], 1),
                ],
                "jobs_per_worker": two["jobs_per_worker"],
                "prefect_cpu_ms_per_doc": {
                    "1": per_doc("prefect_cpu_s", one_before, one_after),
                    "2": per_doc("prefect_cpu_s", two),
                },
                "worker_cpu_ms_per_doc": {
                    "1": per_doc("worker_cpu_s", one_before, one_after),
                    "2": per_doc("worker_cpu_s", two),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
