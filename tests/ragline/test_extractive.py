"""The extractive answer: which sentences and table rows are quoted, and how."""

from ragline.chunking import chunk_sections
from ragline.documents import DocumentKind, Section
from ragline.extractive import NO_ANSWER, extractive_answer
from tests.factories.chunks import make_chunk


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


def test_the_question_words_are_looked_for_below_the_floor_before_quoting_none() -> None:
    # A code only the keyword ranking knows: the model scores its chunk low.
    chunks = [
        make_chunk("Rain fell on most days of January in the north.", score=0.34),
        make_chunk("The QX-4471 valve must be replaced every two years.", id="x", score=0.18),
    ]
    answer = extractive_answer("When is QX-4471 replaced?", chunks)
    assert answer == "The QX-4471 valve must be replaced every two years. [2]"


def test_a_date_in_words_matches_the_same_date_in_a_table() -> None:
    chunk = make_chunk(
        "weather.csv\ndate | precipitation | weather\n2012/01/03 | 0.0 | sun\n"
        "2012/01/04 | 20.3 | rain\n2012/01/05 | 1.3 | rain",
        filename="weather.csv",
    )
    answer = extractive_answer("How much rain fell on January 4, 2012?", [chunk])
    assert answer == "date: 2012/01/04, precipitation: 20.3, weather: rain [1]"


def test_how_long_is_answered_by_the_sentence_that_gives_a_number() -> None:
    chunks = [
        make_chunk(
            "Contact the maintainer politely and wait for a reply from the maintainer. "
            "If the maintainer does not reply within four weeks, the package may be orphaned."
        )
    ]
    answer = extractive_answer(
        "How long should I wait for the maintainer to reply?", chunks, max_sentences=1
    )
    assert answer.startswith("If the maintainer does not reply within four weeks")


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


def test_every_piece_of_a_long_table_is_quoted_with_its_column_names() -> None:
    rows = "\n".join(["Name | Age", *(f"Person {n} | {100 + n}" for n in range(60))])
    pieces = chunk_sections(
        [Section(text=rows, heading="Team")],
        kind=DocumentKind.HTML,
        count_tokens=lambda text: len(text.split()),
        chunk_tokens=40,
        title="staff.html",
    )
    last = make_chunk(pieces[-1].text, filename="staff.html")
    assert len(pieces) > 3
    assert extractive_answer("How old is Person 59?", [last]) == "Name: Person 59, Age: 159 [1]"
