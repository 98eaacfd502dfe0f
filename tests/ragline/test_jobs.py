"""Recording a version's progress on the real PostgreSQL, once its document is deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from ragline import jobs, versions
from ragline.db import session_scope
from ragline.errors import DocumentDeleted, TooManyRequests
from ragline.models import Document, Job, JobState, Stage
from tests.factories.rows import upload, user


def test_a_run_learns_that_its_document_was_deleted(engine: Engine) -> None:
    version = upload(engine, user(engine, "ed"), "gone.txt", "Some text.", commit=False)
    with session_scope(engine) as session:
        jobs.record_stage(session, version.id, Stage.EMBEDDING)
        assert jobs.record_embedding_progress(session, version.id, 0.5, 1, 2)

    with session_scope(engine) as session:  # as DELETE /api/v1/documents/{id} does
        session.delete(session.get_one(Document, version.document_id))

    with session_scope(engine) as session:
        assert not jobs.record_embedding_progress(session, version.id, 0.6, 2, 2)
    for record in (
        lambda session: jobs.record_stage(session, version.id, Stage.STORING),
        lambda session: versions.switch_live(session, version.id, 1, "key"),
        lambda session: jobs.fail_version(session, version.id, "Parsing failed.", "corrupt"),
        lambda session: jobs.skip_version(session, version.id),
    ):
        with pytest.raises(DocumentDeleted), session_scope(engine) as session:
            record(session)


def test_a_user_with_as_many_unfinished_jobs_as_allowed_may_not_start_another(
    engine: Engine,
) -> None:
    ed, flo = user(engine, "ed"), user(engine, "flo")
    upload(engine, ed, "a.txt", "One.", commit=False)
    upload(engine, ed, "b.txt", "Two.", commit=False)
    with session_scope(engine) as session:
        jobs.ensure_room_for_a_job(session, ed, 3)
        jobs.ensure_room_for_a_job(session, flo, 1)  # the count is per user
        with pytest.raises(TooManyRequests, match="2 jobs in progress") as refused:
            jobs.ensure_room_for_a_job(session, ed, 2)
    assert refused.value.retry_after_s == jobs.JOBS_IN_FLIGHT_RETRY_S
    with session_scope(engine) as session:  # a finished job no longer counts
        job = session.exec(select(Job).where(Job.owner_id == ed)).first()
        assert job is not None
        jobs.set_job_state(session, job, JobState.FAILED, error="Broken.")
    with session_scope(engine) as session:
        jobs.ensure_room_for_a_job(session, ed, 2)
