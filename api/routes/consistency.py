"""Do the database, the vector store and the keyword index agree (admin)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import AdminUser, SessionDep, VectorStoreDep
from api.errors import COMMON_ERRORS, error_responses
from ragline import consistency

router = APIRouter(
    prefix="/api/v1/admin/consistency",
    tags=["admin"],
    responses=error_responses(401, 403, *COMMON_ERRORS),
)


class Difference(BaseModel):
    index: str = Field(description="vectors (Chroma) or keywords (the keyword index).")
    kind: str = Field(
        description="orphaned: not live and not being ingested; missing: a live "
        "version lacks chunks (negative: has extra)."
    )
    owner_id: str | None
    document_id: str
    version_id: str
    chunks: int


class ConsistencyReport(BaseModel):
    ok: bool
    documents: int
    live_chunks: int
    differences: list[Difference]
    repaired: bool
    requeued_job_ids: list[str] = Field(description="Re-ingestion jobs of incomplete documents.")


def _public(report: consistency.Report) -> ConsistencyReport:
    return ConsistencyReport(
        ok=report.ok,
        documents=report.documents,
        live_chunks=report.live_chunks,
        differences=[Difference(**d.__dict__) for d in report.differences],
        repaired=report.repaired,
        requeued_job_ids=report.requeued_job_ids,
    )


@router.get("", response_model=ConsistencyReport)
def check_consistency(
    admin: AdminUser, session: SessionDep, vector_store: VectorStoreDep
) -> ConsistencyReport:
    """Compares every live version with what Chroma and the keyword index hold."""
    return _public(consistency.check(session, vector_store))


@router.post("/repair", response_model=ConsistencyReport)
def repair_consistency(
    admin: AdminUser, session: SessionDep, vector_store: VectorStoreDep
) -> ConsistencyReport:
    """Deletes orphaned chunks and re-queues incomplete documents; the report says what."""
    return _public(consistency.repair(session, vector_store))
