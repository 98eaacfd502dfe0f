"""Chunks in Chroma: versioned writes, owner-scoped queries, deletes.

Every process talks to one Chroma *server* over HTTP (two processes on one persistent path
corrupt it silently). Each owner has a collection of their own (``"{prefix}-{owner_id}"``):
a question searches one small index with no metadata filter (Chroma's filters are slow at
scale), and no query can reach another user's chunks. Chunk ids are
``"{document_id}:{version_id}:{n}"``, so writing a version twice is an idempotent upsert.
Which version of a document is live is decided by the database (``Document.version_id``),
never by Chroma: see ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import httpx
import numpy as np

from ragline import compat
from ragline.documents import Chunk
from ragline.errors import VectorStoreUnavailable
from ragline.integrations.node_layout import node_metadata

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

#: The longest one call to Chroma may take before Chroma counts as not answering. Its HTTP
#: client would wait forever, so a hung server would hang every question and store stage.
#: Generous: a 2,000-record write takes a second or two on a busy 2-core host.
CHROMA_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
#: How many of an index's nodes a search keeps in view (HNSW's ``ef``). At Chroma's default
#: of 100 a search among many near-alike chunks (the rows of one table, one page at several
#: versions) can end in the wrong part of the graph: on the eval set's 7,398 chunks, recall
#: of the true 30 nearest was 0.97 and for one question none of them; at 400 it is 0.998, in
#: the same time per query (docs/DECISIONS.md). An existing collection is raised to it when
#: first opened, which its index takes up the next time Chroma starts.
SEARCH_EF = 400
# Chroma refuses batches above ~5461 records; stay well below.
_WRITE_BATCH = 2000
# Pauses between reads of a collection whose index is not written yet (about 1.5 s in all).
_NOT_ON_DISK_RETRY_S = (0.05, 0.1, 0.2, 0.4, 0.8)
T = TypeVar("T")


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    document_id: str
    version_id: str
    filename: str
    page: int | None
    heading: str | None
    score: float


def chunk_id(document_id: str, version_id: str, index: int) -> str:
    return f"{document_id}:{version_id}:{index}"


class VectorStore:
    def __init__(self, url: str, prefix: str) -> None:
        self._url = url
        self._prefix = prefix
        self._collections: dict[str, Collection] = {}

    # -- writes -------------------------------------------------------------------------
    def add_version(
        self,
        *,
        owner_id: str,
        document_id: str,
        version_id: str,
        filename: str,
        chunks: Sequence[Chunk],
        embeddings: np.ndarray,
    ) -> None:
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            metadatas: list[dict[str, str | int | float | bool | None]] = []
            ids = [chunk_id(document_id, version_id, c.index) for c in batch]
            for id_, chunk in zip(ids, batch, strict=True):
                fields: dict[str, str | int | float | bool | None] = {
                    "owner_id": owner_id,
                    "document_id": document_id,
                    "version_id": version_id,
                    "filename": filename,
                    "chunk_index": chunk.index,
                }
                # Chroma metadata cannot hold None: absent keys mean "no page/heading".
                if chunk.page is not None:
                    fields["page"] = chunk.page
                if chunk.heading:
                    fields["heading"] = chunk.heading
                # Plus the node llama-index's ChromaVectorStore reads (docs/PYTHON.md).
                metadatas.append(node_metadata(id_, document_id, fields))
            vectors = embeddings[start : start + len(batch)].astype(np.float32)
            texts = [c.text for c in batch]
            self._upsert(owner_id, ids, vectors, texts, metadatas)

    def _upsert(
        self,
        owner_id: str,
        ids: list[str],
        vectors: np.ndarray,
        texts: list[str],
        metadatas: list[dict[str, str | int | float | bool | None]],
    ) -> None:
        def upsert() -> None:
            self._collection(owner_id).upsert(
                ids=ids,
                embeddings=vectors,
                documents=texts,
                metadatas=metadatas,  # type: ignore[arg-type]
            )

        self._call(upsert)

    def delete_other_versions(self, owner_id: str, document_id: str, keep_version_id: str) -> None:
        where = {"$and": [{"document_id": document_id}, {"version_id": {"$ne": keep_version_id}}]}
        self._call(lambda: self._collection(owner_id).delete(where=where))  # type: ignore[arg-type]

    def delete_version(self, owner_id: str, document_id: str, version_id: str) -> None:
        where = {"$and": [{"document_id": document_id}, {"version_id": version_id}]}
        self._call(lambda: self._collection(owner_id).delete(where=where))  # type: ignore[arg-type]

    def delete_document(self, owner_id: str, document_id: str) -> None:
        self._call(lambda: self._collection(owner_id).delete(where={"document_id": document_id}))

    # -- reads --------------------------------------------------------------------------
    def query(self, owner_id: str, embedding: np.ndarray, n: int) -> list[StoredChunk]:
        result = self._read(
            lambda: self._collection(owner_id).query(
                query_embeddings=embedding.astype(np.float32).reshape(1, -1),
                n_results=n,
                include=["documents", "metadatas", "distances"],
            )
        )
        ids = result["ids"][0]
        texts = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        return [
            _stored_chunk(id_, text, meta, distance)
            for id_, text, meta, distance in zip(ids, texts, metas, distances, strict=True)
        ]

    def similarities(
        self, owner_id: str, embedding: np.ndarray, ids: list[str]
    ) -> dict[str, float]:
        """The cosine similarity of each stored chunk to ``embedding`` (ids not found: absent)."""
        result = self._read(lambda: self._collection(owner_id).get(ids=ids, include=["embeddings"]))
        vectors = np.asarray(result["embeddings"], dtype=np.float32).reshape(len(result["ids"]), -1)
        query = embedding.astype(np.float32).ravel()
        # Stored vectors are unit length (the embedders normalise), so a dot product will do;
        # dividing by the norms anyway keeps it right for any vector the store holds.
        norms = np.linalg.norm(vectors, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
        scores = vectors @ query / np.maximum(norms, 1e-12)
        return {id_: round(float(s), 4) for id_, s in zip(result["ids"], scores, strict=True)}

    def chunks_of(self, owner_id: str, document_id: str) -> list[dict[str, Any]]:
        """Every stored chunk's metadata for a document, all versions (tests, diagnostics)."""
        result = self._read(
            lambda: self._collection(owner_id).get(
                where={"document_id": document_id}, include=["metadatas"]
            )
        )
        return [dict(meta) for meta in result["metadatas"] or []]

    def versions_of(self, owner_id: str, document_id: str) -> dict[str, int]:
        """Chunk count per stored version of a document (tests and diagnostics)."""
        metadatas = self.chunks_of(owner_id, document_id)
        counts: dict[str, int] = {}
        for meta in metadatas:
            version = str(meta["version_id"])
            counts[version] = counts.get(version, 0) + 1
        return counts

    def owners(self) -> list[str]:
        """Every owner with a collection (the consistency check walks them all)."""
        start = f"{self._prefix}-"
        names = self._call(lambda: [c.name for c in _client(self._url).list_collections()])
        return [name.removeprefix(start) for name in names if name.startswith(start)]

    def stored_versions(self, owner_id: str) -> dict[tuple[str, str], list[str]]:
        """Every chunk id an owner's collection holds, by (document id, version id)."""
        result = self._read(lambda: self._collection(owner_id).get(include=["metadatas"]))
        found: dict[tuple[str, str], list[str]] = {}
        for id_, meta in zip(result["ids"], result["metadatas"] or [], strict=True):
            key = (str(meta["document_id"]), str(meta["version_id"]))
            found.setdefault(key, []).append(id_)
        return found

    def delete_ids(self, owner_id: str, ids: list[str]) -> None:
        collection = self._collection(owner_id)
        for start in range(0, len(ids), _WRITE_BATCH):
            batch = ids[start : start + _WRITE_BATCH]
            self._call(functools.partial(collection.delete, ids=batch))

    def heartbeat(self) -> None:
        self._call(lambda: _client(self._url).heartbeat())

    # -- plumbing -----------------------------------------------------------------------
    def _collection(self, owner_id: str) -> Collection:
        if owner_id not in self._collections:
            collection = _client(self._url).get_or_create_collection(
                f"{self._prefix}-{owner_id}",
                embedding_function=None,  # we always pass vectors; the default downloads a model
                configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
            )
            ef = _search_ef(collection)
            if ef is not None and ef < SEARCH_EF:  # made before SEARCH_EF was
                collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
            self._collections[owner_id] = collection
        return self._collections[owner_id]

    def _read(self, operation: Callable[[], T]) -> T:
        """A read, retried briefly while a new collection's index is not yet on disk.

        Chroma writes a collection's vector index after the first records arrive; a read in
        that window fails with "Nothing found on disk" (measured: 1 in 12 brand-new users
        asking while their first upload was stored). It passes a moment later.
        """
        pauses = iter(_NOT_ON_DISK_RETRY_S)
        while True:
            try:
                return self._call(operation)
            except Exception as exc:
                if not _index_not_on_disk(exc):
                    raise
                pause = next(pauses, None)
                if pause is None:
                    raise VectorStoreUnavailable(
                        "Your search index is still being written; ask again in a moment."
                    ) from exc
            time.sleep(pause)

    def _call(self, operation: Callable[[], T]) -> T:
        try:
            return operation()
        except Exception as exc:
            if _is_connection_error(exc):
                self._collections.clear()
                raise VectorStoreUnavailable(
                    f"The vector store at {self._url} is not answering; try again shortly."
                ) from exc
            raise


def _stored_chunk(id_: str, text: str, meta: Any, distance: float) -> StoredChunk:
    page = meta.get("page")
    return StoredChunk(
        id=id_,
        text=text,
        document_id=str(meta["document_id"]),
        version_id=str(meta["version_id"]),
        filename=str(meta["filename"]),
        page=int(page) if page is not None else None,
        heading=meta.get("heading"),
        score=round(1.0 - float(distance), 4),
    )


def _search_ef(collection: Collection) -> int | None:
    """The collection's HNSW search breadth; None for an index of another kind."""
    hnsw = collection.configuration_json.get("hnsw")
    return int(hnsw.get("ef_search") or 0) if isinstance(hnsw, dict) else None


def _index_not_on_disk(exc: Exception) -> bool:
    return "Nothing found on disk" in str(exc)


def _is_connection_error(exc: BaseException | None) -> bool:
    # chromadb re-raises some transport errors as a bare ValueError: look down the chain.
    while exc is not None:
        if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError):
            return True
        if "Could not connect" in str(exc) or "Connection refused" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@cache
def _client(url: str) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    compat.give_chroma_a_timeout(CHROMA_TIMEOUT)  # before the client: building it calls Chroma
    parts = urlsplit(url)
    return chromadb.HttpClient(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 8000,
        ssl=parts.scheme == "https",
        settings=ChromaSettings(anonymized_telemetry=False),
    )


@cache
def get_vector_store(url: str, collection: str) -> VectorStore:
    return VectorStore(url, collection)
