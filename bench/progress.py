"""Live progress: event latency to the WebSocket, cancel latency, and what progress costs.

    python bench/progress.py        (or `make bench-progress`)

Starts a throw-away stack on free ports. Last line: {event_latency_p50_ms,
event_latency_p95_ms, events, cancel_p50_s, cancel_max_s, throughput_on_chunks_s,
throughput_off_chunks_s, throughput_ratio}.
- event latency: from the flow writing a document's progress (its ``updated_at``, stamped in
  the transaction that announces it) to the message arriving on a WebSocket client.
- cancel: from POST /jobs/{id}/cancel, during embedding, to the socket saying ``cancelled``.
- throughput: chunks/s ingesting same-sized documents with per-batch progress on and off
  (RAGLINE_PROGRESS_UPDATES=false), the worker restarted before each, in alternating order,
  four times each.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import admin_client, bench_stack, percentile  # noqa: E402
from scripts.apiclient import ApiClient  # noqa: E402
from scripts.stack import Stack  # noqa: E402
from tests.factories.files import long_text  # noqa: E402


def socket_for(stack: Stack, client: ApiClient) -> ClientConnection:
    token = str(client.headers["Authorization"]).removeprefix("Bearer ")
    url = stack.settings.endpoints.api.replace("http", "ws", 1) + f"/api/v1/ws?token={token}"
    socket = connect(url, open_timeout=10)
    socket.recv(timeout=10)  # the snapshot
    return socket


def job_messages(socket: ClientConnection, job_id: str, until: set[str], timeout_s: float = 600):  # type: ignore[no-untyped-def]
    """Yields (arrival time, job) for one job's messages until it reaches a state in ``until``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        message = json.loads(socket.recv(timeout=deadline - time.monotonic()))
        if message.get("type") == "job" and message["job"]["id"] == job_id:
            yield time.time(), message["job"]
            if message["job"]["state"] in until:
                return
    raise TimeoutError(job_id)


def event_latencies(stack: Stack, client: ApiClient) -> list[float]:
    socket = socket_for(stack, client)
    job = client.upload_job(("latency.txt", long_text(30_000, seed=11).encode()))
    latencies, last_stamp = [], None
    for arrived, update in job_messages(socket, job["id"], {"completed", "failed"}):
        stamp = update["documents"][0]["updated_at"]
        if stamp != last_stamp and update["state"] == "running":
            written = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
            latencies.append(arrived - written)
        last_stamp = stamp
    socket.close()
    return latencies


def cancel_latencies(stack: Stack, client: ApiClient, runs: int = 3) -> list[float]:
    timings = []
    for n in range(runs):
        socket = socket_for(stack, client)
        job = client.upload_job((f"cancel-{n}.txt", long_text(60_000, seed=20 + n).encode()))
        asked = None
        for arrived, update in job_messages(socket, job["id"], {"cancelled", "completed"}):
            if asked is None and update["documents"][0]["chunks_done"] > 0:
                asked = time.time()
                client.post(f"/api/v1/jobs/{job['id']}/cancel").raise_for_status()
            if update["state"] == "cancelled" and asked is not None:
                timings.append(arrived - asked)
        socket.close()
    return timings


def throughput(client: ApiClient, name: str, seed: int) -> float:
    job = client.ingest((name, long_text(25_000, seed=seed).encode()), timeout_s=900)
    document: dict[str, Any] = job["documents"][0]
    started = datetime.fromisoformat(document["started_at"].replace("Z", "+00:00"))
    finished = datetime.fromisoformat(document["finished_at"].replace("Z", "+00:00"))
    return float(document["chunks_done"]) / (finished - started).total_seconds()


ROUNDS = 4


def set_progress(stack: Stack, enabled: bool) -> None:
    stack.env["RAGLINE_PROGRESS_UPDATES"] = str(enabled).lower()
    stack.stop_service("worker")
    stack.start_service("worker")


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir)) as stack,
    ):
        with admin_client(stack.settings) as client:
            latencies = event_latencies(stack, client)
            cancels = cancel_latencies(stack, client)
            measured: dict[bool, list[float]] = {True: [], False: []}
            for round_ in range(ROUNDS):
                # Alternate which goes first, and restart the worker before each, so neither
                # setting always inherits a warmer or busier machine.
                for enabled in (True, False) if round_ % 2 == 0 else (False, True):
                    set_progress(stack, enabled)
                    name = f"{'on' if enabled else 'off'}-{round_}.txt"
                    measured[enabled].append(throughput(client, name, 100 + 10 * round_ + enabled))
            on, off = measured[True], measured[False]
    print(
        json.dumps(
            {
                "event_latency_p50_ms": round(1000 * percentile(latencies, 0.5), 1),
                "event_latency_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
                "events": len(latencies),
                "cancel_p50_s": round(percentile(cancels, 0.5), 2),
                "cancel_max_s": round(max(cancels), 2),
                "throughput_on_chunks_s": round(sum(on) / len(on), 2),
                "throughput_off_chunks_s": round(sum(off) / len(off), 2),
                "throughput_ratio": round(sum(on) / sum(off), 3),
                "throughput_runs": {
                    "on": [round(x, 2) for x in on],
                    "off": [round(x, 2) for x in off],
                },
            }
        )
    )


if __name__ == "__main__":
    main()
