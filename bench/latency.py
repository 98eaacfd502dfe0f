"""Latencies a user feels: upload → queryable, a question at 10k chunks, a 20 MB upload's 202.

    python bench/latency.py [--runs 10]        (or `make bench-latency`)

Starts a throw-away stack on free ports. Last line: {upload_to_queryable_p50_s,
upload_to_queryable_p95_s, upload_to_job_completed_p50_s, query_p50_ms, query_p95_ms,
query_chunks, upload_20mb_202_p50_ms}.
- upload → queryable: a small text file, from the POST until a question cites it (the
  document's status is polled every 50 ms, then the question asked). upload → job
  completed is reported beside it.
- query at 10k chunks: 10,000 chunks (real MiniLM vectors of varied sentences) stored for the
  asking user, then POST /api/v1/query as the UI sends it (embedding, search, answer).
- upload 202: POST of a 20 MB text file until the 202 arrives (the work is in the background).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.common import (  # noqa: E402
    admin_client,
    bench_stack,
    percentile,
    versions_outside_jobs,
)
from ragline import versions  # noqa: E402
from ragline.db import get_engine, session_scope  # noqa: E402
from ragline.documents import Chunk, DocumentKind  # noqa: E402
from ragline.embedding import get_embedder  # noqa: E402
from ragline.models import Document  # noqa: E402
from ragline.settings import Settings  # noqa: E402
from ragline.vectorstore import VectorStore  # noqa: E402
from scripts.apiclient import ApiClient  # noqa: E402

WORDS = (
    "pump valve sensor pressure garden river ledger orbit signal lantern copper meadow archive "
    "compiler voyage thunder canvas harbor crystal market falcon glacier theorem velvet island"
).split()


# How often the benchmark looks while it waits: it adds at most this much to a measurement.
POLL_S = 0.05

SUBJECTS = [
    "lighthouse lamp",
    "boiler room",
    "cable car",
    "wind turbine",
    "bakery oven",
    "fire escape",
    "water tower",
    "elevator shaft",
    "solar array",
    "cold store",
    "printing press",
    "harbour crane",
]


def upload_to_queryable(client: ApiClient, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from the POST until a question cites the file, and until the job reads
    ``completed`` (which also waits for Prefect to close the document's and the job's runs).

    Waiting polls the document's status (a cheap read) and asks once it is ready: asking in
    a loop would itself load the 2-core machine (each question embeds and searches).
    """
    queryable, completed = [], []
    for n in range(runs):
        subject = SUBJECTS[n % len(SUBJECTS)]
        text = f"The {subject} is inspected every {n + 2} weeks by the night shift."
        question = f"How often is the {subject} inspected?"
        started = time.perf_counter()
        job = client.upload_job((f"note-{n}.txt", text.encode()))
        document = f"/api/v1/documents/{job['documents'][0]['document_id']}"
        while not (
            client.get(document).json()["status"] == "ready"
            and f"note-{n}.txt" in cited_files(client.ask(question))
        ):
            if time.perf_counter() - started > 120:
                raise TimeoutError(f"note-{n}.txt never became queryable")
            time.sleep(POLL_S)
        queryable.append(time.perf_counter() - started)
        client.wait_for_job(job["id"], timeout_s=120)
        completed.append(time.perf_counter() - started)
    return queryable, completed


def cited_files(answer: dict[str, Any]) -> set[str]:
    return {citation["filename"] for citation in answer["citations"]}


def seed_chunks(settings: Settings, owner_id: str, total: int, per_document: int = 500) -> None:
    """Stores ``total`` chunks for the user directly (ingesting them would take half an hour)."""
    rng = random.Random(1)
    embedder = get_embedder(settings)
    store = VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)
    engine = get_engine(settings)
    texts = [" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(1000)]
    vectors = embedder.embed(texts)
    names = [f"seeded-{d}.txt" for d in range(total // per_document)]
    rows = versions_outside_jobs(settings, owner_id, names, live=True)
    for name, row in zip(names, rows, strict=True):
        picks = [rng.randrange(len(texts)) for _ in range(per_document)]
        chunks = [Chunk(texts[p], i, None, None) for i, p in enumerate(picks)]
        version = versions.Version(
            owner_id, row.document_id, row.version_id, name, DocumentKind.TEXT, ""
        )
        versions.store(version, chunks, vectors[picks], store, engine)
        with session_scope(engine) as session:
            session.get_one(Document, row.document_id).chunks = per_document
    # Autovacuum's ANALYZE would follow within a minute of that many new rows; the keyword
    # search reads its statistics to tell common words.
    with engine.connect() as connection:
        connection.execute(text("ANALYZE chunktext"))
        connection.commit()


def query_latency(client: ApiClient, runs: int = 50) -> list[float]:
    questions = [" ".join(random.sample(WORDS, 6)) + "?" for _ in range(runs)]
    client.ask(questions[0])  # warm
    timings = []
    for question in questions:
        started = time.perf_counter()
        client.ask(question)
        timings.append(time.perf_counter() - started)
    return timings


def upload_202(client: ApiClient, runs: int = 5) -> list[float]:
    timings = []
    for n in range(runs):
        body = (f"Line {n} of a large upload with some words in it.\n" * 400_000).encode()[
            : 20 * 1024 * 1024
        ]
        started = time.perf_counter()
        response = client.upload((f"big-{n}.txt", body))
        timings.append(time.perf_counter() - started)
        assert response.status_code == 202, response.text
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--chunks", type=int, default=10_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir)) as stack,
    ):
        with admin_client(stack.settings) as admin:
            admin.create_user("bench", "bench-password")
        with ApiClient.signed_in(stack.settings.endpoints.api, "bench", "bench-password") as client:
            queryable, completed = upload_to_queryable(client, args.runs)
            owner_id = client.get("/api/v1/me").json()["id"]
            seed_chunks(stack.settings, owner_id, args.chunks)
            queries = query_latency(client)
            uploads = upload_202(client)
    print(
        json.dumps(
            {
                "upload_to_queryable_p50_s": round(percentile(queryable, 0.5), 2),
                "upload_to_queryable_p95_s": round(percentile(queryable, 0.95), 2),
                "upload_to_job_completed_p50_s": round(percentile(completed, 0.5), 2),
                "query_p50_ms": round(1000 * percentile(queries, 0.5), 1),
                "query_p95_ms": round(1000 * percentile(queries, 0.95), 1),
                "query_chunks": args.chunks,
                "upload_20mb_202_p50_ms": round(1000 * percentile(uploads, 0.5), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
