"""The consistency check on a real PostgreSQL and the stack's real Chroma."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from ragline import consistency
from ragline.models import Document, Job
from ragline.vectorstore import VectorStore
from scripts.stack import Stack
from tests.factories.rows import stored, user

pytestmark = pytest.mark.e2e


@pytest.fixture
def store(stack: Stack) -> VectorStore:
    """The stack's Chroma, in collections of this test's own."""
    return VectorStore(stack.settings.endpoints.chroma, f"check-{uuid4().hex[:8]}")


def test_what_agrees_reports_nothing(engine: Engine, store: VectorStore) -> None:
    owner = user(engine, "amy")
    stored(engine, store, owner, "a.txt", "One.", "Two.")

    with Session(engine) as session:
        report = consistency.check(session, store)

    assert report.ok and report.documents == 1 and report.live_chunks == 2


def test_leftovers_and_gaps_are_found_and_repaired(engine: Engine, store: VectorStore) -> None:
    owner = user(engine, "bo")
    stored(engine, store, owner, "kept.txt", "Kept.")
    stored(engine, store, owner, "guide.txt", "New text.")
    # A run that died after storing, once a newer version was live: nobody cleaned up.
    abandoned = stored(engine, store, owner, "guide.txt", "Stale text.", live=False)
    gone = stored(engine, store, owner, "gone.txt", "Deleted, chunks left behind.")
    gappy = stored(engine, store, owner, "gappy.txt", "First.", "Second.")
    with Session(engine) as session:
        session.delete(session.get_one(Document, gone.document_id))  # as if Chroma was down
        session.commit()
    store.delete_version(owner, gappy.document_id, gappy.version_id)

    with Session(engine) as session:
        report = consistency.check(session, store)
    found = {(d.index, d.kind, d.version_id) for d in report.differences}
    assert found == {
        ("vectors", "orphaned", abandoned.version_id),
        ("keywords", "orphaned", abandoned.version_id),
        ("vectors", "orphaned", gone.version_id),
        ("vectors", "missing", gappy.version_id),
    }

    with Session(engine) as session:
        repaired = consistency.repair(session, store)
        (job_id,) = repaired.requeued_job_ids
        job = session.get_one(Job, job_id)
        assert (job.kind, job.only_changed) == ("reingest", False)
    with Session(engine) as session:
        after = consistency.check(session, store)
    # Only the gap is left, until the re-ingestion job it queued has run.
    assert {(d.kind, d.version_id) for d in after.differences} == {("missing", gappy.version_id)}
