"""Users and documents written straight to the database, with their keyword-index rows."""

from __future__ import annotations

from sqlalchemy import Engine

from ragline import jobs, keyword_index, versions
from ragline.db import session_scope
from ragline.documents import Chunk, DocumentKind
from ragline.models import DocumentVersion, Stage
from ragline.users import create_user


def upload(
    engine: Engine, owner_id: str, filename: str, *texts: str, commit: bool = True
) -> DocumentVersion:
    """A version of ``filename`` with one chunk per text, stored and (by default) made live."""
    with session_scope(engine) as session:
        job = jobs.plan_job(
            session,
            owner_id,
            [jobs.AcceptedFile(filename, DocumentKind.TEXT, f"sha-{texts!r}", 1)],
        )
        session.flush()
        version = jobs.versions_of(session, job.id)[0]
        jobs.record_stage(session, version.id, Stage.STORING)
        chunks = [Chunk(f"{filename}\n\n{t}", n, None, None) for n, t in enumerate(texts)]
        keyword_index.add_version(session, version.document_id, version.id, filename, chunks)
    if commit:
        with session_scope(engine) as session:
            assert versions.switch_live(session, version.id, len(texts), f"key-{texts!r}")
    return version


def user(engine: Engine, name: str) -> str:
    with session_scope(engine) as session:
        return create_user(session, name, "a-long-password").id
