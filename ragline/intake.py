"""Turns received files into a job: check each file's type by its content, refuse the
bad ones (removing their bytes unless another version still uses them), plan the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from ragline.errors import InvalidInput, RaglineError
from ragline.job_plans import AcceptedFile, plan_job
from ragline.models import Document, Job
from ragline.sniffing import detect_kind_of_file
from ragline.storage import FileStore, StoredFile
from ragline.versions import is_referenced


@dataclass(frozen=True)
class Refusal:
    filename: str
    error: RaglineError


@dataclass(frozen=True)
class Intake:
    job: Job | None
    documents: list[Document]
    refused: list[Refusal]


def accept_files(
    session: Session,
    store: FileStore,
    owner_id: str,
    stored: Sequence[tuple[str, StoredFile]],
    refused: Sequence[tuple[str, RaglineError]],
    *,
    request_id: str | None = None,
) -> Intake:
    refusals = [Refusal(name, error) for name, error in refused]
    accepted: list[AcceptedFile] = []
    seen: set[str] = set()
    unwanted: set[str] = set()
    for filename, file in stored:
        try:
            if filename in seen:
                raise InvalidInput(f"{filename} appears twice in this upload.", code="duplicate")
            kind = detect_kind_of_file(file.path, filename)
        except RaglineError as error:
            refusals.append(Refusal(filename, error))
            unwanted.add(file.sha256)
            continue
        seen.add(filename)
        accepted.append(AcceptedFile(filename, kind, file.sha256, file.size_bytes))
    # Only once every file is sniffed: a refused file's bytes may be a later file's too.
    for sha256 in unwanted - {a.sha256 for a in accepted}:
        if not is_referenced(session, sha256):
            store.delete(sha256)
    if not accepted:
        return Intake(None, [], refusals)
    job = plan_job(session, owner_id, accepted, request_id=request_id)
    documents = [
        session.exec(
            select(Document).where(Document.owner_id == owner_id, Document.filename == a.filename)
        ).one()
        for a in accepted
    ]
    return Intake(job, documents, refusals)
