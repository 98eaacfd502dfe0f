"""Questions answered from the caller's own documents, with citations."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api import metrics
from api.deps import CurrentUser, EmbedderDep, SessionDep, SettingsDep, VectorStoreDep
from api.errors import COMMON_ERRORS, error_responses
from api.ratelimit import limiter, question_limit
from api.schemas import Citation, QueryAnswer, QueryRequest
from ragline.answering import answer_question

router = APIRouter(prefix="/api/v1", tags=["query"], responses=error_responses(401, *COMMON_ERRORS))


@router.post("/query", response_model=QueryAnswer)
@limiter.limit(question_limit)
def query(
    request: Request,
    response: Response,
    body: QueryRequest,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    vector_store: VectorStoreDep,
    embedder: EmbedderDep,
) -> QueryAnswer:
    """Searches only the caller's documents (an admin's included)."""
    with metrics.QUERY_SECONDS.time():
        answer = answer_question(
            session,
            vector_store,
            embedder,
            settings,
            user.id,
            body.question,
            body.top_k,
            body.mode,
        )
    if answer.mode != body.mode:
        metrics.QUERY_FALLBACKS.inc()
    return QueryAnswer(
        answer=answer.answer,
        citations=[Citation(**c.__dict__) for c in answer.citations],
        mode=answer.mode,
        notice=answer.notice,
    )
