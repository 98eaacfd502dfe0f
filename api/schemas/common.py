"""What every shape of the contract shares: the base of shapes read from rows, the list
envelope, the error body, what text may hold."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

# No field of ours means a control character, and PostgreSQL text cannot hold NUL: refused
# at the schema (422) rather than failing in the database. Tab, newline and return pass.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


# PostgreSQL's OFFSET is a bigint: a larger one was a 500. No list comes near this many.
MAX_OFFSET = 1_000_000_000


class Schema(BaseModel):
    """A public shape read from a table row. Times are UTC (the database session is UTC),
    which pydantic writes as ISO 8601 with a "Z"."""

    model_config = ConfigDict(from_attributes=True)


class Page(Schema, Generic[T]):
    data: list[T]
    count: int = Field(description="Total number of items matching the query.")


class ErrorBody(BaseModel):
    detail: str = Field(description="A sentence for a human.")
    code: str = Field(description="A stable machine-readable code.")
