"""The evaluation set's figures: what one answer scores, and the sums by split, mode and format.

Three figures per question, whatever produced the ranking (ragline in a retrieval mode, or a
baseline of ``bench/baselines.py``):

- ``r_at_1``: the first citation's file is one that answers (``files`` of the question: the
  file it was written from and every other file whose text holds the same evidence, such
  as the same page at another version);
- ``mrr``: 1 / the rank of the first answering file among the distinct files of the ranked
  chunks (0 when none of the chunks, ten deep, is from one);
- ``evidence_shown``: the answering sentence reaches the user: whitespace-normalised and
  case-folded, it is in the answer or in one of the top-5 citations' texts as they are shown
  (ragline: the extractive answer and the API's 400-character snippets; a baseline: the
  five chunk texts, since it has no answer). A table row is quoted labelled ("year: 1913,
  volume: 456"), so a row counts as shown in the answer when every word of it is there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bench.common import percentile
from ragline.documents import TABLE_CELL

FORMATS = ("pdf", "html", "md", "txt", "csv", "docx", "pptx", "eml")
SPLITS = ("dev", "test")


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


@dataclass(frozen=True)
class Scored:
    """One question answered one way."""

    question: dict[str, Any]
    r_at_1: bool
    reciprocal_rank: float
    evidence_shown: bool
    query_ms: float


def score(
    question: dict[str, Any],
    ranked_files: Sequence[str],
    shown_texts: Iterable[str],
    answer: str,
    query_ms: float,
) -> Scored:
    """Scores one ranking: ``ranked_files`` holds each ranked chunk's file, best first."""
    answering = set(question["files"])
    distinct = list(dict.fromkeys(ranked_files))
    rank = next((i + 1 for i, name in enumerate(distinct) if name in answering), None)
    evidence = normalised(question["evidence"])
    shown = evidence in normalised(answer) or any(evidence in normalised(t) for t in shown_texts)
    if not shown and TABLE_CELL in question["evidence"]:
        shown = words(question["evidence"]) <= words(answer)
    return Scored(
        question=question,
        r_at_1=bool(ranked_files) and ranked_files[0] in answering,
        reciprocal_rank=1 / rank if rank else 0.0,
        evidence_shown=shown,
        query_ms=query_ms,
    )


def figures(results: Sequence[Scored]) -> dict[str, Any]:
    n = len(results)
    if not n:
        return {"questions": 0}
    return {
        "questions": n,
        "r_at_1": round(sum(r.r_at_1 for r in results) / n, 3),
        "mrr": round(sum(r.reciprocal_rank for r in results) / n, 3),
        "evidence_shown": round(sum(r.evidence_shown for r in results) / n, 3),
    }


def report(mode: str, split: str, results: Sequence[Scored]) -> dict[str, Any]:
    """One JSON line: a split answered in one mode, overall and by format.

    Misses are listed for the dev half only: the test half is for measuring, not for
    looking at what went wrong.
    """
    by_format: dict[str, list[Scored]] = defaultdict(list)
    for result in results:
        by_format[result.question["format"]].append(result)
    line: dict[str, Any] = {
        "set": "eval",
        "split": split,
        "mode": mode,
        **figures(results),
        "query_p50_ms": round(percentile([r.query_ms for r in results], 0.5), 1),
        "by_format": {fmt: figures(by_format[fmt]) for fmt in FORMATS if by_format[fmt]},
    }
    if split == "dev":
        line["file_missed_at_1"] = [r.question["question"] for r in results if not r.r_at_1]
        line["evidence_not_shown"] = [
            r.question["question"] for r in results if not r.evidence_shown
        ]
    return line


def summary(lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The last line: every split and mode side by side (the "ragline vs baselines" table)."""
    table: dict[str, dict[str, Any]] = defaultdict(dict)
    for line in lines:
        table[line["split"]][line["mode"]] = {
            key: line[key] for key in ("r_at_1", "mrr", "evidence_shown", "query_p50_ms")
        } | {"by_format_r_at_1": {f: v["r_at_1"] for f, v in line["by_format"].items()}}
    return {"set": "eval", **table}
