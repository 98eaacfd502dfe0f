"""A question and its answer with citations."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from ragline.answering import RetrievalMode

# Text that is all spaces says nothing: refused (422) like empty text, and stored stripped.
# (A question's NUL or control characters are word breaks: it is never stored as it is.)
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]


class QueryRequest(BaseModel):
    question: QuestionText
    top_k: int = Field(default=5, ge=1, le=50)
    mode: RetrievalMode = Field(
        default=RetrievalMode.HYBRID,
        description="hybrid (dense and keyword rankings fused), dense or keyword alone.",
    )


class Citation(BaseModel):
    document_id: str
    filename: str
    page: int | None
    snippet: str
    score: float
    heading: str | None = None


class QueryAnswer(BaseModel):
    answer: str
    citations: list[Citation]
    mode: RetrievalMode = Field(
        description="The retrieval that found the citations: the one asked for, or keyword "
        "when the vector store could not be reached."
    )
    notice: str | None = Field(
        default=None, description="Why the answer was found another way than asked, if it was."
    )
