"""Do the database, the vector store and the keyword index agree? Says where not, and repairs.

The database is the record: a document's live version (``Document.version_id``) with its
chunk count. The vector store (Chroma) and the keyword index (``ChunkText``) must hold
exactly the live versions' chunks, plus those of versions being ingested right now.
Anything else is a difference:

- **orphaned**: chunks of a version that is not live and not being ingested (a run that
  died before it could clean up), or of a document that no longer exists;
- **missing**: a live version with fewer (or more) chunks than the document says.

:func:`repair` deletes what is orphaned and re-queues each document whose live version is
incomplete (a re-ingestion job that stores it again, from the cache).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from ragline import job_plans, jobs
from ragline.documents import DocumentKind
from ragline.models import ChunkText, Document, DocumentVersion, Job, JobKind, Stage
from ragline.vectorstore import VectorStore

_IN_PROGRESS = (Stage.QUEUED, *jobs.IN_PROGRESS)


@dataclass(frozen=True)
class Difference:
    index: str  # "vectors" or "keywords"
    kind: str  # "orphaned" or "missing"
    owner_id: str | None
    document_id: str
    version_id: str
    chunks: int  # orphaned: how many; missing: how many the live version lacks (or has extra)


@dataclass
class Report:
    documents: int = 0
    live_chunks: int = 0
    differences: list[Difference] = field(default_factory=list)
    repaired: bool = False
    requeued_job_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def check(session: Session, vector_store: VectorStore) -> Report:
    """Compares the three; reads every stored chunk's id (a few seconds at 100k chunks)."""
    documents = {d.id: d for d in session.exec(select(Document))}
    in_flight = set(
        session.exec(
            select(DocumentVersion.id)
            .join(Job, col(Job.id) == col(DocumentVersion.job_id))
            .where(col(DocumentVersion.stage).in_(_IN_PROGRESS), col(Job.finished_at).is_(None))
        )
    )
    report = Report(documents=len(documents))
    report.live_chunks = sum(d.chunks for d in documents.values() if d.version_id)

    stored: dict[tuple[str, str], int] = {}
    for owner_id in vector_store.owners():
        for (document_id, version_id), ids in vector_store.stored_versions(owner_id).items():
            stored[document_id, version_id] = len(ids)
            _compare(
                report, "vectors", owner_id, documents, in_flight, document_id, version_id, len(ids)
            )
    keyword_rows = Counter(
        {
            (document_id, version_id): count
            for document_id, version_id, count in session.exec(
                select(ChunkText.document_id, ChunkText.version_id, func.count()).group_by(
                    col(ChunkText.document_id), col(ChunkText.version_id)
                )
            )
        }
    )
    for (document_id, version_id), count in keyword_rows.items():
        owner = documents[document_id].owner_id if document_id in documents else None
        _compare(report, "keywords", owner, documents, in_flight, document_id, version_id, count)
    for document in documents.values():
        if document.version_id is None or not document.chunks:
            continue
        live = (document.id, document.version_id)
        for index, counts in (("vectors", stored), ("keywords", keyword_rows)):
            if live not in counts:
                report.differences.append(
                    Difference(
                        index,
                        "missing",
                        document.owner_id,
                        document.id,
                        document.version_id,
                        document.chunks,
                    )
                )
    return report


def _compare(
    report: Report,
    index: str,
    owner_id: str | None,
    documents: dict[str, Document],
    in_flight: set[str],
    document_id: str,
    version_id: str,
    count: int,
) -> None:
    document = documents.get(document_id)
    if document is not None and document.version_id == version_id:
        if count != document.chunks:
            report.differences.append(
                Difference(
                    index, "missing", owner_id, document_id, version_id, document.chunks - count
                )
            )
    elif version_id not in in_flight:
        report.differences.append(
            Difference(index, "orphaned", owner_id, document_id, version_id, count)
        )


def repair(session: Session, vector_store: VectorStore) -> Report:
    """Deletes every orphaned chunk, re-queues every incomplete live version, and commits.

    The re-queued documents go into one re-ingestion job per owner (a job's documents are
    its owner's); returns the report of what was found, and repaired.
    """
    report = check(session, vector_store)
    incomplete: dict[str, list[Document]] = {}
    for difference in report.differences:
        if difference.kind == "missing":
            document = session.get_one(Document, difference.document_id)
            mine = incomplete.setdefault(document.owner_id, [])
            if document not in mine:
                mine.append(document)
        elif difference.index == "keywords":
            session.execute(
                delete(ChunkText).where(col(ChunkText.version_id) == difference.version_id)
            )
        elif difference.owner_id is not None:
            ids = vector_store.stored_versions(difference.owner_id).get(
                (difference.document_id, difference.version_id), []
            )
            vector_store.delete_ids(difference.owner_id, ids)
    for owner_id, documents in incomplete.items():
        files = [
            job_plans.AcceptedFile(d.filename, DocumentKind(d.kind), d.sha256, d.size_bytes)
            for d in documents
        ]
        job = job_plans.plan_job(session, owner_id, files, kind=JobKind.REINGEST, force=True)
        job.only_changed = False
        report.requeued_job_ids.append(job.id)
    session.commit()
    report.repaired = True
    return report
