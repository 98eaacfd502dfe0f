"""What the benchmarks share: a throw-away stack on free ports and a signed-in client."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ragline.db import get_engine, session_scope
from ragline.documents import DocumentKind
from ragline.models import Document, DocumentStatus, DocumentVersion, Job, JobState, User
from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack, throwaway_settings

ADMIN_PASSWORD = "bench-admin-password"


@contextmanager
def bench_stack(
    data_dir: Path, *, only: Collection[str] | None = None, **overrides: Any
) -> Iterator[Stack]:
    overrides.setdefault("rate_limit_enabled", False)
    settings = throwaway_settings(data_dir, ADMIN_PASSWORD, **overrides)
    with Stack(settings, only=only, echo=lambda line: None) as stack:
        yield stack


def admin_client(settings: Settings) -> ApiClient:
    return ApiClient.signed_in(settings.endpoints.api, "admin", ADMIN_PASSWORD)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass(frozen=True)
class SeededVersion:
    owner_id: str
    document_id: str
    version_id: str


def user_without_login(settings: Settings, username: str) -> str:
    """A user the benchmark stores chunks for directly; returns its id."""
    with session_scope(get_engine(settings)) as session:
        user = User(username=username, password_hash="!")  # matches no password
        session.add(user)
    return user.id


def versions_outside_jobs(
    settings: Settings, owner_id: str, filenames: list[str], *, live: bool
) -> list[SeededVersion]:
    """A document and a version row per file name, for benchmarks that store chunks without
    running a job (the keyword index's rows refer to both). ``live``: the versions serve
    queries, as if their jobs had committed them; otherwise the documents stay queued, out
    of reach of a re-ingestion (which takes every ready document)."""
    with session_scope(get_engine(settings)) as session:
        job = Job(owner_id=owner_id, state=JobState.COMPLETED)
        session.add(job)
        session.flush()
        seeded = []
        for position, name in enumerate(filenames):
            document = Document(owner_id=owner_id, filename=name)
            version = DocumentVersion(
                job_id=job.id,
                document_id=document.id,
                position=position,
                filename=name,
                content_type="text/plain",
                kind=DocumentKind.TEXT.value,
                size_bytes=0,
                sha256="",
            )
            if live:
                document.version_id = version.id
                document.status = DocumentStatus.READY
                document.kind = version.kind
            session.add(document)
            session.flush()
            session.add(version)
            seeded.append(SeededVersion(owner_id, document.id, version.id))
    return seeded
