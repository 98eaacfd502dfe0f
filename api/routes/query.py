"""Questions answered from the caller's own documents, with citations."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from sqlmodel import Session

from api import metrics
from api.deps import CurrentUser, SettingsDep
from api.schemas import Citation, QueryAnswer, QueryRequest
from ragline.answering import answer_question

router = APIRouter(prefix="/api/v1", tags=["query"])


@router.post("/query", response_model=QueryAnswer)
async def query(
    body: QueryRequest, request: Request, user: CurrentUser, settings: SettingsDep
) -> QueryAnswer:
    """Searches only the caller's documents (an admin's included)."""
    state = request.app.state

    def run() -> QueryAnswer:
        with metrics.QUERY_SECONDS.time(), Session(state.engine) as session:
            answer = answer_question(
                session,
                state.vector_store,
                state.embedder,
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

    # Embedding and the vector search block: keep them off the event loop.
    return await asyncio.to_thread(run)
