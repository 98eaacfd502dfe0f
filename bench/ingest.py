"""Ingestion throughput: the bare pipeline against the same pipeline run by Prefect.

    python bench/ingest.py CORPUS_DIR        (or `make bench-ingest`)

Starts a throw-away stack (PostgreSQL, Prefect, Chroma, worker, API) on free ports, then
(a) runs ragline's pipeline functions over every file with no orchestration, and (b) uploads
the same files through the API, as users would, and waits for the job to end (it ends at the
job's `finished_at`, when the API learnt of the end and told the owner's sockets). The bare run
goes before and after the orchestrated one and its figures are the mean of the two, so a
machine that speeds up or slows down during the benchmark (shared hosts drift by 10-30%
within minutes) does not tilt the ratio either way; `bare_s_runs` shows both. Last line:
{docs, chunks, bare_s, orchestrated_s, ratio, cpu_ms_per_chunk, model_cpu_ms_per_chunk,
 reingest_unchanged_s}.
- cpu_ms_per_chunk: CPU of the whole ingestion worker per chunk: the serve process, its
  forkserver, every flow-run process and every parser child (all reaped, so counted).
- prefect_server_cpu_ms_per_chunk: the Prefect server's CPU per chunk, for the record.
- service_cpu_s: CPU seconds of each service during the orchestrated run (where the cores went).
- model_cpu_ms_per_chunk: CPU spent inside the embedding model alone, per chunk (bare run).
- bare_cpu_ms_per_chunk: CPU of the whole bare run per chunk (parsing, chunking, the model,
  the Chroma client), to tell the pipeline's own cost from the orchestration's.
- reingest_unchanged_s: a bulk re-ingestion (POST /reingest) of the unchanged corpus.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    admin_client,
    bench_stack,
    user_without_login,
    versions_outside_jobs,
)
from ragline import pipeline, versions  # noqa: E402
from ragline.db import get_engine  # noqa: E402
from ragline.embedding import get_embedder  # noqa: E402
from ragline.sandbox import start_parser_server  # noqa: E402
from ragline.settings import Settings  # noqa: E402
from ragline.sniffing import detect_kind_of_file  # noqa: E402
from ragline.vectorstore import VectorStore  # noqa: E402
from scripts.apiclient import ApiClient  # noqa: E402
from scripts.stack import Stack  # noqa: E402


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        p for p in corpus.iterdir() if p.is_file() and not p.name.startswith(("MANIFEST", "."))
    )


def bare_run(files: list[Path], settings: Settings, collection: str) -> dict[str, float]:
    """The pipeline with no orchestration: same functions, same model, same Chroma."""
    # Warm like the worker is warm: model loaded, parser server running.
    embedder = get_embedder(settings)
    embedder.embed(["warm up"])
    start_parser_server()
    with contextlib.suppress(Exception):
        pipeline.parse(files[0], detect_kind_of_file(files[0], files[0].name), settings)
    store = VectorStore(settings.endpoints.chroma, collection)
    store.heartbeat()
    engine = get_engine(settings)
    owner_id = user_without_login(settings, collection)
    rows = versions_outside_jobs(settings, owner_id, [p.name for p in files], live=False)
    model_cpu = 0.0
    chunks_total = 0
    pipeline_cpu = tree_cpu_seconds(os.getpid())
    started = time.perf_counter()
    for n, (path, row) in enumerate(zip(files, rows, strict=True)):
        version = versions.Version(
            owner_id=row.owner_id,
            document_id=row.document_id,
            version_id=row.version_id,
            filename=path.name,
            kind=detect_kind_of_file(path, path.name),
            sha256=f"{n}",
        )
        try:
            sections = pipeline.parse(path, version.kind, settings)
        except Exception as exc:  # the orchestrated run fails the same documents
            print(f"bare: {path.name}: {exc}", file=sys.stderr)
            continue
        chunks = pipeline.chunk(sections, version.kind, version.filename, embedder, settings)
        cpu_before = time.process_time()
        vectors = pipeline.embed(chunks, embedder, settings)
        model_cpu += time.process_time() - cpu_before
        versions.store(version, chunks, vectors, store, engine)
        chunks_total += len(chunks)
    elapsed = time.perf_counter() - started
    pipeline_cpu = tree_cpu_seconds(os.getpid()) - pipeline_cpu
    return {
        "bare_s": elapsed,
        "bare_chunks": chunks_total,
        "bare_cpu_ms_per_chunk": 1000 * pipeline_cpu / max(chunks_total, 1),
        "model_cpu_ms_per_chunk": 1000 * model_cpu / max(chunks_total, 1),
    }


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and all its descendants, including those already reaped."""
    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


def orchestrated_run(files: list[Path], client: ApiClient, stack: Stack) -> dict[str, Any]:
    pids = {r.service.name: int(r.process.pid) for r in stack.running if not r.service.oneshot}
    cpu_before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    started = time.time()
    # Polled once a second: a 60-document job read every 50 ms costs the API a fifth of a
    # core, which the bare run does not pay. The run ends at the job's finished_at, when the
    # API learnt of its end and told the owner's sockets, not at the next poll (up to 1 s on).
    job = client.ingest(*files, timeout_s=3600, poll_s=1.0)
    finished = datetime.fromisoformat(job["finished_at"].replace("Z", "+00:00"))
    elapsed = finished.timestamp() - started
    chunks = sum(d["chunks_done"] for d in job["documents"])
    failed = [d["filename"] for d in job["documents"] if d["stage"] == "failed"]
    if failed:
        print(f"orchestrated: failed documents: {failed}", file=sys.stderr)
    time.sleep(2)  # let the flow-run process exit and be reaped, so its CPU is counted
    cpu = {name: tree_cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    return {
        "orchestrated_s": elapsed,
        "chunks": chunks,
        "cpu_ms_per_chunk": 1000 * cpu["worker"] / max(chunks, 1),
        "prefect_cpu_ms_per_chunk": 1000 * cpu["prefect"] / max(chunks, 1),
        "service_cpu_s": {name: round(seconds, 1) for name, seconds in cpu.items()},
        "state": job["state"],
    }


def reingest_run(client: ApiClient) -> float:
    started = time.perf_counter()
    response = client.post("/api/v1/reingest", json={"only_changed": True})
    response.raise_for_status()
    client.wait_for_job(response.json()["id"], timeout_s=600, poll_s=0.1)
    return time.perf_counter() - started


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/corpus")
    files = corpus_files(corpus)
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), max_files_per_upload=len(files) + 1) as stack,
    ):
        settings = stack.settings
        before = bare_run(files, settings, "bench_bare_before")
        with admin_client(settings) as client:
            orchestrated = orchestrated_run(files, client, stack)
            reingest_s = reingest_run(client)
        after = bare_run(files, settings, "bench_bare_after")
    bare = {key: (before[key] + after[key]) / 2 for key in before}
    result = {
        "docs": len(files),
        "chunks": orchestrated["chunks"],
        "bare_s": round(bare["bare_s"], 2),
        "orchestrated_s": round(orchestrated["orchestrated_s"], 2),
        "ratio": round(bare["bare_s"] / orchestrated["orchestrated_s"], 3),
        "cpu_ms_per_chunk": round(orchestrated["cpu_ms_per_chunk"], 2),
        "model_cpu_ms_per_chunk": round(bare["model_cpu_ms_per_chunk"], 2),
        "bare_cpu_ms_per_chunk": round(bare["bare_cpu_ms_per_chunk"], 2),
        "prefect_server_cpu_ms_per_chunk": round(orchestrated["prefect_cpu_ms_per_chunk"], 2),
        "reingest_unchanged_s": round(reingest_s, 2),
        "bare_s_runs": [round(before["bare_s"], 2), round(after["bare_s"], 2)],
        "service_cpu_s": orchestrated["service_cpu_s"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
