import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from ragline.answering import (
    KEYWORDS_ALONE,
    RetrievalMode,
    answer_question,
    distinct,
)
from ragline.embedding import get_embedder
from ragline.errors import VectorStoreUnavailable
from ragline.extractive import snippet
from ragline.settings import Settings
from ragline.vectorstore import StoredChunk, VectorStore
from scripts.stack import free_port
from tests.factories.chunks import make_chunk
from tests.factories.rows import upload, user


def test_snippets_drop_the_context_line_and_stay_short() -> None:
    text = "guide.md › Install\n\n" + "word " * 200
    shown = snippet("install", text, "guide.md", 400)
    assert not shown.startswith("guide.md") and len(shown) <= 400 and shown.endswith("…")


def test_a_title_only_context_line_is_not_quoted() -> None:
    assert snippet("note", "notes.txt\n\nThe body of the note.", "notes.txt", 400) == (
        "The body of the note."
    )
    table = "prices.csv\nname | price\npear | 4"  # a table's chunk: no blank line
    assert snippet("price", table, "prices.csv", 400) == "name | price pear | 4"


def test_a_snippet_shows_the_sentences_that_match_the_question() -> None:
    """The snippet was the chunk's first 400 characters: the answering sentence, further
    down a chunk twice that long, reached the user in 0.73 of the evaluation's questions."""
    before = " ".join(f"Setup step {n} needs a shell." for n in range(12))
    after = " ".join(f"Later note {n} is unrelated." for n in range(12))
    answer = "Pass --no-index to install offline from a wheel folder."
    text = f"guide.md › Install\n\n{before} {answer} {after}"

    shown = snippet("How do I install offline?", text, "guide.md", 400)

    assert answer in shown and len(shown) <= 400
    assert shown.startswith("… Setup step") and shown.endswith("…")  # context on both sides
    assert snippet("unrelated words", "guide.md\n\nOne. Two.", "guide.md", 400) == "One. Two."


def test_the_same_passage_in_two_files_is_cited_once() -> None:
    def cited(filename: str, body: str, id: str) -> StoredChunk:
        return make_chunk(f"{filename} › Rect\n\n{body}", id=id, filename=filename)

    old = cited("pygame-2.1.3-rect.html", "Rect.contains tests containment.", "a")
    new = cited("pygame-2.6.1-rect.html", "Rect.contains  tests\ncontainment.", "b")
    other = cited("pygame-2.6.1-rect.html", "Rect.move moves it.", "c")

    assert [c.id for c in distinct([old, new, other])] == ["a", "c"]


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
