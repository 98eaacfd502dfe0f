"""A document version's life in the indexes: stored, made live, discarded, deleted.

A version's chunks live in two indexes, under the version's own id: the vector store
(Chroma) and the keyword index (``ChunkText`` rows in PostgreSQL). Which version of a
document is live is decided by the database alone (``Document.version_id``), and queries
only return live chunks, so:

- :func:`store` writes a version's chunks to both indexes; nobody sees them yet;
- :func:`make_live` switches the document to it in one transaction (the keyword index
  switches with it), then deletes the other versions' vectors, which nobody saw any more;
- :func:`discard` removes a version that will never be live (failed, stale, its document
  deleted) from both; :func:`stop_unfinished` ends a job's unfinished versions and does so;
- :func:`delete_document` removes a document with every version, its chunks and its file.

Flows, routes and the reconciler each make one call here; nothing else writes or deletes
chunks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine
from sqlmodel import Session, select

from ragline import jobs, keyword_index
from ragline.db import session_scope
from ragline.documents import Chunk, DocumentKind
from ragline.errors import VectorStoreUnavailable
from ragline.job_updates import announce
from ragline.models import Document, DocumentVersion, Stage
from ragline.storage import FileStore
from ragline.vectorstore import VectorStore

logger = logging.getLogger("ragline.versions")


@dataclass(frozen=True)
class VersionRef:
    """Names a version's chunks in both indexes."""

    owner_id: str
    document_id: str
    version_id: str


@dataclass(frozen=True)
class Version(VersionRef):
    """One version of one document, as the pipeline needs to know it."""

    filename: str
    kind: DocumentKind
    sha256: str


def store(
    version: Version,
    chunks: list[Chunk],
    vectors: np.ndarray,
    vector_store: VectorStore,
    engine: Engine,
) -> None:
    """Writes a version's chunks to both indexes (again, on a retry); neither serves them yet."""
    vector_store.add_version(
        owner_id=version.owner_id,
        document_id=version.document_id,
        version_id=version.version_id,
        filename=version.filename,
        chunks=chunks,
        embeddings=vectors,
    )
    with session_scope(engine) as session:
        keyword_index.add_version(
            session, version.document_id, version.version_id, version.filename, chunks
        )


def make_live(
    version: Version, chunks: int, index_key: str, vector_store: VectorStore, engine: Engine
) -> bool:
    """Makes a fully stored version its document's live one; False if a newer one won.

    One transaction switches the document row and the keyword index together
    (:func:`switch_live`); the other versions' vectors go after it (until then queries skip
    them: they are not live). A version that lost to a newer one is discarded instead.
    """
    with session_scope(engine) as session:
        live = switch_live(session, version.version_id, chunks, index_key)
    if live:
        vector_store.delete_other_versions(
            version.owner_id, version.document_id, version.version_id
        )
    else:
        vector_store.delete_version(version.owner_id, version.document_id, version.version_id)
    return live


def switch_live(session: Session, version_id: str, chunks: int, index_key: str) -> bool:
    """The database's half of :func:`make_live`, in the caller's transaction."""
    live = jobs.set_live_version(session, version_id, chunks, index_key)
    if live:
        document_id = jobs.version_row(session, version_id).document_id
        keyword_index.delete_other_versions(session, document_id, version_id)
    else:
        keyword_index.delete_version(session, version_id)
    return live


def discard(session: Session, vector_store: VectorStore, versions: Sequence[VersionRef]) -> None:
    """Removes versions that will never be live from both indexes.

    The keyword rows go with ``session``'s transaction. If the vector store is unreachable
    their vectors stay for now, harmlessly (they are not live); the next version made live
    deletes every other version's.
    """
    for version in versions:
        keyword_index.delete_version(session, version.version_id)
        try:
            vector_store.delete_version(version.owner_id, version.document_id, version.version_id)
        except VectorStoreUnavailable:
            logger.warning("could not delete the chunks of version %s yet", version.version_id)


def stop_unfinished(
    session: Session, vector_store: VectorStore, job_id: str, stage: Stage, error: str
) -> list[DocumentVersion]:
    """Ends every version of a job that did not finish (cancel, crash) and discards it.

    Idempotent; returns the versions it stopped.
    """
    stopped = jobs.end_unfinished_versions(session, job_id, stage, error)
    refs = []
    for row in stopped:
        owner_id = session.get_one(Document, row.document_id).owner_id
        refs.append(VersionRef(owner_id, row.document_id, row.id))
    discard(session, vector_store, refs)
    return stopped


def delete_document(
    session: Session, vector_store: VectorStore, files: FileStore, document: Document
) -> None:
    """Deletes a document, its versions, its chunks and its stored files, and commits.

    A job ingesting it meanwhile carries on with its other documents: its run finds the
    version gone at its next step, stops and removes whatever it stored since. If the
    vector store is unreachable nothing changes (:class:`VectorStoreUnavailable`).
    """
    versions = list(
        session.exec(select(DocumentVersion).where(DocumentVersion.document_id == document.id))
    )
    in_flight = {v.job_id for v in versions if not v.stage.finished}
    vector_store.delete_document(document.owner_id, document.id)
    hashes = {v.sha256 for v in versions} | {document.sha256}
    for version in versions:
        session.expunge(version)  # PostgreSQL deletes them with their document (on cascade)
    session.delete(document)
    session.flush()
    for sha in hashes:
        if sha and not is_referenced(session, sha):
            files.delete(sha)
    for job_id in in_flight:
        announce(session, job_id)  # its sockets get the job without this document
    session.commit()
    if in_flight:
        # The run may have stored chunks since the first delete, before it could see the
        # document gone; those it writes from now on it removes itself.
        try:
            vector_store.delete_document(document.owner_id, document.id)
        except VectorStoreUnavailable as exc:  # invisible: their document no longer exists
            logger.warning("chunks of deleted document %s may remain: %s", document.id, exc)


def is_referenced(session: Session, sha256: str) -> bool:
    """Whether any document or version still needs the stored bytes."""
    return (
        session.exec(select(DocumentVersion.id).where(DocumentVersion.sha256 == sha256)).first()
        is not None
        or session.exec(select(Document.id).where(Document.sha256 == sha256)).first() is not None
    )
