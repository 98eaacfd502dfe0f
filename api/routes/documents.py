"""Uploading, listing and deleting documents."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status
from sqlmodel import col, func, select
from starlette.concurrency import run_in_threadpool

from api import metrics
from api.deps import CurrentUser, FilesDep, OutboxDep, SessionDep, SettingsDep, VectorStoreDep
from api.errors import COMMON_ERRORS, error_responses, status_for
from api.ratelimit import (
    count_read_upload_bytes,
    count_upload_bytes,
    ensure_room_for_a_job,
    limiter,
    upload_limit,
)
from api.schemas import (
    MAX_OFFSET,
    DocumentPublic,
    ErrorBody,
    Page,
    RejectedFile,
    UploadAccepted,
    UploadLimits,
)
from api.uploads import receive_files
from api.views import document_public, load_job_public
from ragline import health, versions
from ragline.errors import InsufficientStorage, NotFound
from ragline.intake import Quota, accept_files
from ragline.models import Document, DocumentStatus, User

router = APIRouter(
    prefix="/api/v1/documents", tags=["documents"], responses=error_responses(401, *COMMON_ERRORS)
)

UPLOAD_ERRORS: dict[int | str, dict[str, object]] = {
    413: {"model": ErrorBody, "description": "Every file was too large."},
    415: {"model": ErrorBody, "description": "Every file was of a type we do not read."},
    422: {"model": ErrorBody, "description": "Every file was empty or invalid."},
    507: {"model": ErrorBody, "description": "The data disk is nearly full: uploads pause."},
}


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadAccepted,
    responses=UPLOAD_ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                }
            },
        }
    },
)
@limiter.limit(upload_limit)
async def upload_documents(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    files: FilesDep,
    outbox: OutboxDep,
) -> UploadAccepted:
    """Upload one or more files (multipart field `files`). Each is checked on its own."""
    if not health.disk(settings.paths.files).enough(settings):
        raise InsufficientStorage(
            "The server's data disk is nearly full, so uploads are paused; try again later."
        )
    quota = Quota.of(user, settings)
    # Both before a byte is read or written.
    await run_in_threadpool(ensure_room_for_a_job, session, user.id)
    declared = _declared_size(request)
    count_upload_bytes(user.id, declared)
    received = await receive_files(
        request,
        files,
        max_bytes=settings.max_upload_bytes,
        max_files=settings.max_files_per_upload,
    )
    if declared == 0:
        count_read_upload_bytes(user.id, sum(f.size_bytes for _, f in received.stored))
    request_id = getattr(request.state, "request_id", None)

    def record() -> UploadAccepted:
        intake = accept_files(
            session,
            files,
            user.id,
            received.stored,
            received.refused,
            quota=quota,
            request_id=request_id,
        )
        refused = sorted(intake.refused, key=lambda r: received.position(r.filename))
        rejected = [
            RejectedFile(
                filename=r.filename,
                status=status_for(r.error),
                code=r.error.code,
                detail=r.error.message,
            )
            for r in refused
        ]
        metrics.UPLOADED_FILES.labels(outcome="rejected").inc(len(rejected))
        if intake.job is None:  # the first file's status answers, every file's reason told
            first = refused[0].error
            detail = " ".join(r.error.message for r in refused)
            raise type(first)(detail, code=first.code)
        session.commit()
        metrics.UPLOADED_FILES.labels(outcome="accepted").inc(len(intake.documents))
        metrics.UPLOADED_BYTES.inc(sum(f.size_bytes for _, f in received.stored))
        return UploadAccepted(
            job=load_job_public(session, intake.job, settings.endpoints.prefect_ui),
            documents=[document_public(d) for d in intake.documents],
            rejected=rejected,
        )

    # Sniffing and the database block: off the event loop.
    accepted = await run_in_threadpool(record)
    if not accepted.job.state.finished:
        # After answering: the 202 must not wait on Prefect (the outbox retries).
        background.add_task(outbox.submit, accepted.job.id)
    return accepted


def _declared_size(request: Request) -> int:
    """The body's size by its Content-Length; 0 for a chunked body (counted once read)."""
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else 0


@router.get("", response_model=Page[DocumentPublic])
def list_documents(
    user: CurrentUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    status_filter: DocumentStatus | None = Query(None, alias="status"),
) -> Page[DocumentPublic]:
    query = select(Document)
    if not user.is_admin:
        query = query.where(Document.owner_id == user.id)
    if status_filter:
        query = query.where(Document.status == status_filter)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Document.updated_at).desc(), col(Document.id))
        .offset(offset)
        .limit(limit)
    )
    return Page[DocumentPublic](data=[document_public(d) for d in rows], count=total)


# Declared before /{document_id}, which would otherwise take "limits" for an id.
@router.get("/limits", response_model=UploadLimits)
def upload_limits(user: CurrentUser, settings: SettingsDep) -> UploadLimits:
    """What an upload may hold, so a client can tell a user before sending."""
    return UploadLimits(
        max_file_bytes=settings.max_upload_bytes,
        max_files_per_upload=settings.max_files_per_upload,
    )


def owned_document(session: SessionDep, user: User, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None or (document.owner_id != user.id and not user.is_admin):
        raise NotFound("No such document.")  # never 403: that would confirm it exists
    return document


@router.get("/{document_id}", response_model=DocumentPublic, responses=error_responses(404))
def get_document(document_id: str, user: CurrentUser, session: SessionDep) -> DocumentPublic:
    return document_public(owned_document(session, user, document_id))


@router.delete(
    "/{document_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
def delete_document(
    document_id: str,
    user: CurrentUser,
    session: SessionDep,
    vector_store: VectorStoreDep,
    files: FilesDep,
) -> Response:
    """Deletes the document, its chunks and its stored files.

    A job ingesting it meanwhile carries on with its other documents; the run ingesting
    this one finds it gone at its next step, stops and removes what it wrote.
    """
    versions.delete_document(
        session, vector_store, files, owned_document(session, user, document_id)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
