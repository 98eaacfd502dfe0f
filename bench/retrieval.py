"""Retrieval quality: do the citations hold the passage that answers the question?

    python bench/retrieval.py --eval          (or `make bench-retrieval`)
    python bench/retrieval.py [CORPUS_DIR] [--questions bench/retrieval_questions.json]

Stores the corpus through the bare pipeline (the same functions a job runs) into a real
PostgreSQL and Chroma, then asks every question in every retrieval mode.

``--eval`` scores the evaluation set: ``bench/eval_corpus`` (``bench/fetch_eval_corpus.py``)
and the questions of ``bench/eval_questions.json``, written before any tuning, each with the
sentence that answers it. Besides ragline's three modes it scores two plain pipelines with
no tuning on the same parsed text (``bench/baselines.py``). It prints one JSON line per
split (dev, test) and mode (hybrid, dense, keyword, plain_dense, plain_bm25_dense), with
``r_at_1``, ``mrr``, ``evidence_shown`` and ``query_p50_ms`` overall and by format
(``bench/eval_report.py`` says what each means), then a summary line with all of them. Tune
on the dev half only: its lines list the questions missed; the test lines do not.

Without ``--eval`` it scores the 60 questions of ``bench/retrieval_questions.json`` over
``bench/corpus`` (written from it, and tuned on): each names the file that answers it and
phrases copied from the answering passage. One JSON line per mode and a final line with all
of them:

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import eval_report  # noqa: E402
from bench.baselines import BASELINE_MODES, PlainIndex  # noqa: E402
from bench.common import (  # noqa: E402
    bench_stack,
    percentile,
    user_without_login,
    versions_outside_jobs,
)
from bench.ingest import corpus_files  # noqa: E402
from ragline import jobs, pipeline, versions  # noqa: E402
from ragline.answering import RetrievalMode, answer_question, retrieve  # noqa: E402
from ragline.db import get_engine, migrate, session_scope  # noqa: E402
from ragline.embedding import get_embedder  # noqa: E402
from ragline.extractive import extractive_answer  # noqa: E402
from ragline.models import Stage  # noqa: E402
from ragline.settings import Settings  # noqa: E402
from ragline.sniffing import detect_kind_of_file  # noqa: E402
from ragline.vectorstore import VectorStore  # noqa: E402

DEPTH = 10
ANSWER_FROM = 5  # the API's default top_k
BENCH_DIR = Path(__file__).resolve().parent
EVAL_CORPUS = BENCH_DIR / "eval_corpus"
EVAL_QUESTIONS = BENCH_DIR / "eval_questions.json"


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def quotes_evidence(answer: str, phrases: list[str]) -> bool:
    said = words(answer)
    return any(words(phrase) <= said for phrase in phrases)


@dataclass(frozen=True)
class StoredCorpus:
    owner_id: str  # the user whose documents they are
    parsed: dict[str, str]  # each stored file's text, its sections as the chunker got them
    chunks: int


def store_corpus(files: list[Path], settings: Settings) -> StoredCorpus:
    """Ingests every file as a live document of a user of its own (a file ingestion refuses
    is left out, and said on stderr)."""
    embedder = get_embedder(settings)
    store = VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)
    engine = get_engine(settings)
    migrate(engine)  # the API's bootstrap would; this stack has no API
    owner_id = user_without_login(settings, "retrieval-bench")
    rows = versions_outside_jobs(settings, owner_id, [p.name for p in files], live=False)
    parsed: dict[str, str] = {}
    stored_chunks = 0
    for path, row in zip(files, rows, strict=True):
        kind = detect_kind_of_file(path, path.name)
        version = versions.Version(owner_id, row.document_id, row.version_id, path.name, kind, "")
        try:
            sections = pipeline.parse(path, kind, settings)
        except Exception as exc:  # a file ingestion refuses is not asked about
            print(f"{path.name}: {exc}", file=sys.stderr)
            continue
        parsed[path.name] = "\n\n".join(section.text for section in sections)
        chunks = pipeline.chunk(sections, kind, path.name, embedder, settings)
        stored_chunks += len(chunks)
        versions.store(version, chunks, pipeline.embed(chunks, embedder, settings), store, engine)
        with session_scope(engine) as session:
            jobs.record_stage(session, row.version_id, Stage.STORING)
            versions.switch_live(session, row.version_id, len(chunks), path.name)
    # Autovacuum would gather the keyword index's word statistics at some moment of its own
    # (keyword_index reads them): gathered now, every run ranks alike.
    with engine.begin() as connection:
        connection.execute(text("ANALYZE chunktext"))
    return StoredCorpus(owner_id, parsed, stored_chunks)


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


def check_evidence(questions: list[dict[str, Any]], parsed: dict[str, str]) -> None:
    """Every evidence sentence is in the parsed text of the file its question names: a
    question that no file answers (a parser change, another package version) would be
    counted as a miss of retrieval."""
    texts = {name: " ".join(text.split()) for name, text in parsed.items()}
    lost = [
        q["question"]
        for q in questions
        if " ".join(q["evidence"].split()) not in texts.get(q["file"], "")
    ]
    if lost:
        raise SystemExit(f"{len(lost)} evidence sentences are not in their files' text: {lost}")


def eval_ragline(
    settings: Settings, owner_id: str, questions: list[dict[str, Any]], mode: RetrievalMode
) -> list[eval_report.Scored]:
    """Each question as ragline answers it: the ranking ten deep (timed) for R@1 and MRR, and
    the answer with its citations as the API returns them for what the user is shown."""
    store = VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)
    embedder = get_embedder(settings)
    engine = get_engine(settings)
    results = []
    for question in questions:
        with session_scope(engine) as session:
            started = time.perf_counter()
            chunks = retrieve(session, store, embedder, owner_id, question["question"], DEPTH, mode)
            elapsed = (time.perf_counter() - started) * 1000
            answer = answer_question(
                session,
                store,
                embedder,
                settings,
                owner_id,
                question["question"],
                ANSWER_FROM,
                mode,
            )
        results.append(
            eval_report.score(
                question,
                [c.filename for c in chunks],
                [c.snippet for c in answer.citations],
                answer.answer,
                elapsed,
            )
        )
    return results


def eval_baseline(
    index: PlainIndex, questions: list[dict[str, Any]], mode: str
) -> list[eval_report.Scored]:
    results = []
    for question in questions:
        chunks, elapsed = index.search(question["question"], mode)
        results.append(
            eval_report.score(
                question,
                [c.filename for c in chunks[:DEPTH]],
                [c.text for c in chunks[:ANSWER_FROM]],
                "",
                elapsed,
            )
        )
    return results


def run_eval(corpus: Path, questions: list[dict[str, Any]]) -> None:
    files = corpus_files(corpus)
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), only=("postgres", "chroma")) as stack,
    ):
        settings = stack.settings
        assert not settings.llm_api_url, "the evaluation scores the extractive answer"
        corpus_stored = store_corpus(files, settings)
        check_evidence(questions, corpus_stored.parsed)
        scored = {
            mode.value: eval_ragline(settings, corpus_stored.owner_id, questions, mode)
            for mode in RetrievalMode
        }
    index = PlainIndex(corpus_stored.parsed, get_embedder(settings))
    scored |= {mode: eval_baseline(index, questions, mode) for mode in BASELINE_MODES}
    lines = [
        eval_report.report(mode, split, [r for r in results if r.question["split"] == split])
        for split in eval_report.SPLITS
        for mode, results in scored.items()
    ]
    for line in lines:
        print(json.dumps(line), file=sys.stderr)
    stored = {
        "files": len(files),
        "files_refused": sorted({p.name for p in files} - corpus_stored.parsed.keys()),
        "chunks": corpus_stored.chunks,
        "plain_chunks": len(index.chunks),
    }
    print(json.dumps(eval_report.summary(lines) | {"corpus": stored}))


def run_tuned(corpus: Path, questions: list[dict[str, Any]]) -> None:
    files = corpus_files(corpus)
    with (
        tempfile.TemporaryDirectory(prefix="ragline-bench-") as data_dir,
        bench_stack(Path(data_dir), only=("postgres", "chroma")) as stack,
    ):
        owner_id = store_corpus(files, stack.settings).owner_id
        results = [score_mode(stack.settings, owner_id, questions, mode) for mode in RetrievalMode]
    for result in results:
        print(json.dumps(result), file=sys.stderr)
    print(
        json.dumps(
            {r["mode"]: {k: v for k, v in r.items() if not isinstance(v, list)} for r in results}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus folder")
    parser.add_argument("--questions", type=Path, help="question file")
    parser.add_argument(
        "--eval", action="store_true", help="the evaluation set (eval_corpus, eval_questions)"
    )
    args = parser.parse_args()
    if args.eval:
        questions = json.loads((args.questions or EVAL_QUESTIONS).read_text())["questions"]
        run_eval(args.corpus or EVAL_CORPUS, questions)
    else:
        questions_file = args.questions or BENCH_DIR / "retrieval_questions.json"
        questions = json.loads(questions_file.read_text())["questions"]
        run_tuned(args.corpus or Path("bench/corpus"), questions)


if __name__ == "__main__":
    main()
