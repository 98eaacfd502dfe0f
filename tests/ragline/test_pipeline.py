from __future__ import annotations

import pytest

from ragline import pipeline
from ragline.documents import Chunk, DocumentKind
from ragline.embedding import Embedder, get_embedder
from ragline.settings import Settings

SHA = "ab" * 32


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder(Settings())


def test_index_key_is_stable_for_the_same_content(embedder: Embedder) -> None:
    key = pipeline.index_key(SHA, DocumentKind.MARKDOWN, "guide.md", embedder, Settings())
    again = pipeline.index_key(SHA, DocumentKind.MARKDOWN, "guide.md", embedder, Settings())
    assert key == again


def test_same_bytes_read_as_another_format_are_parsed_again() -> None:
    assert pipeline.parse_key(SHA, DocumentKind.MARKDOWN) != pipeline.parse_key(
        SHA, DocumentKind.TEXT
    )


def test_a_copy_under_another_name_gets_chunks_of_its_own(embedder: Embedder) -> None:
    # Each chunk's text starts with the file name: a cached chunk of "report.pdf" must not
    # become the chunk of "report (1).pdf".
    settings = Settings()
    keys = [
        f(SHA, DocumentKind.PDF, name, embedder, settings)
        for f in (pipeline.chunk_key, pipeline.index_key)
        for name in ("report.pdf", "report (1).pdf")
    ]
    assert len(set(keys)) == 4


def test_index_key_changes_with_the_chunk_shape(embedder: Embedder) -> None:
    a = pipeline.index_key(SHA, DocumentKind.PDF, "a.pdf", embedder, Settings(chunk_tokens=200))
    b = pipeline.index_key(SHA, DocumentKind.PDF, "a.pdf", embedder, Settings(chunk_tokens=180))
    assert a != b


def test_keys_make_safe_file_names_whatever_the_title(embedder: Embedder) -> None:
    # Prefect stores each cached result in a file named by its key.
    title = "Q3 / Q4 plan: " + "é" * 200 + ".pdf"
    key = pipeline.chunk_key(SHA, DocumentKind.PDF, title, embedder, Settings())
    assert "/" not in key and len(key.encode()) < 255


def test_vectors_are_named_by_the_chunk_texts_and_the_model(embedder: Embedder) -> None:
    def key(*texts: str) -> str:
        chunks = [Chunk(text, n, page=None, heading=None) for n, text in enumerate(texts)]
        return pipeline.embed_key(chunks, embedder)

    # A new parser or chunker that gives the same texts finds the vectors already made.
    assert key("alpha", "beta") == key("alpha", "beta")
    assert len({key("alpha", "beta"), key("alphabeta"), key("alpha", "bet", "a")}) == 3
    assert "/" not in key("x/y") and len(key("x" * 10_000)) < 100
