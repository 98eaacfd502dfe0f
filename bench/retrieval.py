"""Retrieval quality: do the citations hold the passage that answers the question?

    python bench/retrieval.py [CORPUS_DIR] [--questions bench/retrieval_questions.json]

Stores the corpus through the bare pipeline (the same functions a job runs) into a real
PostgreSQL and Chroma, then asks each question of ``bench/retrieval_questions.json``
(written by hand from the corpus; each names the file that answers it and phrases copied
from the answering passage) in every retrieval mode. Prints one JSON line per mode and a
final line with all of them:

- ``evidence_at_5``: share of questions whose top 5 chunks hold an answering passage
  (a chunk containing one of the evidence phrases);
- ``evidence_mrr``: mean reciprocal rank of the first such chunk in the top 10;
- ``file_at_1`` / ``file_at_5``: share whose first / top 5 citations include the file;
- ``query_p50_ms``: the retrieval's own time (embedding the question included);
- ``answer_quotes_evidence``: share whose extractive answer (from the top 5, as the API
  gives it) holds every word of an evidence phrase: a table row is quoted labelled
  ("age: 87"), so words are compared, not the phrase's exact text;
- ``answer_when_found``: the same, among the questions whose top 5 hold the passage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    bench_stack,
    percentile,
    user_without_login,
    versions_outside_jobs,
)
from bench.ingest import corpus_files  # noqa: E402
from ragline import jobs, pipeline  # noqa: E402
from ragline.answering import RetrievalMode, retrieve  # noqa: E402
from ragline.db import get_engine, migrate, session_scope  # noqa: E402
from ragline.embedding import get_embedder  # noqa: E402
from ragline.extractive import extractive_answer  # noqa: E402
from ragline.models import Stage  # noqa: E402
from ragline.settings import Settings  # noqa: E402
from ragline.sniffing import detect_kind_of_file  # noqa: E402
from ragline.vectorstore import VectorStore  # noqa: E402

DEPTH = 10
ANSWER_FROM = 5  # the API's default top_k


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def quotes_evidence(answer: str, phrases: list[str]) -> bool:
    said = words(answer)
    return any(words(phrase) <= said for phrase in phrases)


def store_corpus(files: list[Path], settings: Settings) -> str:
    """Ingests every file as a live document of a user of its own; returns the user's id."""
    embedder = get_embedder(settings)
    store = VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)
    engine = get_engine(settings)
    migrate(engine)  # the API's bootstrap would; this stack has no API
    owner_id = user_without_login(settings, "retrieval-bench")
    rows = versions_outside_jobs(settings, owner_id, [p.name for p in files], live=False)
    for path, row in zip(files, rows, strict=True):
        kind = detect_kind_of_file(path, path.name)
        version = pipeline.Version(
            owner_id, row.document_id, row.version_id, path.name, kind, "", path
        )
        try:
            sections = pipeline.parse(path, kind, settings)
        except Exception as exc:  # a file ingestion refuses is not asked about
            print(f"{path.name}: {exc}", file=sys.stderr)
            continue
        chunks = pipeline.chunk(sections, kind, path.name, embedder, settings)
        pipeline.store(version, chunks, pipeline.embed(chunks, embedder, settings), store, engine)
        with session_scope(engine) as session:
            jobs.record_stage(session, row.version_id, Stage.STORING)
            jobs.commit_version(session, row.version_id, len(chunks), path.name)
    return owner_id


def score_mode(
    settings: Settings, owner_id: str, questions: list[dict[str, Any]], mode: RetrievalMode
) -> dict[str, Any]:
    store = VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)
    embedder = get_embedder(settings)
    engine = get_engine(settings)
    evidence_at_5 = file_at_1 = file_at_5 = answered = answered_when_found = 0
    reciprocal_ranks: list[float] = []
    timings: list[float] = []
    misses: list[str] = []
    unquoted: list[str] = []  # found in the top 5, yet not in the answer
    for question in questions:
        phrases = [normalised(p) for p in question["evidence"]]
        with session_scope(engine) as session:
            started = time.perf_counter()
            chunks = retrieve(session, store, embedder, owner_id, question["question"], DEPTH, mode)
            timings.append((time.perf_counter() - started) * 1000)
        holds = [any(p in normalised(c.text) for p in phrases) for c in chunks]
        files = [c.filename for c in chunks]
        first = holds.index(True) + 1 if True in holds else None
        reciprocal_ranks.append(1 / first if first else 0.0)
        evidence_at_5 += bool(first and first <= 5)
        file_at_1 += files[:1] == [question["file"]]
        file_at_5 += question["file"] in files[:5]
        answer = extractive_answer(question["question"], chunks[:ANSWER_FROM])
        quoted = quotes_evidence(answer, question["evidence"])
        answered += quoted
        answered_when_found += quoted and bool(first and first <= 5)
        if not (first and first <= 5):
            misses.append(question["question"])
        elif not quoted:
            unquoted.append(question["question"])
    n = len(questions)
    return {
        "mode": mode.value,
        "questions": n,
        "evidence_at_5": round(evidence_at_5 / n, 3),
        "evidence_mrr": round(sum(reciprocal_ranks) / n, 3),
        "file_at_1": round(file_at_1 / n, 3),
        "file_at_5": round(file_at_5 / n, 3),
        "query_p50_ms": round(percentile(timings, 0.5), 1),
        "answer_quotes_evidence": round(answered / n, 3),
        "answer_when_found": round(answered_when_found / max(evidence_at_5, 1), 3),
        "missed_at_5": misses,
        "found_not_quoted": unquoted,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="bench/corpus", type=Path)
    parser.add_argument(
        "--questions", default=Path(__file__).with_name("retrieval_questions.json"), type=Path
    )
    args = parser.parse_args()
    questions = json.loads(args.questions.read_text())["questions"]
    files = corpus_files(args.corpus)
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), only=("postgres", "chroma")) as stack,
    ):
        owner_id = store_corpus(files, stack.settings)
        results = [score_mode(stack.settings, owner_id, questions, mode) for mode in RetrievalMode]
    for result in results:
        print(json.dumps(result), file=sys.stderr)
    print(
        json.dumps(
            {r["mode"]: {k: v for k, v in r.items() if not isinstance(v, list)} for r in results}
        )
    )


if __name__ == "__main__":
    main()
