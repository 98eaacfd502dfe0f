"""The ``reingest-corpus`` flow: re-ingests every ready document in bulk.

Unchanged documents (same bytes, same parser, chunker and model) are recognised in one
pass and marked ``skipped`` without starting a subflow, so a nightly run over an unchanged
corpus costs seconds. Changed ones go through the same ``ingest-document`` subflow as
uploads.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State
from prefect.context import FlowRunContext
from prefect.states import Completed, Failed
from sqlalchemy import Engine

from flows.heartbeat import heartbeat
from flows.ingest import Todo, ingest_each
from ragline import job_mail, job_plans, jobs, pipeline, reingest_report
from ragline.db import get_engine, session_scope
from ragline.deployments import REINGEST_FLOW
from ragline.documents import DocumentKind
from ragline.embedding import get_embedder
from ragline.job_updates import announce
from ragline.models import Document, Job, Stage
from ragline.settings import Settings, get_settings


def report_counts(engine: Engine, job_id: str, settings: Settings) -> None:
    """The run's counts as a markdown artifact, beside the run in Prefect's UI."""
    with session_scope(engine) as session:
        found = reingest_report.counts(v.stage for v in jobs.versions_of(session, job_id))
    create_markdown_artifact(
        key="reingest-counts",
        markdown=reingest_report.markdown(job_id, found, job_mail.job_link(settings, job_id)),
        description=f"{found.skipped} skipped, {found.reingested} re-ingested, "
        f"{found.failed} failed",
    )


@flow(name=REINGEST_FLOW, log_prints=False)
def reingest_corpus(job_id: str | None = None, only_changed: bool = True) -> State[Any]:
    settings = get_settings()
    engine = get_engine(settings)
    if job_id is None:  # a scheduled run: record its job like the API would, with this run
        # as its run, so the API's outbox never starts a second one for it
        run = FlowRunContext.get()
        run_id = str(run.flow_run.id) if run and run.flow_run else None
        with session_scope(engine) as session:
            job_id = job_plans.plan_reingest(session, flow_run_id=run_id).id
    with heartbeat(engine, job_id, settings.run_heartbeat_s):
        todo, owner_id = _changed_documents(settings, job_id, only_changed=only_changed)
        failed = ingest_each(
            job_id, todo, settings, owner_id=owner_id, bulk=True, force=not only_changed
        )
    report_counts(engine, job_id, settings)
    if failed:
        return Failed(message=f"{failed} of {len(todo)} changed documents failed.")
    return Completed(message=f"{len(todo)} documents re-ingested, the rest unchanged.")


def _changed_documents(
    settings: Settings, job_id: str, *, only_changed: bool
) -> tuple[list[Todo], str]:
    """Marks the job's unchanged documents skipped (with ``only_changed``); returns the
    others as (version id, filename), and the job's owner."""
    embedder = get_embedder(settings)
    with session_scope(get_engine(settings)) as session:
        todo = []
        for version in jobs.versions_of(session, job_id):
            if version.stage != Stage.QUEUED:
                continue
            document = session.get_one(Document, version.document_id)
            key = pipeline.index_key(
                version.sha256, DocumentKind(version.kind), version.filename, embedder, settings
            )
            if only_changed and document.index_key == key:
                jobs.skip_version(session, version.id)
            else:
                todo.append(Todo(version.id, version.filename, version.size_bytes))
        announce(session, job_id)  # the unchanged documents now read "skipped"
        return todo, session.get_one(Job, job_id).owner_id
