"""Recording a version's progress on the real PostgreSQL, once its document is deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from ragline import jobs, versions
from ragline.db import session_scope
from ragline.errors import DocumentDeleted
from ragline.models import Document, Stage
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
