import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from ragline.answering import (
    KEYWORDS_ALONE,
    NO_ANSWER,
    RetrievalMode,
    _snippet,
    answer_question,
    extractive_answer,
    fuse,
)
from ragline.embedding import get_embedder
from ragline.errors import VectorStoreUnavailable
from ragline.settings import Settings
from ragline.vectorstore import StoredChunk, VectorStore
from scripts.stack import free_port
from tests.ragline.keyword_rows import upload, user


def make_chunk(text: str, **overrides: object) -> StoredChunk:
    fields: dict[str, object] = {
        "id": "d:v:0",
        "text": text,
        "document_id": "d",
        "version_id": "v",
        "filename": "manual.pdf",
        "page": 1,
        "heading": None,
        "score": 0.5,
    }
    fields.update(overrides)
    return StoredChunk(**fields)  # type: ignore[arg-type]


def test_extractive_answer_picks_the_sentence_that_shares_the_question_words() -> None:
    chunks = [
        make_chunk(
            "manual.pdf › Setup\n\nThe device ships in a cardboard box with a manual. "
            "To reset the router, hold the recessed button for ten seconds. "
            "The warranty lasts two years from the date of purchase."
        ),
    ]
    answer = extractive_answer("How do I reset the router?", chunks, max_sentences=1)
    assert answer == "To reset the router, hold the recessed button for ten seconds. [1]"


def test_extractive_answer_cites_the_chunk_each_sentence_came_from() -> None:
    chunks = [
        make_chunk("Llamas are domesticated South American camelids used as pack animals."),
        make_chunk("Alpacas are smaller than llamas and are bred for their soft fleece.", id="x"),
    ]
    answer = extractive_answer("What are alpacas bred for?", chunks, max_sentences=1)
    assert answer.endswith("[2]") and "fleece" in answer


def test_no_sentences_means_no_answer() -> None:
    assert extractive_answer("anything?", [make_chunk("short")]) == NO_ANSWER


def test_snippets_drop_the_context_line_and_stay_short() -> None:
    text = "guide.md › Install\n\n" + "word " * 200
    snippet = _snippet(text, "guide.md")
    assert not snippet.startswith("guide.md") and len(snippet) <= 400 and snippet.endswith("…")


def test_a_title_only_context_line_is_not_quoted() -> None:
    assert _snippet("notes.txt\n\nThe body of the note.", "notes.txt") == "The body of the note."


def test_a_sentence_found_in_two_chunks_is_quoted_once() -> None:
    text = "Alpacas are bred for their soft fleece in the Andes."
    answer = extractive_answer("What are alpacas bred for?", [make_chunk(text), make_chunk(text)])
    assert answer.count("soft fleece") == 1


def test_weakly_related_chunks_are_not_quoted() -> None:
    chunks = [
        make_chunk("Visitors park in the blue garage on level three.", score=0.8),
        make_chunk("Parking tickets for visitors are sold in the lobby shop.", score=0.2),
    ]
    answer = extractive_answer("Where do visitors park?", chunks)
    assert answer == "Visitors park in the blue garage on level three. [1]"


def test_words_match_in_any_of_their_forms() -> None:
    chunks = [
        make_chunk(
            "The library card is free for every resident of the town. "
            "Cards are renewed at the front desk of the library."
        )
    ]
    answer = extractive_answer("How do I renew a library card?", chunks, max_sentences=1)
    assert answer == "Cards are renewed at the front desk of the library. [1]"


def test_a_hyphenated_word_also_matches_its_parts() -> None:
    chunks = [
        make_chunk("Restrictions change how a test is run. Output to stderr is not a failure here.")
    ]
    answer = extractive_answer("What does allow-stderr do?", chunks, max_sentences=1)
    assert answer == "Output to stderr is not a failure here. [1]"


def test_the_question_words_are_looked_for_below_the_floor_before_quoting_none() -> None:
    # A code only the keyword ranking knows: the model scores its chunk low.
    chunks = [
        make_chunk("Rain fell on most days of January in the north.", score=0.34),
        make_chunk("The QX-4471 valve must be replaced every two years.", id="x", score=0.18),
    ]
    answer = extractive_answer("When is QX-4471 replaced?", chunks)
    assert answer == "The QX-4471 valve must be replaced every two years. [2]"


def test_fusion_puts_first_what_both_rankings_rank_high() -> None:
    a, b, c = (make_chunk(t, id=t) for t in "abc")
    dense, keyword = [a, b], [c, b]

    assert [x.id for x in fuse([dense, keyword])] == ["b", "a", "c"]


def test_on_a_tie_the_dense_ranking_comes_first() -> None:
    a, c = make_chunk("a", id="a"), make_chunk("c", id="c")

    assert [x.id for x in fuse([[a], [c]])] == ["a", "c"]
    assert [x.id for x in fuse([[], [c]])] == ["c"]  # one ranking alone keeps its order


@pytest.mark.e2e
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


WEATHER = "weather.csv\ndate | precipitation | weather\n" + "\n".join(
    f"2012-01-{day:02d} | {day * 1.5:.1f} | {'rain' if day % 2 else 'sun'}" for day in range(1, 11)
)


def test_a_table_row_is_quoted_with_its_column_names() -> None:
    answer = extractive_answer("What was the weather on 2012-01-04?", [make_chunk(WEATHER)])
    # Every row shares "weather" (a column name) and half share no value: only the best row.
    assert answer == "date: 2012-01-04, precipitation: 6.0, weather: sun [1]"


def test_rows_that_match_as_well_as_the_best_are_quoted_beside_it() -> None:
    answer = extractive_answer("Which days had rain?", [make_chunk(WEATHER)])
    assert answer == (
        "date: 2012-01-01, precipitation: 1.5, weather: rain [1] "
        "date: 2012-01-03, precipitation: 4.5, weather: rain [1] "
        "date: 2012-01-05, precipitation: 7.5, weather: rain [1]"
    )


def test_prose_with_pipes_is_not_a_table() -> None:
    chunk = make_chunk(
        "manual.pdf › Shell\n\nJoin commands with a pipe, as in ls | sort | head, to filter them."
    )
    answer = extractive_answer("How do I join commands?", [chunk])
    assert answer == "Join commands with a pipe, as in ls | sort | head, to filter them. [1]"


def test_a_table_in_a_document_is_quoted_row_by_row() -> None:
    staff = "Name | Age | Role\nAlice Smith | 34 | Engineer\nBob Jones | 41 | Manager"
    text = f"staff.html › Team\n\nOur team:\n\n{staff}\n\nAsk HR."
    starts_here = make_chunk(text, filename="staff.html")
    text = "staff.html › Team\n\nCarol White | 29 | Designer\nDan Brown | 52 | Lead"
    goes_on = make_chunk(text, filename="staff.html")

    assert extractive_answer("How old is Bob Jones?", [starts_here]) == (
        "Name: Bob Jones, Age: 41, Role: Manager [1]"
    )
    # A chunk that opens on rows may continue a table from the chunk before: the first row
    # is not known to be the header, so the rows are quoted as they are.
    assert extractive_answer("How old is Dan Brown?", [goes_on]) == "Dan Brown | 52 | Lead [1]"
