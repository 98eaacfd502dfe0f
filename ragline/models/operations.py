"""What the operator console reads: usage per day and user, calls per day and route,
health samples."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Integer
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel


class UsageDay(SQLModel, table=True):
    """One user's usage on one day (UTC), added to by every API process (ragline.analytics)."""

    day: date = Field(primary_key=True)
    user_id: str = Field(primary_key=True, description='A user id, or "-" for anonymous calls.')
    requests: int = 0
    uploads: int = 0
    upload_bytes: int = Field(default=0, sa_type=BigInteger)
    questions: int = 0
    documents: int = Field(default=0, description="Documents ingested by jobs that ended.")
    failed: int = Field(default=0, description="Documents that failed, in jobs that ended.")


class RouteDay(SQLModel, table=True):
    """One route's calls on one day: counts and a fixed latency histogram (p50/p95 from it)."""

    day: date = Field(primary_key=True)
    method: str = Field(primary_key=True, max_length=10)
    route: str = Field(primary_key=True, max_length=200, description="The route's template.")
    count: int = 0
    errors: int = Field(default=0, description="Answers 500 and above.")
    client_errors: int = Field(default=0, description="Answers 400 to 499.")
    latency_buckets: list[int] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Integer), nullable=False),
        description="Calls per latency bucket (ragline.analytics.LATENCY_BOUNDS_MS).",
    )


class HealthSample(SQLModel, table=True):
    """The system's health at one moment, sampled by the API (kept for a retention period)."""

    taken_at: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    components: dict[str, Any] = Field(
        sa_column=Column(JSONB, nullable=False),
        description="name -> {ok, latency_ms} of each component.",
    )
    scheduled: int = 0
    running: int = 0
    late: int = 0
    oldest_waiting_s: float | None = None
    disk_free_bytes: int | None = Field(default=None, sa_type=BigInteger)
