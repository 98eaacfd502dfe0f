"""llama-index over the real stack: its own ChromaVectorStore on a user's collection, and the
API as a retriever under a query engine. No LLM is reached: llama-index's MockLLM answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chromadb
import pytest
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from llama_index.core import VectorStoreIndex
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.vector_stores.chroma import ChromaVectorStore
from sqlmodel import Session

from ragline.db import get_engine
from ragline.integrations.client import ApiError
from ragline.integrations.llama_index import RaglineEmbedding, RaglineRetriever
from ragline.models import Document
from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.e2e.prefect_runs import cached_tasks
from tests.factories.files import make_pdf

pytestmark = pytest.mark.e2e

QUESTION = "Where do visitors park?"
LLAMA_KEYS = ("_node_content", "_node_type", "doc_id", "ref_doc_id")


@pytest.fixture(scope="module")
def reader(
    new_user: Callable[..., ApiClient], tmp_path_factory: pytest.TempPathFactory
) -> ApiClient:
    """A user with a handbook (the answer on page 2) and notes (the answer under a heading)."""
    pdf = make_pdf(
        tmp_path_factory.mktemp("llama") / "handbook.pdf",
        [
            "Office hours\nThe office opens at nine in the morning on weekdays.",
            "Parking\nVisitors park in the blue garage on level three, next to the lifts.",
        ],
    )
    notes = ("notes.md", b"# Birds\n\n## Falcons\n\nThe peregrine falcon is the fastest bird.\n")
    user = new_user()
    assert user.ingest(pdf, notes)["state"] == "completed"
    return user


def token_of(client: ApiClient) -> str:
    return client.headers["Authorization"].removeprefix("Bearer ")


def collection_of(stack: Stack, user: ApiClient) -> Collection:
    """The user's collection, opened as any Chroma client would (nothing of ragline's)."""
    settings = stack.settings
    owner = user.get("/api/v1/me").json()["id"]
    client = chromadb.HttpClient(
        host="127.0.0.1",
        port=settings.chroma_port,
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    return client.get_collection(f"{settings.chroma_collection_prefix}-{owner}")


def index_of(stack: Stack, user: ApiClient) -> VectorStoreIndex:
    store = ChromaVectorStore(chroma_collection=collection_of(stack, user))
    return VectorStoreIndex.from_vector_store(
        store, embed_model=RaglineEmbedding(settings=stack.settings)
    )


def document_id(user: ApiClient, filename: str) -> str:
    documents = user.get("/api/v1/documents").json()["data"]
    return next(str(d["id"]) for d in documents if d["filename"] == filename)


def test_llama_indexs_chroma_store_reads_a_users_collection_with_ragline_s_model(
    stack: Stack, reader: ApiClient
) -> None:
    index = index_of(stack, reader)

    best = index.as_retriever(similarity_top_k=2).retrieve(QUESTION)[0].node
    falcon = index.as_retriever(similarity_top_k=1).retrieve("the fastest bird")[0].node

    assert "blue garage" in best.get_content()
    assert best.ref_doc_id == document_id(reader, "handbook.pdf")
    assert {k: best.metadata[k] for k in ("filename", "page")} == {
        "filename": "handbook.pdf",
        "page": 2,
    }
    assert best.metadata["document_id"] == best.ref_doc_id and best.metadata["version_id"]
    assert (falcon.metadata["filename"], falcon.metadata["heading"]) == ("notes.md", "Falcons")
    response = index.as_query_engine(llm=MockLLM(), similarity_top_k=2).query(QUESTION)
    assert response.source_nodes[0].node.metadata["filename"] == "handbook.pdf"


def test_a_reingestion_moves_an_old_layout_to_the_new_one_from_cached_vectors(
    stack: Stack, admin: ApiClient, new_user: Callable[..., ApiClient]
) -> None:
    """What a collection written before STORE_VERSION 3 goes through on the next
    re-ingestion: the document is re-stored, its vectors come from the embed cache."""
    user = new_user()
    assert (
        user.ingest(("pumps.md", b"# Pumps\n\nThe pump runs at forty litres a minute.\n"))["state"]
        == "completed"
    )
    doc_id = document_id(user, "pumps.md")
    collection = collection_of(stack, user)
    _write_the_old_layout(collection, doc_id)
    with Session(get_engine(stack.settings)) as session:
        session.get_one(Document, doc_id).index_key = "stored-under-store-version-2"
        session.commit()
    cached_before = cached_tasks(stack, "embed")

    job = admin.post("/api/v1/reingest", json={"only_changed": True}).json()
    done = admin.wait_for_job(job["id"], timeout_s=180)

    assert done["state"] == "completed", done
    stages = {d["filename"]: d["stage"] for d in done["documents"] if d["document_id"] == doc_id}
    assert stages == {"pumps.md": "done"}
    records = collection.get(where={"document_id": doc_id}, include=["metadatas"])
    assert records["ids"] and all(
        all(k in meta for k in LLAMA_KEYS) for meta in records["metadatas"] or []
    )
    assert cached_tasks(stack, "embed", at_least=cached_before + 1) == cached_before + 1
    node = index_of(stack, user).as_retriever(similarity_top_k=1).retrieve("pump speed")[0].node
    assert node.metadata["filename"] == "pumps.md"


def _write_the_old_layout(collection: Collection, doc_id: str) -> None:
    old = collection.get(
        where={"document_id": doc_id}, include=["embeddings", "documents", "metadatas"]
    )
    assert old["ids"] and old["metadatas"] and old["documents"] is not None
    legacy: list[Any] = [
        {k: v for k, v in meta.items() if k not in LLAMA_KEYS} for meta in old["metadatas"]
    ]
    collection.delete(ids=old["ids"])
    collection.add(
        ids=old["ids"], embeddings=old["embeddings"], documents=old["documents"], metadatas=legacy
    )


def test_the_retriever_goes_through_the_api_under_a_query_engine(
    stack: Stack, reader: ApiClient, new_user: Callable[..., ApiClient]
) -> None:
    url = stack.settings.endpoints.api
    retriever = RaglineRetriever(url, token_of(reader), top_k=3)

    found = retriever.retrieve(QUESTION)
    response = RetrieverQueryEngine.from_args(retriever, llm=MockLLM()).query(QUESTION)
    found_async = asyncio.run(retriever.aretrieve(QUESTION))

    best = found[0]
    assert "blue garage" in best.node.get_content()
    assert {k: best.node.metadata[k] for k in ("filename", "page")} == {
        "filename": "handbook.pdf",
        "page": 2,
    }
    assert best.node.metadata["document_id"] == document_id(reader, "handbook.pdf")
    assert best.score == best.node.metadata["score"] and best.score is not None
    assert str(response) and response.source_nodes[0].node.node_id == best.node.node_id
    assert [n.node.node_id for n in found_async] == [n.node.node_id for n in found]
    # The API's isolation holds: another user's retriever finds none of these documents.
    with new_user() as stranger:
        theirs = RaglineRetriever(url, token_of(stranger)).retrieve(QUESTION)
    assert all(n.node.metadata["filename"] != "handbook.pdf" for n in theirs)


def test_a_refused_token_is_an_api_error_with_the_apis_sentence(stack: Stack) -> None:
    retriever = RaglineRetriever(stack.settings.endpoints.api, "not-a-token")

    with pytest.raises(ApiError) as refused:
        retriever.retrieve(QUESTION)

    assert refused.value.status == 401 and refused.value.detail


def test_ragline_embedding_is_the_model_the_collection_was_built_with(
    stack: Stack, reader: ApiClient, tmp_path: Path
) -> None:
    collection = collection_of(stack, reader)
    stored = collection.get(limit=1, include=["embeddings", "documents"])
    assert stored["documents"] and stored["embeddings"] is not None

    again = RaglineEmbedding(settings=stack.settings).get_text_embedding(stored["documents"][0])

    similarity = sum(a * b for a, b in zip(again, stored["embeddings"][0], strict=True))
    assert similarity > 0.999
