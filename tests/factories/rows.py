"""Users and documents written straight to the indexes, without a run."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine

from ragline import job_plans, jobs, keyword_index, versions
from ragline.db import session_scope
from ragline.documents import Chunk, DocumentKind
from ragline.models import DocumentVersion, JobState, Stage, utcnow
from ragline.users import create_user
from ragline.vectorstore import VectorStore


def upload(
    engine: Engine, owner_id: str, filename: str, *texts: str, commit: bool = True
) -> DocumentVersion:
    """A version of ``filename`` with one chunk per text, stored and (by default) made live."""
    with session_scope(engine) as session:
        job = job_plans.plan_job(
            session,
            owner_id,
            [job_plans.AcceptedFile(filename, DocumentKind.TEXT, f"sha-{texts!r}", 1)],
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


def stored(
    engine: Engine,
    vector_store: VectorStore,
    owner_id: str,
    filename: str,
    *texts: str,
    live: bool = True,
) -> versions.Version:
    """A version of ``filename`` stored in both indexes as a run stores it (vectors made up),
    made live unless ``live`` is false; its job is then over, as if its run ended."""
    with session_scope(engine) as session:
        job = job_plans.plan_job(
            session,
            owner_id,
            [job_plans.AcceptedFile(filename, DocumentKind.TEXT, f"sha-{texts!r}", 1)],
        )
        session.flush()
        row = jobs.versions_of(session, job.id)[0]
        jobs.record_stage(session, row.id, Stage.STORING)
        job.state, job.finished_at = JobState.COMPLETED, utcnow()
        session.add(job)
    version = versions.Version(owner_id, row.document_id, row.id, filename, DocumentKind.TEXT, "")
    chunks = [Chunk(f"{filename}\n\n{t}", n, None, None) for n, t in enumerate(texts)]
    vectors = np.random.default_rng(len(texts)).random((len(texts), 384)).astype(np.float32)
    versions.store(version, chunks, vectors, vector_store, engine)
    if live:
        with session_scope(engine) as session:
            assert versions.switch_live(session, row.id, len(texts), f"key-{texts!r}")
    return version
