import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from ragline.answering import (
    KEYWORDS_ALONE,
    RetrievalMode,
    _snippet,
    answer_question,
    fuse,
)
from ragline.embedding import get_embedder
from ragline.errors import VectorStoreUnavailable
from ragline.settings import Settings
from ragline.vectorstore import VectorStore
from scripts.stack import free_port
from tests.factories.chunks import make_chunk
from tests.factories.rows import upload, user


def test_snippets_drop_the_context_line_and_stay_short() -> None:
    text = "guide.md › Install\n\n" + "word " * 200
    snippet = _snippet(text, "guide.md")
    assert not snippet.startswith("guide.md") and len(snippet) <= 400 and snippet.endswith("…")


def test_a_title_only_context_line_is_not_quoted() -> None:
    assert _snippet("notes.txt\n\nThe body of the note.", "notes.txt") == "The body of the note."
    table = "prices.csv\nname | price\npear | 4"  # a table's chunk: no blank line
    assert _snippet(table, "prices.csv") == "name | price pear | 4"


def test_fusion_puts_first_what_both_rankings_rank_high() -> None:
    a, b, c = (make_chunk(t, id=t) for t in "abc")
    dense, keyword = [a, b], [c, b]

    assert [x.id for x in fuse([dense, keyword])] == ["b", "a", "c"]


def test_on_a_tie_the_dense_ranking_comes_first() -> None:
    a, c = make_chunk("a", id="a"), make_chunk("c", id="c")

    assert [x.id for x in fuse([[a], [c]])] == ["a", "c"]
    assert [x.id for x in fuse([[], [c]])] == ["c"]  # one ranking alone keeps its order


def test_without_the_vector_store_questions_are_answered_by_their_words(engine: Engine) -> None:
    owner = user(engine, "kim")
    upload(engine, owner, "keys.txt", "Rotate the QX-4471 signing key every ninety days.")
    upload(engine, owner, "lunch.txt", "Lunch is served at noon in the canteen.")
    unreachable = VectorStore(f"http://127.0.0.1:{free_port()}", "nothing-listens")
    settings = Settings()
    embedder = get_embedder(settings)
    question = "How often is the QX-4471 key rotated?"

    with Session(engine) as session:
        answer = answer_question(session, unreachable, embedder, settings, owner, question, 5)

    assert (answer.mode, answer.notice) == (RetrievalMode.KEYWORD, KEYWORDS_ALONE)
    assert [c.filename for c in answer.citations] == ["keys.txt"]
    assert "[1]" in answer.answer
    # The score is the cosine the vector store would have given: same text, same model.
    question_vector, chunk_vector = embedder.embed(
        [question, "keys.txt\n\nRotate the QX-4471 signing key every ninety days."]
    )
    expected = float(np.dot(question_vector, chunk_vector))
    assert answer.citations[0].score == pytest.approx(expected, abs=1e-4)

    with Session(engine) as session:
        asked_by_keywords = answer_question(
            session, unreachable, embedder, settings, owner, question, 5, RetrievalMode.KEYWORD
        )
    assert asked_by_keywords.citations == answer.citations
    assert (asked_by_keywords.mode, asked_by_keywords.notice) == (RetrievalMode.KEYWORD, None)

    with Session(engine) as session, pytest.raises(VectorStoreUnavailable):
        # Search by meaning alone has nothing to fall back on: the caller gets the 503.
        answer_question(
            session, unreachable, embedder, settings, owner, question, 5, RetrievalMode.DENSE
        )
