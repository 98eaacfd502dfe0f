"""The API's readiness and its components' health."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ComponentHealth(BaseModel):
    ok: bool
    latency_ms: float | None
    detail: str | None
    required: bool = Field(
        True, description="Whether the API is ready only while this component is up."
    )


class Readiness(BaseModel):
    status: Literal["ok", "degraded"]
    components: dict[str, ComponentHealth]
