"""ragline as llama-index building blocks (examples in docs/PYTHON.md).

* :class:`RaglineEmbedding`: ragline's own embedding model as a llama-index ``BaseEmbedding``.
  A user's Chroma collection was embedded with it, so it is the model that can query it:
  ``VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=...),
  embed_model=RaglineEmbedding())`` (the records carry llama-index's node layout, see
  :mod:`ragline.integrations.node_layout`). This reads Chroma directly: for code that runs
  beside the service, with access to its vector store.
* :class:`RaglineRetriever`: the API's retrieval (hybrid by default: dense and keyword) as a
  llama-index ``BaseRetriever``. It needs only the API's URL and a token, goes through the
  API's authentication and per-user isolation, and needs no database credentials.

Neither calls an LLM. llama-index's lazy defaults for ``Settings.llm`` and
``Settings.embed_model`` reach for OpenAI over the network: pass ``llm=`` and
``embed_model=`` explicitly (the examples do).
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.callbacks import CallbackManager
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import (
    NodeRelationship,
    NodeWithScore,
    ObjectType,
    QueryBundle,
    RelatedNodeInfo,
    TextNode,
)
from pydantic import PrivateAttr

from ragline.embedding import Embedder, get_embedder
from ragline.integrations.client import ApiError, checked, connect, unreachable
from ragline.settings import Settings, get_settings
from ragline_client.api.query import query_query
from ragline_client.models import Citation, QueryAnswer, QueryRequest
from ragline_client.models.retrieval_mode import RetrievalMode
from ragline_client.types import Unset

#: Citation fields an LLM reading a retrieved node is not shown (it sees file, page, heading).
_NOT_FOR_THE_LLM = ["document_id", "score"]


class RaglineEmbedding(BaseEmbedding):
    """ragline's embedder (``RAGLINE_EMBEDDING_*`` settings) behind llama-index's interface."""

    _embedder: Embedder = PrivateAttr()

    def __init__(
        self, embedder: Embedder | None = None, *, settings: Settings | None = None, **kwargs: Any
    ) -> None:
        settings = settings or get_settings()
        embedder = embedder or get_embedder(settings)
        kwargs.setdefault("embed_batch_size", settings.embedding_batch_size)
        super().__init__(model_name=embedder.model_id, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "RaglineEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        # ragline embeds a question exactly like a chunk (answering.retrieve does the same).
        return self._get_text_embeddings([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self._embedder.embed(texts).tolist()
        return vectors

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return await asyncio.to_thread(self._get_query_embedding, query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return await asyncio.to_thread(self._get_text_embedding, text)


class RaglineRetriever(BaseRetriever):
    """Nodes from ``POST /api/v1/query``: the caller's own documents, best first.

    Each node's text is the citation's snippet (up to 400 characters of the chunk) and its
    metadata says where it comes from: ``document_id, filename, page, heading, score``. A
    refusal (bad token, rate limit) raises :class:`ragline.integrations.client.ApiError`
    with the API's sentence.
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        top_k: int = 5,
        mode: RetrievalMode = "hybrid",
        timeout_s: float = 60.0,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
    ) -> None:
        super().__init__(callback_manager=callback_manager, verbose=verbose)
        self._url = url
        self._client = connect(url, token, timeout_s)
        self._top_k = top_k
        self._mode: RetrievalMode = mode

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        try:
            response = query_query.sync_detailed(
                client=self._client, body=self._request(query_bundle)
            )
        except httpx.HTTPError as exc:
            raise unreachable(self._url, exc) from exc
        return [_node(c) for c in checked(response, QueryAnswer).citations]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        try:
            response = await query_query.asyncio_detailed(
                client=self._client, body=self._request(query_bundle)
            )
        except httpx.HTTPError as exc:
            raise unreachable(self._url, exc) from exc
        return [_node(c) for c in checked(response, QueryAnswer).citations]

    def _request(self, query_bundle: QueryBundle) -> QueryRequest:
        return QueryRequest(question=query_bundle.query_str, top_k=self._top_k, mode=self._mode)


def _node(citation: Citation) -> NodeWithScore:
    heading = None if isinstance(citation.heading, Unset) else citation.heading
    # Citations carry no chunk id: one made of what identifies the passage keeps ids stable
    # across calls, so llama-index's postprocessors can deduplicate.
    digest = hashlib.sha256(f"{citation.page}:{citation.snippet}".encode()).hexdigest()[:16]
    node = TextNode(
        id_=f"{citation.document_id}:{digest}",
        text=citation.snippet,
        metadata={
            "document_id": citation.document_id,
            "filename": citation.filename,
            "page": citation.page,
            "heading": heading,
            "score": citation.score,
        },
        excluded_llm_metadata_keys=list(_NOT_FOR_THE_LLM),
        excluded_embed_metadata_keys=list(_NOT_FOR_THE_LLM),
        relationships={
            NodeRelationship.SOURCE: RelatedNodeInfo(
                node_id=citation.document_id, node_type=ObjectType.DOCUMENT
            )
        },
    )
    return NodeWithScore(node=node, score=citation.score)


__all__ = ["ApiError", "RaglineEmbedding", "RaglineRetriever"]
