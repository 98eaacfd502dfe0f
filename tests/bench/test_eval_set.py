"""The evaluation set's instruments: its questions, its scoring and the plain baselines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench import eval_report
from bench.baselines import CHUNK_WORDS, OVERLAP_WORDS, fuse, plain_chunks
from bench.fetch_eval_corpus import DOCS

QUESTIONS = json.loads(Path("bench/eval_questions.json").read_text())["questions"]


def test_every_question_names_corpus_files_and_its_own_format() -> None:
    names = {doc.name for doc in DOCS}
    for question in QUESTIONS:
        assert question["file"] in question["files"]
        assert set(question["files"]) <= names
        assert question["file"].endswith("." + question["format"])
        assert question["style"] in {"paraphrase", "keyword", "title"}
        assert question["evidence"].strip()


def test_the_corpus_and_the_questions_are_as_large_as_issue_24_asks() -> None:
    assert len(DOCS) >= 300
    assert {doc.format for doc in DOCS} == set(eval_report.FORMATS)
    assert len(QUESTIONS) >= 200
    assert len({q["question"] for q in QUESTIONS}) == len(QUESTIONS)


def test_dev_and_test_halves_are_balanced_in_every_format() -> None:
    counts = Counter((q["format"], q["split"]) for q in QUESTIONS)
    for fmt in eval_report.FORMATS:
        assert abs(counts[fmt, "dev"] - counts[fmt, "test"]) <= 1


def _question(**overrides: object) -> dict[str, object]:
    question = {"question": "q", "file": "a.html", "files": ["a.html", "a.de.html"]}
    return question | {"evidence": "The  answer is here.", "format": "html"} | overrides


def test_the_right_file_counts_whichever_copy_of_it_ranks_first() -> None:
    scored = eval_report.score(_question(), ["a.de.html", "b.html", "a.html"], [], "", 1.0)
    assert scored.r_at_1
    assert scored.reciprocal_rank == 1.0


def test_reciprocal_rank_counts_distinct_files_not_chunks() -> None:
    scored = eval_report.score(_question(), ["b.html", "b.html", "c.html", "a.html"], [], "", 1.0)
    assert not scored.r_at_1
    assert scored.reciprocal_rank == 1 / 3


def test_evidence_is_shown_when_an_answer_or_a_snippet_holds_it_whitespace_apart() -> None:
    in_snippet = eval_report.score(_question(), [], ["… the answer\nis here. More"], "", 1.0)
    in_answer = eval_report.score(_question(), [], [], "The answer is here. [1]", 1.0)
    nowhere = eval_report.score(_question(), [], ["the answer is elsewhere"], "no", 1.0)
    assert in_snippet.evidence_shown and in_answer.evidence_shown
    assert not nowhere.evidence_shown


def test_a_table_row_is_shown_when_the_labelled_answer_quotes_every_cell() -> None:
    row = _question(evidence="1913 | 456", format="csv")
    scored = eval_report.score(row, [], [], "year: 1913, volume: 456 [1]", 1.0)
    assert scored.evidence_shown


def test_plain_chunks_are_fixed_windows_that_overlap() -> None:
    text = " ".join(f"w{i}" for i in range(300))
    chunks = plain_chunks("f.txt", text)
    assert [len(c.text.split()) for c in chunks][:2] == [CHUNK_WORDS, CHUNK_WORDS]
    first, second = chunks[0].text.split(), chunks[1].text.split()
    assert first[-OVERLAP_WORDS:] == second[:OVERLAP_WORDS]
    assert chunks[-1].text.split()[-1] == "w299"


def test_fusion_puts_first_what_both_rankings_rank_high() -> None:
    assert fuse([[1, 2, 3], [2, 4, 5]])[0] == 2
