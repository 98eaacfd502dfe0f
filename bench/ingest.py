"""Ingestion throughput: the bare pipeline against the same pipeline run by Prefect.

    python bench/ingest.py CORPUS_DIR        (or `make bench-ingest`)

Starts a throw-away stack (PostgreSQL, Prefect, Chroma, worker, API) on free ports, then
(a) runs ragline's pipeline functions over every file with no orchestration, and (b) uploads
the same files through the API, as users would, and waits for the job to end. Last line:
{docs, chunks, bare_s, orchestrated_s, ratio, cpu_ms_per_chunk, model_cpu_ms_per_chunk,
 reingest_unchanged_s}.
- cpu_ms_per_chunk: CPU of the orchestrated run (flow-run process and its parser children,
  as the flow records it) per chunk.
- model_cpu_ms_per_chunk: CPU spent inside the embedding model alone, per chunk (bare run).
- reingest_unchanged_s: a bulk re-ingestion (POST /reingest) of the unchanged corpus.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import admin_client, bench_stack  # noqa: E402
from ragline import pipeline  # noqa: E402
from ragline.embedding import get_embedder  # noqa: E402
from ragline.settings import Settings  # noqa: E402
from ragline.sniffing import detect_kind_of_file  # noqa: E402
from ragline.vectorstore import VectorStore  # noqa: E402
from scripts.apiclient import ApiClient  # noqa: E402


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        p for p in corpus.iterdir() if p.is_file() and not p.name.startswith(("MANIFEST", "."))
    )


def bare_run(files: list[Path], settings: Settings) -> dict[str, float]:
    """The pipeline with no orchestration: same functions, same model, same Chroma."""
    embedder = get_embedder(settings)
    store = VectorStore(settings.chroma_endpoint, "bench_bare")
    model_cpu = 0.0
    chunks_total = 0
    started = time.perf_counter()
    for n, path in enumerate(files):
        version = pipeline.Version(
            owner_id="bench",
            document_id=f"doc{n}",
            version_id="v1",
            filename=path.name,
            kind=detect_kind_of_file(path, path.name),
            sha256=f"{n}",
            path=path,
        )
        try:
            sections = pipeline.parse(version.path, version.kind, settings)
        except Exception as exc:  # the orchestrated run fails the same documents
            print(f"bare: {path.name}: {exc}", file=sys.stderr)
            continue
        chunks = pipeline.chunk(sections, version.kind, version.filename, embedder, settings)
        cpu_before = time.process_time()
        vectors = pipeline.embed(chunks, embedder, settings)
        model_cpu += time.process_time() - cpu_before
        pipeline.store(version, chunks, vectors, store)
        chunks_total += len(chunks)
    return {
        "bare_s": time.perf_counter() - started,
        "bare_chunks": chunks_total,
        "model_cpu_ms_per_chunk": 1000 * model_cpu / max(chunks_total, 1),
    }


def orchestrated_run(files: list[Path], client: ApiClient) -> dict[str, float]:
    started = time.perf_counter()
    job = client.ingest(*files, timeout_s=3600)
    elapsed = time.perf_counter() - started
    chunks = sum(d["chunks_done"] for d in job["documents"])
    failed = [d["filename"] for d in job["documents"] if d["stage"] == "failed"]
    if failed:
        print(f"orchestrated: failed documents: {failed}", file=sys.stderr)
    cpu = job.get("cpu_seconds") or 0.0
    return {
        "orchestrated_s": elapsed,
        "chunks": chunks,
        "cpu_ms_per_chunk": 1000 * cpu / max(chunks, 1),
        "state": job["state"],
    }


def reingest_run(client: ApiClient) -> float:
    started = time.perf_counter()
    response = client.post("/api/v1/reingest", json={"only_changed": True})
    response.raise_for_status()
    client.wait_for_job(response.json()["id"], timeout_s=600)
    return time.perf_counter() - started


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/corpus")
    files = corpus_files(corpus)
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), max_files_per_upload=len(files) + 1) as stack,
    ):
        settings = stack.settings
        with admin_client(settings) as client:
            orchestrated = orchestrated_run(files, client)
            reingest_s = reingest_run(client)
        bare = bare_run(files, settings)
    result = {
        "docs": len(files),
        "chunks": orchestrated["chunks"],
        "bare_s": round(bare["bare_s"], 2),
        "orchestrated_s": round(orchestrated["orchestrated_s"], 2),
        "ratio": round(bare["bare_s"] / orchestrated["orchestrated_s"], 3),
        "cpu_ms_per_chunk": round(orchestrated["cpu_ms_per_chunk"], 2),
        "model_cpu_ms_per_chunk": round(bare["model_cpu_ms_per_chunk"], 2),
        "reingest_unchanged_s": round(reingest_s, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
