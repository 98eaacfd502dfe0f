"""Turns received files into a job: check each file's type by its content, refuse the
bad ones (removing their bytes unless another version still uses them), plan the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from ragline.errors import InvalidInput, QuotaExceeded, RaglineError
from ragline.job_plans import AcceptedFile, plan_job
from ragline.models import Document, Job, User
from ragline.settings import Settings
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


@dataclass(frozen=True)
class Quota:
    """What one user may store; ``None``: no cap."""

    max_bytes: int | None
    max_documents: int | None

    @classmethod
    def of(cls, user: User, settings: Settings) -> Quota:
        """The user's own limits where an administrator set them, else the defaults."""
        return cls(
            max_bytes=settings.quota_bytes if user.quota_bytes is None else user.quota_bytes,
            max_documents=(
                settings.quota_documents if user.quota_documents is None else user.quota_documents
            ),
        )


@dataclass
class Usage:
    """What a user stores: bytes of their documents' current files, and their names."""

    bytes: int
    sizes: dict[str, int]

    @classmethod
    def of(cls, session: Session, owner_id: str) -> Usage:
        rows = session.exec(
            select(Document.filename, Document.size_bytes).where(Document.owner_id == owner_id)
        ).all()
        return cls(sum(size for _, size in rows), dict(rows))

    def add(self, filename: str, size_bytes: int, quota: Quota) -> None:
        """Counts a file in (replacing a document's file of that name), or raises
        QuotaExceeded, leaving the usage as it was."""
        new_bytes = self.bytes - self.sizes.get(filename, 0) + size_bytes
        documents = len(self.sizes) + (filename not in self.sizes)
        if quota.max_documents is not None and documents > quota.max_documents:
            raise QuotaExceeded(
                f"“{filename}” would be document {documents:,} of at most "
                f"{quota.max_documents:,} you may store; delete some documents first."
            )
        if quota.max_bytes is not None and new_bytes > quota.max_bytes:
            raise QuotaExceeded(
                f"“{filename}” would bring what you store to {new_bytes:,} bytes, over your "
                f"{quota.max_bytes:,}; delete some documents first."
            )
        self.bytes, self.sizes[filename] = new_bytes, size_bytes


def accept_files(
    session: Session,
    store: FileStore,
    owner_id: str,
    stored: Sequence[tuple[str, StoredFile]],
    refused: Sequence[tuple[str, RaglineError]],
    *,
    quota: Quota,
    request_id: str | None = None,
) -> Intake:
    refusals = [Refusal(name, error) for name, error in refused]
    accepted: list[AcceptedFile] = []
    seen: set[str] = set()
    unwanted: set[str] = set()
    usage = Usage.of(session, owner_id)
    for filename, file in stored:
        try:
            if filename in seen:
                raise InvalidInput(f"{filename} appears twice in this upload.", code="duplicate")
            with store.local_copy(file.sha256) as path:
                kind = detect_kind_of_file(path, filename)
            usage.add(filename, file.size_bytes, quota)
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
