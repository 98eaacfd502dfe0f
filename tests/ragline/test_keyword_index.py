"""Keyword search on the real PostgreSQL: BM25 ranking, live versions only, one owner only."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlmodel import Session, select

from ragline import jobs, keyword_index, versions
from ragline.db import session_scope
from ragline.documents import Chunk
from ragline.models import ChunkText, Document
from ragline.vectorstore import VectorStore
from scripts.stack import free_port
from tests.factories.rows import upload, user


def search(engine: Engine, owner_id: str, question: str) -> list[str]:
    with Session(engine) as session:
        return [
            c.text.split("\n\n", 1)[1] for c in keyword_index.search(session, owner_id, question, 5)
        ]


def test_a_rare_word_of_the_question_outweighs_a_common_one(engine: Engine) -> None:
    owner = user(engine, "ada")
    upload(engine, owner, "a.txt", "Configure the server, then configure the client.")
    upload(engine, owner, "b.txt", "Configure logging in the server settings.")
    upload(engine, owner, "c.txt", "The server rejects a TLS certificate that has expired.")
    upload(engine, owner, "d.txt", "Restart the server after an upgrade.")

    found = search(engine, owner, "How do I configure an expired certificate on the server?")

    assert found[0] == "The server rejects a TLS certificate that has expired."
    assert len(found) == 4  # any word of the question is enough to be a candidate


def test_words_are_stemmed_and_stop_words_ignored(engine: Engine) -> None:
    owner = user(engine, "bo")
    upload(engine, owner, "a.txt", "Proxies are configured with HTTPS_PROXY.")

    assert search(engine, owner, "proxy configuration") == [
        "Proxies are configured with HTTPS_PROXY."
    ]
    assert search(engine, owner, "what is it?") == []
    assert search(engine, owner, "proxy\x00configuration") == [
        "Proxies are configured with HTTPS_PROXY."
    ]


def test_a_question_naming_part_of_a_compound_name_finds_it(engine: Engine) -> None:
    # PostgreSQL's parser keeps a file name, a dotted function name or a date with hyphens
    # as one word, which a question naming one of its parts would not match.
    owner = user(engine, "fay")
    upload(engine, owner, "statsmodels-nile.csv", "year | volume\n1913 | 456")
    upload(engine, owner, "zoo.txt", "Call na.locf to carry the last observation forward.")
    upload(engine, owner, "orders.csv", "date | orders\nApr-1-1999 | 87.12")

    assert search(engine, owner, "the Nile data") == ["year | volume\n1913 | 456"]
    assert search(engine, owner, "What does locf do?") == [
        "Call na.locf to carry the last observation forward."
    ]
    assert search(engine, owner, "na.locf") == [  # the whole name still matches
        "Call na.locf to carry the last observation forward."
    ]
    assert search(engine, owner, "orders in 1999") == ["date | orders\nApr-1-1999 | 87.12"]


def test_only_the_live_version_is_searched(engine: Engine) -> None:
    owner = user(engine, "cy")
    upload(engine, owner, "notes.txt", "The launch is on Tuesday.")
    upload(engine, owner, "notes.txt", "The launch moved to Friday.", commit=False)

    assert search(engine, owner, "launch day") == ["The launch is on Tuesday."]


def test_a_new_live_version_replaces_the_old_one_in_the_same_transaction(engine: Engine) -> None:
    owner = user(engine, "di")
    first = upload(engine, owner, "notes.txt", "The launch is on Tuesday.")
    second = upload(engine, owner, "notes.txt", "The launch moved to Friday.")

    assert search(engine, owner, "launch day") == ["The launch moved to Friday."]
    with Session(engine) as session:
        stored = set(session.exec(select(ChunkText.version_id)).all())
    assert stored == {second.id} and first.id != second.id


def test_a_failed_version_leaves_no_rows_even_with_the_vector_store_down(engine: Engine) -> None:
    owner = user(engine, "ed")
    version = upload(engine, owner, "notes.txt", "Draft text.", commit=False)
    unreachable = VectorStore(f"http://127.0.0.1:{free_port()}", "nothing-listens")
    with session_scope(engine) as session:  # as a flow does when a document fails
        jobs.fail_version(session, version.id, "it broke", "parse_failed")
        ref = versions.VersionRef(owner, version.document_id, version.id)
        versions.discard(session, unreachable, [ref])
    with Session(engine) as session:
        assert session.exec(select(ChunkText)).all() == []


def test_another_users_chunks_are_never_found(engine: Engine) -> None:
    upload(engine, user(engine, "fay"), "secret.txt", "The vault code is 4471.")

    assert search(engine, user(engine, "gus"), "vault code") == []


def test_storing_a_version_twice_keeps_one_copy(engine: Engine) -> None:
    owner = user(engine, "hal")
    version = upload(engine, owner, "a.txt", "Stored twice, kept once.", commit=False)
    with session_scope(engine) as session:  # a retried store task writes the version again
        chunk = Chunk("a.txt\n\nStored twice, kept once.", 0, None, None)
        keyword_index.add_version(session, version.document_id, version.id, "a.txt", [chunk])
        assert versions.switch_live(session, version.id, 1, "key")

    assert search(engine, owner, "stored") == ["Stored twice, kept once."]


def test_deleting_a_document_deletes_its_rows(engine: Engine) -> None:
    owner = user(engine, "ivy")
    upload(engine, owner, "a.txt", "Short lived.")
    with session_scope(engine) as session:
        session.delete(session.exec(select(Document)).one())

    with Session(engine) as session:
        assert session.exec(select(ChunkText)).all() == []


def test_in_a_large_corpus_common_words_alone_select_nothing(engine: Engine) -> None:
    owner = user(engine, "jo")
    filler = [f"Alpha beta, part {n}." for n in range(keyword_index.SMALL_CORPUS + 100)]
    upload(engine, owner, "big.txt", *filler, "Alpha beta zeta.")
    with engine.begin() as connection:
        connection.execute(text("ANALYZE chunktext"))  # what autovacuum does meanwhile

    assert search(engine, owner, "alpha beta") == []
    assert search(engine, owner, "alpha beta zeta")[0] == "Alpha beta zeta."


def test_any_word_is_quoted_for_postgresql(engine: Engine) -> None:
    words = ["it's", "back\\slash", "plain"]
    with engine.connect() as connection:
        query = connection.execute(
            text("SELECT CAST(:q AS tsquery)::text"), {"q": keyword_index._tsquery_any(words)}
        ).scalar_one()
    assert query == "'it''s' | 'back\\\\slash' | 'plain'"
