"""Chunks as the vector store returns them, for tests of what is done with them."""

from __future__ import annotations

from ragline.vectorstore import StoredChunk


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
