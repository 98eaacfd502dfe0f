from dataclasses import replace

from ragline.fusion import fuse, phrase_scores
from tests.factories.chunks import make_chunk


def test_fusion_puts_first_what_both_rankings_rank_high() -> None:
    a, b, c = (make_chunk(t, id=t) for t in "abc")
    by_words = [replace(c, score=9.0), replace(b, score=6.0)]  # BM25 scores
    similarity = {"a": 0.62, "b": 0.60, "c": 0.30}

    assert [x.id for x in fuse("", [a, b], by_words, similarity)] == ["b", "a", "c"]


def test_a_weak_word_match_does_not_outrank_a_much_closer_meaning() -> None:
    """Reciprocal rank fusion put the keyword ranking's first (a table of numbers holding
    the question's year, cosine 0.32) above the dense ranking's first (the passage, 0.71)
    when the passage came a little lower in the keyword ranking."""
    table, passage, other = (make_chunk(t, id=t) for t in ("table", "passage", "other"))
    by_words = [replace(table, score=5.1), replace(other, score=5.0), replace(passage, score=4.8)]
    similarity = {"passage": 0.71, "other": 0.40, "table": 0.32}

    assert fuse("", [passage, other], by_words, similarity)[0].id == "passage"


def test_on_a_tie_the_dense_ranking_comes_first() -> None:
    a, c = make_chunk("a", id="a"), make_chunk("c", id="c", score=2.0)

    assert [x.id for x in fuse("", [a], [c], {"a": 0.9, "c": 0.2})] == ["a", "c"]
    assert [x.id for x in fuse("", [c], [a], {"a": 0.9, "c": 0.2})] == ["a", "c"]  # by score
    assert [x.id for x in fuse("", [a, c], [], {"a": 0.5, "c": 0.5})] == ["a", "c"]


def test_a_file_the_question_names_wins_a_near_tie() -> None:
    """Another file's passage repeats the question's words; the question names this one."""
    labels = make_chunk("Lightweight tags are private labels.", id="labels", filename="labels.docx")
    describe = make_chunk(
        "--tags also matches lightweight tags.", id="describe", filename="git-describe.docx"
    )
    other = make_chunk("Branches move.", id="other", filename="branches.docx")
    by_words = [replace(labels, score=8.0), replace(describe, score=7.0)]
    similarity = {"labels": 0.82, "describe": 0.78, "other": 0.30}
    dense = [labels, describe, other]

    question = "Can git describe use lightweight tags?"
    assert fuse(question, dense, by_words, similarity)[0].id == "describe"
    assert fuse("Are lightweight tags kept?", dense, by_words, similarity)[0].id == "labels"


def test_a_passage_that_holds_the_question_s_word_pairs_beats_scattered_words() -> None:
    """BM25 and the model score both alike; the pair "stored zeros" tells them apart."""
    scattered = make_chunk(
        "Zeros are not stored. Entries stored explicitly are kept; remove them later.",
        id="scattered",
    )
    paired = make_chunk("drop0() removes explicitly stored zeros.", id="paired")
    other = make_chunk("A dense matrix.", id="other")
    by_words = [replace(scattered, score=7.0), replace(paired, score=6.8)]
    similarity = {"scattered": 0.61, "paired": 0.60, "other": 0.20}

    question = "How do I remove explicitly stored zeros?"
    assert fuse(question, [scattered, paired, other], by_words, similarity)[0].id == "paired"


def test_word_pairs_are_stemmed_in_order_and_skip_stop_words() -> None:
    question = "How are the stored zeros removed?"
    chunks = [
        make_chunk("It removes storing of zeros.", id="in order"),
        make_chunk("Zeros stored here.", id="reversed"),
        make_chunk("manual.pdf\n\nNothing of the kind.", id="none"),
    ]
    scores = phrase_scores(question, chunks)

    assert scores["in order"] > 0 and scores["reversed"] == 0 and scores["none"] == 0
